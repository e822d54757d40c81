import MPTCPKit

/// A subflow's health as `top`, `connections`, `check` and `doctor` word it.
extension SubflowHealth {
    /// "working", "idle", "stalled", "opening" or "closing" (`top -j`'s `health`).
    var word: String {
        switch state {
        case .opening: "opening"
        case .working: "working"
        case .idle: "idle"
        case .stalled: "stalled"
        case .closing: "closing"
        }
    }

    /// Why it is stalled: "backoff" (retransmission timeouts), "probes" (unanswered),
    /// "unacked" (nothing acknowledged); nil when it is not (`top -j`'s `stall`).
    var stallWord: String? {
        guard case let .stalled(stall) = state else { return nil }
        switch stall {
        case .retransmissionTimeouts: return "backoff"
        case .probesUnanswered: return "probes"
        case .unacknowledged: return "unacked"
        }
    }

    /// "working", "idle", "stalled/backoff", …: the word and, when stalled, why.
    var text: String { stallWord.map { "stalled/" + $0 } ?? word }

    /// Whether its last RTT still describes the path: not while stalled or closing (the
    /// kernel keeps a dead path's last smoothed RTT), so views blank it.
    var rttIsLive: Bool {
        switch state {
        case .stalled, .closing: false
        case .opening, .working, .idle: true
        }
    }

    /// Milliseconds as a short duration: "0.4s", "9.9s", "45s", "12m", "3h", "9d"; "-"
    /// when not known. Never more than four characters, never cut.
    static func duration(_ milliseconds: UInt32?) -> String {
        guard let milliseconds else { return "-" }
        if milliseconds < 9_950 {
            let tenths = (Int(milliseconds) + 50) / 100
            return "\(tenths / 10).\(tenths % 10)s"
        }
        let seconds = (Int(milliseconds) + 500) / 1000
        if seconds < 100 { return "\(seconds)s" }
        if seconds < 100 * 60 { return "\(seconds / 60)m" }
        if seconds < 100 * 3600 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }
}
