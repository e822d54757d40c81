/// What one reading of a connection's subflows says of its use of one local address
/// since a moment (the path came back, a repair was made): a pure judgement over the
/// subflows' `tcp_info` (`SubflowHealth`, the one classification of a subflow).
///
/// A subflow that only receives looks the same idle or cut off, so silence alone
/// condemns no subflow: it does when the connection moved data on its other subflows
/// meanwhile (its scheduler would have used this one, or its peer's retransmissions
/// would have come through), or when its own end sees data wait unacknowledged. A
/// working subflow of a bulk transfer over tbf-shaped paths was seen silent for up to
/// 344 ms (Linux 6.18, the recordings): shorter silences than `silence` say nothing.
public enum PathUse: Sendable, Equatable {
    /// An established subflow from the address moved data since.
    case carrying
    /// The connection moved nothing anywhere since, and a subflow from the address is
    /// established and not stalled: nothing to repair.
    case idle
    /// The connection needs the path back, for this reason.
    case lacking(Lack)
    /// Its subflow from the address moved nothing in the window, but has been silent
    /// for less than `silence`: too short to tell; look again later.
    case unsure
    /// The connection is gone.
    case gone

    public enum Lack: Sendable, Equatable {
        /// No established subflow from the address (none, or only opening or closing ones).
        case noSubflow
        /// Its subflow from the address is stalled (data waits, nothing acknowledged).
        case stalled
        /// Its subflow from the address moved nothing while its others did.
        case silent
    }

    /// How long a subflow must have moved nothing, while its connection moved data on
    /// others, to count as silent.
    public static let silence = 0.5

    public var isLacking: Bool {
        if case .lacking = self { return true }
        return false
    }

    /// Judges `connection` (nil: gone) on `local` over the last `elapsed` seconds.
    public init(_ connection: Connection?, from local: IPAddress, over elapsed: Double,
                thresholds: SubflowHealth.Thresholds = .standard) {
        guard let connection else { self = .gone; return }
        let local = local.unmapped
        let window = UInt32(clamping: Int((max(0, elapsed) * 1000).rounded()))
        func moved(_ subflow: Subflow, _ health: SubflowHealth) -> Bool {
            // Without tcp_info nothing says otherwise.
            guard let idle = health.idleTime else { return health.state == .working }
            return idle < window
        }
        var onPath: [(Subflow, SubflowHealth)] = [], othersMoved = false
        for subflow in connection.subflows {
            let health = subflow.health(thresholds)
            if subflow.local.unmapped == local {
                onPath.append((subflow, health))
            } else if subflow.isEstablished, moved(subflow, health) {
                othersMoved = true
            }
        }
        let established = onPath.filter { $0.0.isEstablished }
        if established.contains(where: { !$0.1.isStalled && moved($0.0, $0.1) }) { self = .carrying; return }
        guard !established.isEmpty else { self = .lacking(.noSubflow); return }
        if established.allSatisfy({ $0.1.isStalled }) { self = .lacking(.stalled); return }
        guard othersMoved else { self = .idle; return }
        let quiet = established.compactMap { $0.1.idleTime }.min().map { Double($0) / 1000 } ?? .infinity
        self = quiet < Self.silence ? .unsure : .lacking(.silent)
    }
}
