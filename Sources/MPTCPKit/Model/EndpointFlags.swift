/// The flags of an endpoint (MPTCP_PM_ADDR_FLAG_*). Unknown bits are kept.
public struct EndpointFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// MPTCP_PM_ADDR_FLAG_SIGNAL: announce the address to the peer (ADD_ADDR).
    public static let signal = EndpointFlags(rawValue: 0x01)
    /// MPTCP_PM_ADDR_FLAG_SUBFLOW: open a subflow from the address.
    public static let subflow = EndpointFlags(rawValue: 0x02)
    /// MPTCP_PM_ADDR_FLAG_BACKUP
    public static let backup = EndpointFlags(rawValue: 0x04)
    /// MPTCP_PM_ADDR_FLAG_FULLMESH
    public static let fullmesh = EndpointFlags(rawValue: 0x08)
    /// MPTCP_PM_ADDR_FLAG_IMPLICIT: made by the kernel, never by a request.
    public static let implicit = EndpointFlags(rawValue: 0x10)
    /// MPTCP_PM_ADDR_FLAG_LAMINAR (Linux 6.18): the source, once, of a subflow toward an
    /// address the peer announces.
    public static let address = EndpointFlags(rawValue: 0x20)

    /// Every flag this version knows, in bit order.
    public static let known: [EndpointFlags] = [.signal, .subflow, .backup, .fullmesh, .implicit, .address]

    /// The flags a change may set or clear (the kernel ignores the others).
    public static let changeable: EndpointFlags = [.backup, .fullmesh]

    /// Bits no known flag has.
    public var unknownBits: UInt32 {
        EndpointFlags.known.reduce(rawValue) { $0 & ~$1.rawValue }
    }
}
