/// Whether each path works, from what the host says (the local address's interface has
/// its carrier, the address is there) and from probes of the peer over the path: a pure
/// state machine. It is told what happened and when (seconds on a monotonic clock), and
/// answers with the paths that went down or came back.
///
/// A probe answered once is trusted: when it goes unanswered for `deadAfter` (probes
/// sent all along), the path is dead, and it is back at the next answer. A peer that
/// never answered (ICMP filtered) is not probed into death: such a path's state comes
/// from its carrier and address alone (and the repair side watches its subflows).
public struct PathDetector: Sendable {
    /// Why a path is down.
    public enum Reason: Sendable, Equatable {
        /// Its interface is down, lost its carrier, or is gone.
        case carrier
        /// The local address is no longer on its interface.
        case address
        /// Probes of the peer went unanswered (for `deadAfter` at least).
        case probes
    }

    public enum Status: Sendable, Equatable {
        case up
        case down(since: Double, reason: Reason)
    }

    public enum Transition: Sendable, Equatable {
        case down(NetworkPath, Reason)
        /// Back after `downFor` seconds.
        case up(NetworkPath, downFor: Double, reason: Reason)
    }

    /// What is probed for a path: an address (and a port, for a TCP connect), from the
    /// path's local address.
    public struct ProbeKey: Sendable, Hashable, CustomStringConvertible {
        public var local: IPAddress
        public var target: IPAddress
        /// nil: ICMP echo; a port: a TCP connect.
        public var port: UInt16?

        public init(local: IPAddress, target: IPAddress, port: UInt16? = nil) {
            self.local = local.unmapped
            self.target = target.unmapped
            self.port = port
        }

        public var description: String { port.map { "\(target) port \($0)" } ?? "\(target)" }
    }

    struct Probe: Sendable {
        var lastSent: Double?
        var lastAnswer: Double?
        /// Probes sent since the last answer.
        var unanswered = 0
    }

    public let settings: HealingSettings
    /// Each local address that is not usable, and why (interface, address); absent: usable.
    private(set) var unusable: [IPAddress: (since: Double, reason: Reason)] = [:]
    /// The paths followed and their state.
    public private(set) var status: [NetworkPath: Status] = [:]
    /// What answers for each path (none: nothing is probed).
    private(set) var keys: [NetworkPath: ProbeKey] = [:]
    private(set) var probes: [ProbeKey: Probe] = [:]

    public init(settings: HealingSettings) { self.settings = settings }

    /// The key that answers for `path` on `interface`, as the settings' probe rules say.
    public func key(for path: NetworkPath, interface: String?) -> ProbeKey? {
        switch settings.probeTarget(interface: interface) {
        case .peers: ProbeKey(local: path.local, target: path.remote)
        case let .echo(address): ProbeKey(local: path.local, target: address)
        case let .connect(address, port): ProbeKey(local: path.local, target: address, port: port)
        case .none: nil
        }
    }

    /// Follows `path` (leaving by `interface`) from now on; a path already followed keeps
    /// its state. A new path is up, unless its local address is not usable.
    public mutating func follow(_ path: NetworkPath, interface: String?, at now: Double) {
        keys[path] = key(for: path, interface: interface)
        if let key = keys[path], probes[key] == nil { probes[key] = Probe() }
        guard status[path] == nil else { return }
        status[path] = unusable[path.local].map { .down(since: $0.since, reason: $0.reason) } ?? .up
    }

    /// Stops following `path` (its connections are gone and it is up, or given up on).
    public mutating func forget(_ path: NetworkPath) {
        status[path] = nil
        if let key = keys.removeValue(forKey: path), !keys.values.contains(key) { probes[key] = nil }
    }

    /// The paths from `local`.
    public func paths(from local: IPAddress) -> [NetworkPath] {
        status.keys.filter { $0.local == local.unmapped }
    }

    /// Says whether `local` is usable now (nil) or why not; the paths from it go down or
    /// may come back (back only once a trusted probe answers after it became usable).
    public mutating func local(_ local: IPAddress, unusable reason: Reason?, at now: Double) -> [Transition] {
        let local = local.unmapped
        switch (reason, unusable[local]) {
        case let (reason?, nil):
            unusable[local] = (now, reason)
        case (nil, _?):
            unusable[local] = nil
        default:
            return []
        }
        return evaluate(at: now, only: local)
    }

    /// A probe went out.
    public mutating func sent(_ key: ProbeKey, at now: Double) {
        guard probes[key] != nil else { return }
        probes[key]?.lastSent = now
        probes[key]?.unanswered += 1
    }

    /// A probe was answered (ICMP echo reply; a TCP connection accepted or refused).
    public mutating func answered(_ key: ProbeKey, at now: Double) -> [Transition] {
        guard probes[key] != nil else { return [] }
        probes[key]?.lastAnswer = now
        probes[key]?.unanswered = 0
        return evaluate(at: now, only: key.local)
    }

    /// The probes due now: each key of a path whose local address is usable, every
    /// `probeInterval` (at once for one that was never sent).
    public func due(at now: Double) -> [ProbeKey] {
        var keys = Set<ProbeKey>()
        for (path, key) in self.keys where unusable[path.local] == nil {
            let last = probes[key]?.lastSent ?? -Double.infinity
            if now - last >= settings.probeInterval * 0.999 { keys.insert(key) }
        }
        return Array(keys)
    }

    /// When something is next due: a probe, or a path's death if no answer comes.
    public func nextDeadline(after now: Double) -> Double? {
        var next: Double?
        func consider(_ time: Double) { next = min(next ?? time, time) }
        for (path, key) in keys where unusable[path.local] == nil {
            guard let probe = probes[key] else { continue }
            consider(probe.lastSent.map { $0 + settings.probeInterval } ?? now)
            if status[path] == .up, let answer = probe.lastAnswer { consider(answer + settings.deadAfter) }
        }
        return next
    }

    /// Whether the path's key answered once, so silence means something.
    public func trusts(_ path: NetworkPath) -> Bool {
        keys[path].flatMap { probes[$0]?.lastAnswer } != nil
    }

    /// Re-judges every path (from `only` when given) as of `now`.
    public mutating func evaluate(at now: Double, only local: IPAddress? = nil) -> [Transition] {
        var transitions: [Transition] = []
        for (path, current) in status.sorted(by: { $0.key.description < $1.key.description }) {
            if let local, path.local != local { continue }
            let next = judge(path, current, at: now)
            guard next != current else { continue }
            status[path] = next
            switch (current, next) {
            case let (.up, .down(_, reason)):
                transitions.append(.down(path, reason))
            case let (.down(since, reason), .up):
                transitions.append(.up(path, downFor: now - since, reason: reason))
            default:
                break // down for another reason: the first one stands
            }
        }
        return transitions
    }

    private func judge(_ path: NetworkPath, _ current: Status, at now: Double) -> Status {
        if let (since, reason) = unusable[path.local] {
            if case .down = current { return current }
            return .down(since: since, reason: reason)
        }
        let probe = keys[path].flatMap { probes[$0] }
        guard let probe, let answer = probe.lastAnswer else {
            // Nothing trusted answers for it: usable is up.
            return .up
        }
        switch current {
        case .up:
            // Dead when a trusted probe is unanswered for deadAfter, at least two sent since.
            if now - answer >= settings.deadAfter, probe.unanswered >= 2 { return .down(since: answer, reason: .probes) }
            return .up
        case let .down(since, _):
            // Back at the first answer after it went down.
            return answer > since ? .up : current
        }
    }
}
