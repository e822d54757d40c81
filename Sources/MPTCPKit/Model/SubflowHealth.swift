/// How a subflow's path is doing, judged from one reading of its `tcp_info`: opening,
/// working, idle, stalled (and why), or closing; and how long nothing came back on it.
///
/// The thresholds come from series recorded on Linux 6.18 (the tests replay them): two
/// tbf-shaped veth paths (8 and 16 Mbit/s), the client's `tcp_info` read every 200 ms
/// during a bulk upload, an upload beside a backup subflow, a trickle of 10 kB every
/// 200 ms, an idle connection, a peer that stops reading, and black holes made with
/// iptables DROP in the client's namespace:
/// - A working sending subflow is acknowledged every few milliseconds: in bulk, its
///   slow-start losses included, `tcpi_last_ack_recv` never passed 32 ms while data was
///   outstanding (`tcpi_unacked` > 0).
/// - A subflow the scheduler leaves unused (a backup one, the slower path of a trickle,
///   an idle connection) has nothing outstanding and no probe pending, and its idle time
///   grows without bound: that is idle, never stalled (the 77 false alarms in 70 s that
///   issue 30 saw came from idle time alone).
/// - A black hole for the acknowledgements (DROP on INPUT) leaves data outstanding and
///   fires retransmission timeouts: `tcpi_retransmits` 1 after ~0.2 s, 2 after ~0.6 s,
///   `tcpi_backoff` doubling the timer (`tcpi_ca_state` 4, loss). One for the segments
///   as they leave (DROP on OUTPUT) sends nothing at all: `tcpi_unacked` falls to 0 and
///   the kernel retries with probes (`tcpi_probes` and `tcpi_backoff` 2 after ~0.5 s).
/// - A peer that stops reading closes its window: the kernel probes it, each probe is
///   answered within the RTT (`tcpi_probes` back to 0, never above 1), and with nothing
///   outstanding the subflow reads idle: the path is fine.
/// - So: stalled when data waits (outstanding, a timeout fired, or two probes or more
///   unanswered) and nothing was acknowledged for `stalledAfter` — 1 s by default, 30
///   times the longest gap of a working path, and at least twice the last smoothed RTT.
///   A black hole is seen about a second after it begins; working paths never were.
/// - Only the sending end can tell: a subflow that only receives shows the same thing
///   idle or black-holed (nothing outstanding, its idle time growing). Its peer sees the
///   stall; or a probe must decide.
public struct SubflowHealth: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// The handshake is under way (SYN sent or received).
        case opening
        /// Established, with data moving or acknowledged lately.
        case working
        /// Established, nothing outstanding, nothing moved for `idleAfter`: unused,
        /// which says nothing against its path.
        case idle
        /// Data waits and nothing came back for `stalledAfter`, for the reason given.
        case stalled(Stall)
        /// Past the connection's life: a FIN sent or received, or closed.
        case closing
    }

    /// Why a subflow is stalled.
    public enum Stall: Sendable, Equatable {
        /// Retransmission timeouts fired and nothing was acknowledged since (in RTO
        /// backoff: segments or acknowledgements lost on the path; an unanswered SYN).
        case retransmissionTimeouts
        /// Two probes or more unanswered: the peer's window closed and its answers do
        /// not come, or this host could not send at all (a local firewall's DROP).
        case probesUnanswered
        /// Data outstanding, no timeout yet, and no acknowledgement for `stalledAfter`.
        case unacknowledged
    }

    /// Where working ends: how long without an acknowledgement, while data waits, is a
    /// stall; how long with nothing moving is idle. Milliseconds.
    public struct Thresholds: Sendable, Equatable {
        public var stalledAfter: UInt32
        public var idleAfter: UInt32

        public init(stalledAfter: UInt32 = 1000, idleAfter: UInt32 = 1000) {
            self.stalledAfter = stalledAfter
            self.idleAfter = idleAfter
        }

        public static let standard = Thresholds()
    }

    public var state: State
    /// Milliseconds since data was last received or acknowledged on it (the lesser of
    /// `tcpi_last_data_recv` and `tcpi_last_ack_recv`): how long it has been idle, or
    /// stalled; nil without tcp_info.
    public var idleTime: UInt32?

    public init(state: State, idleTime: UInt32?) {
        self.state = state
        self.idleTime = idleTime
    }

    /// Judges a subflow in TCP state `tcpState` (the socket's, TCP_ESTABLISHED 1, …)
    /// from its `tcp_info` (nil: none sent; an established subflow then counts as
    /// working, as nothing says otherwise).
    public init(tcpState: UInt8, tcpInfo: TCPInfo?, thresholds: Thresholds = .standard) {
        let idle: UInt32? = switch (tcpInfo?.lastDataReceived, tcpInfo?.lastAckReceived) {
        case let (data?, ack?): min(data, ack)
        case let (one, other): one ?? other
        }
        self.idleTime = idle
        switch tcpState {
        case 1: // TCP_ESTABLISHED
            guard let tcp = tcpInfo else { self.state = .working; return }
            let retransmits = tcp.retransmits ?? 0, probes = tcp.probes ?? 0, unacked = tcp.unacked ?? 0
            // One probe pending is a zero window's probe on its way: a live peer answers it.
            let waiting = unacked > 0 || probes >= 2 || retransmits > 0
            let patience = max(thresholds.stalledAfter, (tcp.rtt ?? 0) / 500)
            if waiting, let silent = tcp.lastAckReceived, silent >= patience {
                self.state = .stalled(retransmits > 0 ? .retransmissionTimeouts : probes >= 2 ? .probesUnanswered : .unacknowledged)
            } else if !waiting, let idle, idle >= thresholds.idleAfter {
                self.state = .idle
            } else {
                self.state = .working
            }
        case 2, 3: // TCP_SYN_SENT, TCP_SYN_RECV: a SYN (or SYN-ACK) retransmitted is unanswered.
            self.state = (tcpInfo?.retransmits ?? 0) > 0 ? .stalled(.retransmissionTimeouts) : .opening
        default:
            self.state = .closing
        }
    }

    /// Stalled, for any reason.
    public var isStalled: Bool {
        if case .stalled = state { return true }
        return false
    }
}
