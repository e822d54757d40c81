import Netlink

/// The attributes of `mptcp_pm_events` messages (MPTCP_ATTR_*) and the event commands
/// (MPTCP_EVENT_*), decoded into `PathManagerEvent`.
enum EventAttributes {
    static let token: UInt16 = 1, family: UInt16 = 2, localID: UInt16 = 3, remoteID: UInt16 = 4
    static let saddr4: UInt16 = 5, saddr6: UInt16 = 6, daddr4: UInt16 = 7, daddr6: UInt16 = 8
    static let sport: UInt16 = 9, dport: UInt16 = 10, backup: UInt16 = 11, error: UInt16 = 12
    static let flags: UInt16 = 13, timeout: UInt16 = 14, interfaceIndex: UInt16 = 15
    static let resetReason: UInt16 = 16, resetFlags: UInt16 = 17, serverSide: UInt16 = 18

    /// MPTCP_EVENT_CREATED 1 … MPTCP_EVENT_LISTENER_CLOSED 16.
    static func kind(_ command: UInt8) -> PathManagerEvent.Kind {
        switch command {
        case 1: .created
        case 2: .established
        case 3: .closed
        case 6: .announced
        case 7: .removed
        case 10: .subflowEstablished
        case 11: .subflowClosed
        case 13: .subflowPriority
        case 15: .listenerCreated
        case 16: .listenerClosed
        default: .unknown(command)
        }
    }

    /// Decodes an event message; attributes of the wrong size are left out.
    static func decode(_ message: GenericMessage) -> PathManagerEvent {
        var event = PathManagerEvent(kind: kind(message.command))
        for attribute in message.attributes {
            switch attribute.type {
            case token: event.token = attribute.u32
            case localID: event.localID = attribute.u8
            case remoteID: event.remoteID = attribute.u8
            case saddr4: event.saddr = attribute.payload.count == 4 ? .v4(attribute.payload) : nil
            case saddr6: event.saddr = attribute.payload.count == 16 ? .v6(attribute.payload) : nil
            case daddr4: event.daddr = attribute.payload.count == 4 ? .v4(attribute.payload) : nil
            case daddr6: event.daddr = attribute.payload.count == 16 ? .v6(attribute.payload) : nil
            // Event ports travel in network byte order, unlike endpoint ports.
            case sport: event.sport = attribute.u16BigEndian
            case dport: event.dport = attribute.u16BigEndian
            case backup: event.backup = attribute.u8
            case error: event.error = attribute.u8
            case flags: event.flags = attribute.u16
            case timeout: event.timeout = attribute.u32
            case interfaceIndex: event.interfaceIndex = attribute.s32
            case resetReason: event.resetReason = attribute.u32
            case resetFlags: event.resetFlags = attribute.u32
            case serverSide: event.serverSide = attribute.u8
            default: continue
            }
        }
        return event
    }
}

extension PathManagerEvent {
    /// Decodes one message of the `mptcp_pm_events` group.
    public init(message: GenericMessage) {
        self = EventAttributes.decode(message)
    }
}
