/// What a subflow's `struct tcp_info` (INET_DIAG_INFO of its TCP socket) tells of its
/// traffic and its path. Fields a shorter (older) structure lacks are nil.
public struct TCPInfo: Sendable, Equatable {
    /// The TCP state (tcpi_state: TCP_ESTABLISHED 1, TCP_SYN_SENT 2, …).
    public var state: UInt8?
    /// The congestion-control state (tcpi_ca_state: 0 open, 1 disorder, 2 CWR,
    /// 3 recovery, 4 loss: after a retransmission timeout).
    public var congestionState: UInt8?
    /// Retransmission timeouts in a row with nothing acknowledged since
    /// (tcpi_retransmits: reset when the peer acknowledges new data).
    public var retransmits: UInt8?
    /// Window or keepalive probes sent and not answered (tcpi_probes: reset by any
    /// acknowledgement).
    public var probes: UInt8?
    /// The retransmission timer's exponential backoff (tcpi_backoff).
    public var backoff: UInt8?
    /// The retransmission timeout, microseconds, backoff included (tcpi_rto).
    public var retransmissionTimeout: UInt32?
    /// Segments sent and not yet acknowledged (tcpi_unacked).
    public var unacked: UInt32?
    /// Segments thought lost (tcpi_lost).
    public var lost: UInt32?
    /// Milliseconds since data was last sent (tcpi_last_data_sent).
    public var lastDataSent: UInt32?
    /// Milliseconds since data was last received (tcpi_last_data_recv).
    public var lastDataReceived: UInt32?
    /// Milliseconds since an acknowledgement was last received (tcpi_last_ack_recv).
    public var lastAckReceived: UInt32?
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
    /// Bytes written by the application and not sent yet (tcpi_notsent_bytes, Linux 4.6).
    public var notSentBytes: UInt32?
    /// Microseconds spent sending data (tcpi_busy_time, Linux 4.10).
    public var busyTime: UInt64?
    /// Bytes sent, retransmissions included (tcpi_bytes_sent, Linux 4.19).
    public var bytesSent: UInt64?
    /// The peer's receive window, bytes (tcpi_snd_wnd, Linux 5.4): 0 while it takes no data.
    public var peerWindow: UInt32?
    /// Retransmission timeouts over the socket's life (tcpi_total_rto, Linux 6.7).
    public var totalTimeouts: UInt16?
    /// Milliseconds spent recovering from retransmission timeouts, the one under way
    /// included (tcpi_total_rto_time, Linux 6.7).
    public var totalTimeoutTime: UInt32?

    public init(state: UInt8? = nil, congestionState: UInt8? = nil, retransmits: UInt8? = nil, probes: UInt8? = nil,
                backoff: UInt8? = nil, retransmissionTimeout: UInt32? = nil, unacked: UInt32? = nil, lost: UInt32? = nil,
                lastDataSent: UInt32? = nil, lastDataReceived: UInt32? = nil, lastAckReceived: UInt32? = nil,
                rtt: UInt32? = nil, congestionWindow: UInt32? = nil, totalRetransmits: UInt32? = nil, pacingRate: UInt64? = nil,
                bytesAcked: UInt64? = nil, bytesReceived: UInt64? = nil, notSentBytes: UInt32? = nil, busyTime: UInt64? = nil,
                bytesSent: UInt64? = nil, peerWindow: UInt32? = nil, totalTimeouts: UInt16? = nil, totalTimeoutTime: UInt32? = nil) {
        self.state = state
        self.congestionState = congestionState
        self.retransmits = retransmits
        self.probes = probes
        self.backoff = backoff
        self.retransmissionTimeout = retransmissionTimeout
        self.unacked = unacked
        self.lost = lost
        self.lastDataSent = lastDataSent
        self.lastDataReceived = lastDataReceived
        self.lastAckReceived = lastAckReceived
        self.rtt = rtt
        self.congestionWindow = congestionWindow
        self.totalRetransmits = totalRetransmits
        self.pacingRate = pacingRate
        self.bytesAcked = bytesAcked
        self.bytesReceived = bytesReceived
        self.notSentBytes = notSentBytes
        self.busyTime = busyTime
        self.bytesSent = bytesSent
        self.peerWindow = peerWindow
        self.totalTimeouts = totalTimeouts
        self.totalTimeoutTime = totalTimeoutTime
    }
}
