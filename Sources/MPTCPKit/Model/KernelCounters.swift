/// The kernel's own per-namespace counters, as MPTCP_INFO reports them on an
/// unconnected MPTCP socket created inside the namespace. A field the running kernel
/// does not report is nil, never 0.
public struct KernelCounters: Sendable, Equatable {
    public var endpSignalMax: Int?
    public var endpSubflowMax: Int?
    public var endpAddressMax: Int?
    public var limitSubflows: Int?
    public var limitAddAddrAccepted: Int?

    public init(endpSignalMax: Int? = nil, endpSubflowMax: Int? = nil, endpAddressMax: Int? = nil,
                limitSubflows: Int? = nil, limitAddAddrAccepted: Int? = nil) {
        self.endpSignalMax = endpSignalMax
        self.endpSubflowMax = endpSubflowMax
        self.endpAddressMax = endpAddressMax
        self.limitSubflows = limitSubflows
        self.limitAddAddrAccepted = limitAddAddrAccepted
    }

    public static let unavailable = KernelCounters()

    /// Offsets in struct mptcp_info (linux/mptcp.h).
    enum Offset {
        static let subflowsMax = 3, addAddrSignalMax = 4, addAddrAcceptedMax = 5
        static let localAddrMax = 41, endpAddressMax = 81
    }

    /// Decodes an MPTCP_INFO reply. The address counter sits in what was a reserved
    /// byte before Linux 6.18 (0 there), so it counts only on a kernel that
    /// `countsAddressEndpoints` (see `read`).
    public init(info: [UInt8], countsAddressEndpoints: Bool) {
        func byte(_ offset: Int) -> Int? { offset < info.count ? Int(info[offset]) : nil }
        endpSignalMax = byte(Offset.addAddrSignalMax)
        endpSubflowMax = byte(Offset.localAddrMax)
        limitSubflows = byte(Offset.subflowsMax)
        limitAddAddrAccepted = byte(Offset.addAddrAcceptedMax)
        if countsAddressEndpoints || byte(Offset.endpAddressMax) ?? 0 > 0 { endpAddressMax = byte(Offset.endpAddressMax) }
    }
}
