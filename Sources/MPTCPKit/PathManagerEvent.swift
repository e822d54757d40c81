import Netlink

/// One event of the `mptcp_pm_events` multicast group, decoded. Attributes the
/// kernel did not send are nil.
public struct PathManagerEvent: Sendable, Equatable {
    /// The event names, by command number (MPTCP_EVENT_*).
    public static let names: [UInt8: String] = [
        1: "created", 2: "established", 3: "closed", 6: "announced", 7: "removed",
        10: "sub_established", 11: "sub_closed", 13: "sub_priority",
        15: "listener_created", 16: "listener_closed",
    ]

    /// Event attributes (MPTCP_ATTR_*).
    enum Attr {
        static let token: UInt16 = 1, family: UInt16 = 2, localID: UInt16 = 3, remoteID: UInt16 = 4
        static let saddr4: UInt16 = 5, saddr6: UInt16 = 6, daddr4: UInt16 = 7, daddr6: UInt16 = 8
        static let sport: UInt16 = 9, dport: UInt16 = 10, backup: UInt16 = 11, error: UInt16 = 12
        static let flags: UInt16 = 13, timeout: UInt16 = 14, interfaceIndex: UInt16 = 15
        static let resetReason: UInt16 = 16, resetFlags: UInt16 = 17, serverSide: UInt16 = 18
    }

    /// "created", …, or "unknown_N" for a command this version does not know.
    public var type: String
    public var token: UInt32?
    public var saddr: IPAddress?
    public var daddr: IPAddress?
    public var sport: UInt16?
    public var dport: UInt16?
    public var localID: UInt8?
    public var remoteID: UInt8?
    public var backup: UInt8?
    public var error: UInt8?
    public var flags: UInt16?
    public var timeout: UInt32?
    public var interfaceIndex: Int32?
    public var resetReason: UInt32?
    public var resetFlags: UInt32?
    public var serverSide: UInt8?

    public init(type: String) { self.type = type }

    /// Decodes an event message; attributes of the wrong size are left out.
    public init(message: GenericMessage) {
        self.init(type: Self.names[message.command] ?? "unknown_\(message.command)")
        for attribute in message.attributes {
            switch attribute.type {
            case Attr.token: token = attribute.u32
            case Attr.localID: localID = attribute.u8
            case Attr.remoteID: remoteID = attribute.u8
            case Attr.saddr4: saddr = attribute.payload.count == 4 ? .v4(attribute.payload) : nil
            case Attr.saddr6: saddr = attribute.payload.count == 16 ? .v6(attribute.payload) : nil
            case Attr.daddr4: daddr = attribute.payload.count == 4 ? .v4(attribute.payload) : nil
            case Attr.daddr6: daddr = attribute.payload.count == 16 ? .v6(attribute.payload) : nil
            // Event ports travel in network byte order, unlike endpoint ports.
            case Attr.sport: sport = attribute.u16BigEndian
            case Attr.dport: dport = attribute.u16BigEndian
            case Attr.backup: backup = attribute.u8
            case Attr.error: error = attribute.u8
            case Attr.flags: flags = attribute.u16
            case Attr.timeout: timeout = attribute.u32
            case Attr.interfaceIndex: interfaceIndex = attribute.s32
            case Attr.resetReason: resetReason = attribute.u32
            case Attr.resetFlags: resetFlags = attribute.u32
            case Attr.serverSide: serverSide = attribute.u8
            default: continue
            }
        }
    }
}
