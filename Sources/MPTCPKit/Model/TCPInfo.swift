/// What a subflow's `struct tcp_info` (INET_DIAG_INFO of its TCP socket) tells of its
/// traffic and its path. Fields a shorter (older) structure lacks are nil.
public struct TCPInfo: Sendable, Equatable {
    /// Smoothed round-trip time, microseconds (tcpi_rtt).
    public var rtt: UInt32?
    /// Congestion window, segments (tcpi_snd_cwnd).
    public var congestionWindow: UInt32?
    /// Segments retransmitted over the socket's life (tcpi_total_retrans).
    public var totalRetransmits: UInt32?
    /// Pacing rate, bytes per second; `UInt64.max` when not limited (tcpi_pacing_rate).
    public var pacingRate: UInt64?
    /// Bytes the peer acknowledged (tcpi_bytes_acked, Linux 4.1).
    public var bytesAcked: UInt64?
    /// Bytes received (tcpi_bytes_received, Linux 4.1).
    public var bytesReceived: UInt64?
    /// Bytes sent, retransmissions included (tcpi_bytes_sent, Linux 4.19).
    public var bytesSent: UInt64?

    public init(rtt: UInt32? = nil, congestionWindow: UInt32? = nil, totalRetransmits: UInt32? = nil, pacingRate: UInt64? = nil,
                bytesAcked: UInt64? = nil, bytesReceived: UInt64? = nil, bytesSent: UInt64? = nil) {
        self.rtt = rtt
        self.congestionWindow = congestionWindow
        self.totalRetransmits = totalRetransmits
        self.pacingRate = pacingRate
        self.bytesAcked = bytesAcked
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
    }
}
