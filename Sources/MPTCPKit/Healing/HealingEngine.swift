/// The healing of one namespace's paths, as a pure state machine: told what the host,
/// the path manager's events, the probes and readings of the connections say, and when
/// (seconds on a monotonic clock), it answers with what happened (`HealingEvent`) and
/// what to do next (`Action`: probe, read the connections, repair an endpoint). A driver
/// (`Healer`) does the I/O; tests drive it with recorded sequences.
///
/// The policy, from what Linux 6.1 to 7.2 do (Docs/guide.md, "Failover"):
/// - A path is a local endpoint's address and one peer address. It goes down when its
///   interface loses its carrier or its address, or when trusted probes of the peer go
///   unanswered (`PathDetector`); the connections with a subflow on it then need it back.
/// - When it comes back, each of them is given `grace` to carry traffic on it by itself
///   (a subflow whose retransmission timer fires, the kernel re-creating what an endpoint
///   added again opens). One that still lacks it (`PathUse`) is repaired with the one
///   lever the in-kernel path manager offers: its endpoint deleted and added again, same
///   id, address, interface and flags. That closes and reopens the subflows from the
///   address on every connection, so it is done only when a connection really lacks the
///   path, at most once per `repairBackoff.first` seconds for one endpoint, the wait
///   doubling after each repair that did not heal, and the connections it disturbs are
///   named.
/// - An `address` endpoint has no such lever (the kernel uses it only when the peer
///   announces an address): its connections wait for the peer, whose own daemon
///   announces again by repairing its `signal` endpoint. It is kept while its interface
///   is gone (`held`), for `hold` seconds: deleting it would close its subflows before
///   the peer's withdrawal comes, and the kernel gives an `add_addr_accepted` slot back
///   only when a withdrawal finds the subflow still open.
/// - A connection that loses a subflow with an error on a path that works (a time-out,
///   a reset) needs it back too.
public struct HealingEngine: Sendable {
    /// What the driver must do.
    public enum Action: Sendable, Equatable {
        /// Send a probe for `key`, leaving by interface `interfaceIndex` (0: as routing says).
        case probe(PathDetector.ProbeKey, interfaceIndex: Int32)
        /// Read the namespace's connections (with tcp_info) and hand them to `read(_:at:)`
        /// (or say `readFailed(at:)`).
        case readConnections
        /// Delete `endpoint` and add it again; hand the outcome to `repairFinished`.
        case repair(Endpoint, PathReport)
    }

    /// What can bring a local address's subflows back.
    public enum Lever: Sendable, Equatable {
        /// Deleting and adding the endpoint again (subflow, fullmesh, signal).
        case repair
        /// Only the peer, announcing again (an `address` endpoint).
        case peer
        /// Nothing (an endpoint that makes no subflow, e.g. `backup` alone).
        case none

        init(_ flags: EndpointFlags) {
            if !flags.intersection([.subflow, .fullmesh, .signal]).isEmpty {
                self = .repair
            } else if flags.contains(.address) {
                self = .peer
            } else {
                self = .none
            }
        }
    }

    struct Local: Sendable {
        var endpoint: Endpoint
        /// Whether the kernel holds the endpoint now (the planner deletes one whose
        /// interface is gone; it comes back with it).
        var present: Bool
        /// Where probes leave: the endpoint's `dev`, else the interface holding the address.
        var interfaceIndex: Int32?
        var interfaceName: String?
        /// Since when it is not usable (no carrier, no address); nil while usable.
        var unusableSince: Double?
        var lever: Lever { Lever(endpoint.flags) }
    }

    struct Episode: Sendable {
        /// When the path came back (or the loss was seen, on a path that works).
        var back: Double
        var candidates: Set<UInt32>
        var checkAt: Double
        var repairedAt: Double?
        var repairs = 0
        var waitingSaid = false
    }

    struct Backoff: Sendable {
        var wait: Double
        var nextAllowed: Double
    }

    struct Repair: Sendable {
        var endpoint: Endpoint
        var report: PathReport
        var lacking: [UInt32]
        var touched: [UInt32]
        var attempt: Int
    }

    /// The peers probed from one address at most (the busiest first).
    public static let maxPeers = 8
    /// How long after a repair its new subflows are given before it counts as failed
    /// (a join takes a round trip or two).
    public static let settle = 1.0
    /// Between deleting a `signal` endpoint and adding it again (a repair): the peer's
    /// path manager must have handled the withdrawal before the announcement arrives.
    /// The withdrawal (RM_ADDR) is handled in the peer kernel's worker, later; an
    /// announcement (ADD_ADDR) that arrives first finds the address still counted
    /// against `add_addr_accepted` and is only echoed (Linux 6.18): back to back, a few
    /// repairs in a hundred opened nothing and took a second repair a second later.
    public static let announceGap = 0.1
    /// How long after the path came back a connection that still lacks it is tried for.
    public static let giveUpAfter = 60.0
    /// How often the connections are read to find stalled subflows on working paths.
    public static let sweepInterval = 5.0

    public let settings: HealingSettings
    public private(set) var detector: PathDetector
    public private(set) var table = SubflowTable()
    public private(set) var counters = HealingCounters()
    private(set) var locals: [IPAddress: Local] = [:]
    /// The connections that had a subflow on each path that is down.
    private(set) var down: [NetworkPath: Set<UInt32>] = [:]
    private(set) var episodes: [NetworkPath: Episode] = [:]
    private var backoffs: [IPAddress: Backoff] = [:]
    /// When each local address's endpoint was last repaired.
    private var repaired: [IPAddress: Double] = [:]
    private var queued: [Repair] = []
    private var inFlight: [IPAddress: Repair] = [:]
    private var readingAsked: Double?
    private var nextSweep: Double
    /// The addresses whose endpoints `held` kept, and when each hold ends.
    private var holds: [IPAddress: Double] = [:]
    /// A hold ended: the endpoints must be planned again (`takeReplan`).
    private var replan = false

    public init(settings: HealingSettings, at now: Double) {
        self.settings = settings
        detector = PathDetector(settings: settings)
        nextSweep = now + Self.sweepInterval
    }

    // MARK: - What happened

    /// The namespace's endpoints and interfaces now (at start, and after each change).
    public mutating func update(endpoints: [Endpoint], interfaces: InterfaceSnapshot, at now: Double) -> [HealingEvent] {
        var seen = Set<IPAddress>()
        for endpoint in endpoints where !endpoint.flags.contains(.implicit) {
            let address = endpoint.address.unmapped
            seen.insert(address)
            var local = locals[address] ?? Local(endpoint: endpoint, present: false)
            // An endpoint added (again: the planner follows its interface) is a repair
            // already: the kernel opens its subflows, or announces it, on every connection
            // at once. Its joins get the settle time before a repair would flap it again
            // (a join in flight over a slow or long path would be cut).
            if !local.present || local.endpoint.id != endpoint.id { repaired[address] = now }
            local.endpoint = endpoint
            local.present = true
            locals[address] = local
        }
        var events: [HealingEvent] = []
        for address in Array(locals.keys) {
            if !seen.contains(address) { locals[address]?.present = false }
            guard var local = locals[address] else { continue }
            let (index, name, reason) = Self.usability(of: local.endpoint, in: interfaces)
            local.interfaceIndex = index
            local.interfaceName = name ?? local.interfaceName
            if reason == nil {
                local.unusableSince = nil
            } else if local.unusableSince == nil {
                local.unusableSince = now
            }
            locals[address] = local
            events += handle(detector.local(address, unusable: reason, at: now), at: now)
        }
        follow(at: now)
        return events
    }

    /// One event of the path manager.
    public mutating func observe(_ event: PathManagerEvent, at now: Double) -> [HealingEvent] {
        switch table.apply(event) {
        case let .opened(_, entry)?:
            // A new subflow where a connection lacked the path: judge it soon.
            for (path, episode) in episodes where path.local == entry.path.local {
                episodes[path]?.checkAt = min(episode.checkAt, now + settings.grace)
            }
        case let .closed(token, entry, error)?:
            lost(token, entry.path, error: error, at: now)
        case let .connectionClosed(token, _)?:
            for path in Array(down.keys) { down[path]?.remove(token) }
            for path in Array(episodes.keys) { episodes[path]?.candidates.remove(token) }
        case nil:
            break
        }
        follow(at: now)
        return []
    }

    /// Events were lost: what the table knew is stale until the next reading.
    public mutating func eventsLost(at now: Double) {
        readingAsked = nil
        nextSweep = now
    }

    /// A probe for `key` was answered.
    public mutating func answered(_ key: PathDetector.ProbeKey, at now: Double) -> [HealingEvent] {
        handle(detector.answered(key, at: now), at: now)
    }

    /// Time passed: paths whose probes went unanswered for too long go down.
    public mutating func tick(at now: Double) -> [HealingEvent] {
        var events = handle(detector.evaluate(at: now), at: now)
        for (address, end) in holds where end <= now {
            holds[address] = nil
            replan = true
        }
        // A path whose local address has been unusable longer than `hold` is given up.
        for (path, tokens) in down {
            guard let since = locals[path.local]?.unusableSince, now - since > settings.hold else { continue }
            down[path] = nil
            detector.forget(path)
            if !tokens.isEmpty {
                counters.gaveUp += 1
                events.append(.gaveUp(report(path), connections: tokens.sorted(), seconds: now - since))
            }
        }
        counters.pathsDown = UInt64(down.count)
        return events
    }

    /// A reading of the connections asked for by `.readConnections`.
    public mutating func read(_ connections: [Connection], at now: Double) -> [HealingEvent] {
        readingAsked = nil
        table.replace(with: connections)
        follow(at: now)
        var events: [HealingEvent] = []
        // Only the connections an episode judges, by token.
        var wanted = Set<UInt32>()
        for episode in episodes.values where episode.checkAt <= now { wanted.formUnion(episode.candidates) }
        var byToken: [UInt32: Connection] = [:]
        for connection in connections where wanted.contains(connection.token) { byToken[connection.token] = connection }
        if now >= nextSweep {
            nextSweep = now + Self.sweepInterval
            sweep(connections, at: now)
        }
        for path in episodes.keys.sorted(by: { $0.description < $1.description }) {
            guard let episode = episodes[path], episode.checkAt <= now else { continue }
            events += check(path, episode, byToken, connections, at: now)
        }
        return events
    }

    /// The reading failed: try again at the next deadline.
    public mutating func readFailed(at now: Double) {
        readingAsked = nil
        for (path, episode) in episodes { episodes[path]?.checkAt = max(episode.checkAt, now + settings.grace) }
    }

    /// The outcome of a `.repair` action (nil: done).
    public mutating func repairFinished(_ endpoint: Endpoint, error: PathManagerError?, at now: Double) -> [HealingEvent] {
        guard let repair = inFlight.removeValue(forKey: endpoint.address.unmapped) else { return [] }
        if let error {
            counters.repairFailures += 1
            return [.repairFailed(repair.report, endpoint: endpoint, error)]
        }
        counters.repairs += 1
        counters.touchedConnections += UInt64(repair.touched.count)
        return [.repaired(repair.report, endpoint: endpoint, lacking: repair.lacking, touched: repair.touched, attempt: repair.attempt)]
    }

    // MARK: - What to do

    /// What is due now: probes, a reading of the connections, repairs.
    public mutating func actions(at now: Double) -> [Action] {
        var actions: [Action] = []
        for key in detector.due(at: now).sorted(by: { $0.description < $1.description }) {
            actions.append(.probe(key, interfaceIndex: locals[key.local]?.interfaceIndex ?? 0))
            detector.sent(key, at: now)
        }
        let checkDue = episodes.values.contains { $0.checkAt <= now }
        if readingAsked == nil, checkDue || (sweeping && now >= nextSweep) {
            readingAsked = now
            actions.append(.readConnections)
        }
        for repair in queued {
            inFlight[repair.endpoint.address.unmapped] = repair
            actions.append(.repair(repair.endpoint, repair.report))
        }
        queued = []
        return actions
    }

    /// When the driver must come back (nil: only when something happens).
    public func nextDeadline(after now: Double) -> Double? {
        var next = detector.nextDeadline(after: now)
        func consider(_ time: Double) { next = min(next ?? time, time) }
        if readingAsked == nil {
            for episode in episodes.values { consider(episode.checkAt) }
            if sweeping { consider(nextSweep) }
        }
        for (path, _) in down { if let since = locals[path.local]?.unusableSince { consider(since + settings.hold + 0.001) } }
        for end in holds.values { consider(end) }
        return next
    }

    /// The endpoints to keep although their address is not usable: `address` endpoints
    /// whose interface lost its carrier or address less than `hold` seconds ago. When a
    /// hold ends, `takeReplan` says so.
    public mutating func held(_ current: [Endpoint], at now: Double) -> [EndpointSpec] {
        current.compactMap { endpoint in
            guard Lever(endpoint.flags) == .peer, let local = locals[endpoint.address.unmapped],
                  let since = local.unusableSince, now - since < settings.hold else { return nil }
            holds[endpoint.address.unmapped] = since + settings.hold
            return endpoint.spec
        }
    }

    /// Whether a hold ended since the last call: the endpoints must be planned again.
    public mutating func takeReplan() -> Bool {
        defer { replan = false }
        return replan
    }

    /// The connections whose subflows healing reads: only while there are endpoints to heal.
    private var sweeping: Bool { !table.connections.isEmpty && locals.values.contains { $0.present && $0.lever != .none } }

    // MARK: - Inside

    /// Paths to follow: from each endpoint's address to the peers its subflows go to (the
    /// busiest `maxPeers`); paths that are up with no subflow and nothing to heal go.
    private mutating func follow(at now: Double) {
        for (address, local) in locals where local.present && local.lever != .none {
            let peers = table.peers(of: address).sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.description < $1.key.description }
            for (peer, _) in peers.prefix(Self.maxPeers) {
                detector.follow(NetworkPath(local: address, remote: peer), interface: local.interfaceName, at: now)
            }
        }
        for (path, status) in detector.status {
            let used = !table.tokens(on: path).isEmpty
            switch status {
            case .up where !used && episodes[path] == nil:
                detector.forget(path)
            case .down where !used && down[path]?.isEmpty ?? true && locals[path.local]?.unusableSince == nil:
                // Down by probes, and nothing on it any more.
                detector.forget(path)
                down[path] = nil
            default:
                break
            }
        }
        for address in Array(locals.keys) where !(locals[address]?.present ?? true) {
            if detector.paths(from: address).isEmpty, !episodes.keys.contains(where: { $0.local == address }) {
                locals[address] = nil
            }
        }
        counters.pathsDown = UInt64(down.count)
    }

    private mutating func handle(_ transitions: [PathDetector.Transition], at now: Double) -> [HealingEvent] {
        var events: [HealingEvent] = []
        for transition in transitions {
            switch transition {
            case let .down(path, reason):
                var tokens = table.tokens(on: path)
                if let episode = episodes.removeValue(forKey: path) { tokens.formUnion(episode.candidates) }
                down[path] = tokens
                counters.pathFailures += 1
                events.append(.pathDown(report(path), reason: reason, connections: tokens.sorted()))
            case let .up(path, downFor, reason):
                let tokens = down.removeValue(forKey: path) ?? []
                events.append(.pathUp(report(path), reason: reason, downFor: downFor, connections: tokens.sorted()))
                if !tokens.isEmpty { episodes[path] = Episode(back: now, candidates: tokens, checkAt: now + settings.grace) }
            }
        }
        counters.pathsDown = UInt64(down.count)
        return events
    }

    /// A connection lost a subflow on `path`.
    private mutating func lost(_ token: UInt32, _ path: NetworkPath, error: UInt8?, at now: Double) {
        guard let local = locals[path.local] else { return }
        if down[path] != nil {
            down[path]?.insert(token)
            return
        }
        // Closed as its interface went (the planner deletes such endpoints), by our own
        // repair, or in order (the peer withdrew its address, the program closed it).
        if local.unusableSince != nil { return }
        if let at = repaired[path.local], now - at < Self.settle { return }
        guard let error, error != 0 else { return }
        // Lost with an error on a path that works: it needs the path back.
        episodes[path, default: Episode(back: now, candidates: [], checkAt: now + settings.grace)].candidates.insert(token)
        detector.follow(path, interface: local.interfaceName, at: now)
    }

    /// Stalled subflows on paths that are up (their sending end sees it; a probe may not,
    /// when only TCP is cut): their connections lack the path.
    private mutating func sweep(_ connections: [Connection], at now: Double) {
        for connection in connections where !connection.isListening {
            for subflow in connection.subflows where subflow.isEstablished {
                let path = NetworkPath(local: subflow.local, remote: subflow.remote)
                guard let local = locals[path.local], local.present, local.lever != .none, local.unusableSince == nil,
                      detector.status[path] == .up, subflow.health().isStalled else { continue }
                if let at = repaired[path.local], now - at < Self.settle { continue }
                episodes[path, default: Episode(back: now, candidates: [], checkAt: now + settings.grace)].candidates
                    .insert(connection.token)
            }
        }
    }

    /// Judges an episode due for its check against a reading.
    private mutating func check(_ path: NetworkPath, _ episode: Episode, _ byToken: [UInt32: Connection],
                                _ connections: [Connection], at now: Double) -> [HealingEvent] {
        var episode = episode
        let since = episode.repairedAt ?? episode.back
        var lacking: [UInt32] = [], fine: [UInt32] = [], unsure: [UInt32] = []
        for token in episode.candidates.sorted() {
            let use = PathUse(byToken[token], from: path.local, over: now - since)
            switch use {
            case .gone: continue
            case .lacking: lacking.append(token)
            case .carrying, .idle: fine.append(token)
            case .unsure: unsure.append(token)
            }
        }
        episode.candidates = Set(lacking + fine + unsure)
        if lacking.isEmpty, !unsure.isEmpty {
            episode.checkAt = now + max(settings.grace, 0.1)
            episodes[path] = episode
            return []
        }
        if lacking.isEmpty {
            episodes[path] = nil
            backoffs[path.local]?.wait = settings.repairBackoff.first
            guard !fine.isEmpty else { return [] }
            counters.healed += 1
            counters.healSeconds += now - episode.back
            return [.healed(report(path), connections: fine, seconds: now - episode.back, repairs: episode.repairs)]
        }
        if now - episode.back >= Self.giveUpAfter {
            episodes[path] = nil
            counters.gaveUp += 1
            return [.gaveUp(report(path), connections: lacking, seconds: now - episode.back)]
        }
        guard let local = locals[path.local] else {
            episodes[path] = nil
            return []
        }
        var events: [HealingEvent] = []
        switch local.lever {
        case .repair:
            let backoff = backoffs[path.local] ?? Backoff(wait: settings.repairBackoff.first, nextAllowed: -.infinity)
            if !local.present || local.unusableSince != nil || detector.status[path] != .up || inFlight[path.local] != nil {
                episode.checkAt = now + max(settings.grace, 0.1)
            } else if let at = [episode.repairedAt, repaired[path.local]].compactMap({ $0 }).max(), now - at < Self.settle {
                episode.checkAt = now + max(settings.grace, 0.1)
            } else if now < backoff.nextAllowed {
                episode.checkAt = backoff.nextAllowed
            } else {
                let touched = connections.filter { connection in
                    !lacking.contains(connection.token) && connection.subflows.contains { subflow in
                        subflow.local.unmapped == path.local && subflow.isEstablished && !subflow.health().isStalled
                    }
                }.map(\.token).sorted()
                episode.repairs += 1
                episode.repairedAt = now
                episode.checkAt = now + max(settings.grace, 0.5)
                backoffs[path.local] = Backoff(wait: min(backoff.wait * 2, settings.repairBackoff.most), nextAllowed: now + backoff.wait)
                repaired[path.local] = now
                queued.append(Repair(endpoint: local.endpoint, report: report(path), lacking: lacking, touched: touched,
                                     attempt: episode.repairs))
                // One repair serves every path from the address.
                for (other, _) in episodes where other != path && other.local == path.local {
                    episodes[other]?.repairedAt = now
                    episodes[other]?.checkAt = episode.checkAt
                }
            }
        case .peer:
            if !episode.waitingSaid {
                episode.waitingSaid = true
                events.append(.waitingForPeer(report(path), connections: lacking))
            }
            episode.checkAt = now + 1
        case .none:
            episodes[path] = nil
            return []
        }
        episodes[path] = episode
        return events
    }

    private func report(_ path: NetworkPath) -> PathReport {
        let local = locals[path.local]
        return PathReport(path: path, interface: local?.interfaceName, endpoint: local?.endpoint.id)
    }

    /// Where an endpoint's subflows leave (its `dev`, else the interface holding its
    /// address) and why it is not usable (nil: it is).
    static func usability(of endpoint: Endpoint, in snapshot: InterfaceSnapshot)
        -> (index: Int32?, name: String?, reason: PathDetector.Reason?) {
        let address = endpoint.address.unmapped
        let held = snapshot.addresses.filter { $0.address.unmapped == address && !$0.isTentative && !$0.dadFailed }
        let index = endpoint.interfaceIndex != 0 ? endpoint.interfaceIndex : held.first?.interfaceIndex
        guard let index, let interface = snapshot.interface(index: index) else {
            return (index, nil, held.isEmpty && endpoint.interfaceIndex == 0 ? .address : .carrier)
        }
        if !interface.isUp || !interface.isRunning { return (index, interface.name, .carrier) }
        if held.isEmpty { return (index, interface.name, .address) }
        return (index, interface.name, nil)
    }
}
