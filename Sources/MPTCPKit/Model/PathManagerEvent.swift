import Netlink

/// One event of the `mptcp_pm_events` multicast group, decoded. Attributes the
/// kernel did not send are nil.
public struct PathManagerEvent: Sendable, Equatable {
    /// What happened (MPTCP_EVENT_*).
    public enum Kind: Sendable, Hashable {
        case created, established, closed, announced, removed
        case subflowEstablished, subflowClosed, subflowPriority
        case listenerCreated, listenerClosed
        /// A command number this version does not know.
        case unknown(UInt8)
        // Command numbers, uapi names and `known`: EventAttributes.
    }

    public var kind: Kind
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
    /// Attributes of numbers this version does not know, as they came.
    public var unknownAttributes: [Attribute] = []
    /// The first known attribute of the wrong size, left out of the event (whose field
    /// is nil): one bad event is said, and the ones after it still come.
    public var malformed: MalformedAttribute?

    public init(kind: Kind) { self.kind = kind }
}
