/// One TCP subflow of an MPTCP connection, as sock_diag reports it, and the endpoint
/// it came from.
public struct Subflow: Sendable, Equatable {
    public var local: IPAddress
    public var remote: IPAddress
    public var localPort: UInt16
    public var remotePort: UInt16
    /// The TCP state (TCP_ESTABLISHED 1, …).
    public var state: UInt8
    /// The token of the connection at this end (what joins it to its connection).
    public var localToken: UInt32
    public var remoteToken: UInt32
    /// The address ids each end gave it (0: the initial subflow's address).
    public var localID: UInt8
    public var remoteID: UInt8
    /// MPTCP_SUBFLOW_FLAG_* bits, unknown ones kept.
    public var flags: UInt32
    /// The interface the socket is bound to (an endpoint with `dev`), 0 when none.
    public var boundInterfaceIndex: Int32
    /// The interface it leaves by: the bound one, else the one holding its local
    /// address; nil when neither is known.
    public var interfaceName: String?
    /// The id of the configured endpoint it was made from; nil for the initial subflow
    /// and for one whose local id is an implicit endpoint (the kernel made it).
    public var endpoint: UInt8?
    /// Its `struct tcp_info`: counters, RTT, cwnd; nil when the kernel sent none.
    public var tcpInfo: TCPInfo?

    public init(local: IPAddress, remote: IPAddress, localPort: UInt16, remotePort: UInt16, state: UInt8,
                localToken: UInt32, remoteToken: UInt32, localID: UInt8, remoteID: UInt8, flags: UInt32,
                boundInterfaceIndex: Int32 = 0, interfaceName: String? = nil, endpoint: UInt8? = nil, tcpInfo: TCPInfo? = nil) {
        self.local = local
        self.remote = remote
        self.localPort = localPort
        self.remotePort = remotePort
        self.state = state
        self.localToken = localToken
        self.remoteToken = remoteToken
        self.localID = localID
        self.remoteID = remoteID
        self.flags = flags
        self.boundInterfaceIndex = boundInterfaceIndex
        self.interfaceName = interfaceName
        self.endpoint = endpoint
        self.tcpInfo = tcpInfo
    }

    public static let backupLocalFlag: UInt32 = 1 << 5 // MPTCP_SUBFLOW_FLAG_BKUP_LOC
    public static let backupRemoteFlag: UInt32 = 1 << 4 // MPTCP_SUBFLOW_FLAG_BKUP_REM
    public static let joinLocalFlag: UInt32 = 1 << 3 // MPTCP_SUBFLOW_FLAG_JOIN_LOC
    public static let joinRemoteFlag: UInt32 = 1 << 2 // MPTCP_SUBFLOW_FLAG_JOIN_REM

    /// Used as a backup path: this end asked for it (a backup endpoint), or the peer did.
    public var isBackup: Bool { flags & (Self.backupLocalFlag | Self.backupRemoteFlag) != 0 }

    /// The connection's first subflow (MP_CAPABLE), not a join.
    public var isInitial: Bool { flags & (Self.joinLocalFlag | Self.joinRemoteFlag) == 0 }

    /// TCP_ESTABLISHED.
    public var isEstablished: Bool { state == 1 }

    /// How its path is doing, judged from its state and `tcp_info` with `thresholds`.
    public func health(_ thresholds: SubflowHealth.Thresholds = .standard) -> SubflowHealth {
        SubflowHealth(tcpState: state, tcpInfo: tcpInfo, thresholds: thresholds)
    }
}
