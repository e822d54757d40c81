/// Keeps one namespace as a desired state says, endpoints that follow its interfaces
/// included: a daemon's loop. Each round reads the namespace and its interfaces, plans,
/// and carries the plan out under the namespace's writers' lock; a refused plan is
/// rolled back and the loop goes on (the next change or check tries again). Rounds
/// come at start, on every link and address change (a burst of changes is one round),
/// after changes were lost (everything is read again), and every `interval` seconds,
/// to repair what others changed. It prints nothing: each round is a value to report.
///
/// With healing on, a `Healer` rides the same loop: its descriptors are waited on beside
/// the interfaces', its deadline shortens the wait, its events come as `.healing` (or
/// with the round whose interface change caused them), and the rules keep an `address`
/// endpoint while its interface is gone (`HealingEngine.held`).
///
/// Runs on the caller's thread; the caller owns its stop and reload signals and passes
/// their descriptors to `next(wake:)`.
public final class Reconciler {
    /// Why a round ran.
    public enum Trigger: Sendable, Equatable {
        case start
        /// Links or addresses changed.
        case change
        /// Changes were lost (the receive buffer overran): everything was read again.
        case resync
        /// The periodic full check.
        case interval
        /// The caller asked (after it changed `desired`).
        case request
    }

    /// What a round did.
    public enum Outcome: Sendable, Equatable {
        /// The namespace already matched.
        case unchanged
        /// Every step of the plan was carried out.
        case done
        /// The plan was refused, and rolled back as `PlanFailure` says.
        case refused(PlanFailure)
    }

    /// One round: what it found, planned and did, and what is new since the last one
    /// (so a report says a problem once, not at every change).
    public struct Round {
        public var trigger: Trigger
        /// The namespace as read and planned; nil when the state plans no namespace.
        public var prepared: Apply.Prepared?
        public var outcome: Outcome
        /// Entries of the state the namespace cannot take (a `dev` it lacks), skipped.
        public var missing: [Apply.MissingDevice]
        /// Whether `missing` differs from the last round's.
        public var missingChanged: Bool
        /// Whether addresses started not to fit (`prepared.leftOut` was empty before).
        public var leftOutIsNew: Bool
        /// Whether a refusal is the same as the last round's.
        public var refusalRepeats: Bool
        /// Seconds until the next full check, if nothing changes before.
        public var nextCheck: Double
        /// What healing saw and did during the round (a path lost with its interface).
        public var healing: [HealingEvent] = []
    }

    /// Why the loop cannot go on.
    public enum Failure: Error, Sendable, Equatable {
        /// Following the namespace's interfaces could not start.
        case following(PathManagerError)
        /// The writers' lock could not be taken.
        case lock(PathManagerError)
        /// The namespace could not be opened or read.
        case reading(Apply.Failure)
        /// Waiting for interface changes failed.
        case waiting(PathManagerError)
        /// The named namespace was deleted, or its name now names another namespace.
        case namespaceGone(String)
        /// Healing could not start (the path manager's events, the sockets' reader).
        case healing(PathManagerError)
    }

    /// What one wait brought.
    public enum Event {
        case round(Round)
        /// One of the caller's descriptors became readable; nothing was reconciled.
        case woken(Int32)
        /// Healing saw or did something between rounds.
        case healing([HealingEvent])
    }

    /// The state to keep; a new one (a file read again) takes effect at the next round,
    /// and what was said about the old one is said again if it still holds.
    public var desired: DesiredState {
        didSet { (leftOut, missing) = ([], []) }
    }
    public let netns: String?
    let keepUnlisted: Bool
    let interval: Double
    let endpointCapacity: Int
    let open: (String?) throws(PathManagerError) -> PathManager
    let lock: (String?) throws(PathManagerError) -> NamespaceLock?
    let watcher: InterfaceWatcher
    let gone: NamespaceWatch?
    /// nil with healing off.
    public private(set) var healer: Healer?
    /// How paths are healed (off: not at all).
    public private(set) var healing: HealingSettings
    var deadline: Double
    var leftOut: [FollowedEndpoints.Candidate] = []
    var missing: [Apply.MissingDevice] = []
    var lastRefusal: PlanFailure?

    /// Subscribes to the interface changes of `netns` (nil: the current namespace),
    /// whose identity is `identity` (`NamespaceIdentity(netns:)`); `open` gives its path
    /// manager and `lock` its writers' lock for each round. Followed endpoints fit in
    /// `endpointCapacity`, the endpoints the kernel lets a namespace hold. With `healing`
    /// enabled, its paths are healed as well.
    public init(netns: String?, identity: NamespaceIdentity, desired: DesiredState, keepUnlisted: Bool, interval: Double,
                endpointCapacity: Int, healing: HealingSettings = .off,
                open: @escaping (String?) throws(PathManagerError) -> PathManager,
                lock: @escaping (String?) throws(PathManagerError) -> NamespaceLock?) throws(Failure) {
        do throws(PathManagerError) { watcher = try InterfaceWatcher.open(netns: netns, follow: true) } catch {
            throw .following(error)
        }
        self.healing = healing
        if healing.enabled {
            do throws(PathManagerError) { healer = try Healer(netns: netns, settings: healing, open: open, lock: lock) } catch {
                throw .healing(error)
            }
        }
        self.netns = netns
        self.desired = desired
        self.keepUnlisted = keepUnlisted
        self.interval = interval
        self.endpointCapacity = endpointCapacity
        self.open = open
        self.lock = lock
        gone = netns.flatMap { NamespaceWatch(name: $0, identity: identity) }
        deadline = Timestamp.monotonic() + interval
    }

    /// Heals as `settings` say from now on (a file read again): healing starts afresh
    /// when they differ.
    public func heal(_ settings: HealingSettings) throws(Failure) {
        guard settings != healing else { return }
        healer = nil
        healing = settings
        guard settings.enabled else { return }
        do throws(PathManagerError) { healer = try Healer(netns: netns, settings: settings, open: open, lock: lock) } catch {
            throw .healing(error)
        }
    }

    /// Waits for the next reason to reconcile and runs that round, or returns as soon as
    /// one of `wake` becomes readable.
    public func next(wake: [Int32] = []) throws(Failure) -> Event {
        let descriptors = wake + (gone.map { [$0.fileDescriptor] } ?? []) + (healer?.descriptors ?? [])
        while true {
            let now = Timestamp.monotonic()
            let healing = healer?.deadline
            let left = max(0, min(deadline, healing ?? deadline) - now)
            let arrival: InterfaceWatcher.Arrival
            do throws(PathManagerError) {
                arrival = try watcher.next(timeout: Int32(min((left * 1000).rounded(.up), 3_600_000)), wake: descriptors)
            } catch {
                throw .waiting(error)
            }
            switch arrival {
            case let .woken(fd) where wake.contains(fd):
                return .woken(fd)
            case let .woken(fd) where healer?.descriptors.contains(fd) == true:
                if let event = try serviceHealer() { return event }
            case .timedOut where Timestamp.monotonic() < deadline:
                // Healing's deadline, not the full check's.
                if let event = try serviceHealer() { return event }
            case .woken:
                try checkGone()
            case .changed:
                drain(descriptors)
                return .round(try reconcile(.change))
            case .lost:
                drain(descriptors)
                return .round(try reconcile(.resync))
            case .timedOut:
                deadline = Timestamp.monotonic() + interval
                return .round(try reconcile(.interval))
            }
        }
    }

    /// Reads the namespace and its interfaces, plans, and carries the plan out under the
    /// namespace's writers' lock; then lets healing do what the changes call for.
    public func reconcile(_ trigger: Trigger) throws(Failure) -> Round {
        var round = try reconcileLocked(trigger)
        if let healer { round.healing += healer.service() }
        return round
    }

    private func reconcileLocked(_ trigger: Trigger) throws(Failure) -> Round {
        try checkGone()
        let held: NamespaceLock?
        do throws(PathManagerError) { held = try lock(netns) } catch { throw .lock(error) }
        defer { withExtendedLifetime(held) {} }
        // One reading of the interfaces serves the plan and healing.
        var snapshot: InterfaceSnapshot?
        let read = { [watcher] (_: String?) throws(PathManagerError) -> InterfaceSnapshot in
            if let snapshot { return snapshot }
            let taken = try watcher.snapshot()
            snapshot = taken
            return taken
        }
        let hold = healer.map { healer in
            { (endpoints: [Endpoint], interfaces: InterfaceSnapshot) -> [EndpointSpec] in
                healer.update(endpoints: endpoints, interfaces: interfaces)
                return healer.held(endpoints)
            }
        }
        let apply = Apply(keepUnlisted: keepUnlisted, open: open, interfaces: read, endpointCapacity: endpointCapacity, hold: hold)
        let result: (plans: [Apply.Prepared], missing: [Apply.MissingDevice])
        do throws(Apply.Failure) { result = try apply.prepare(desired, netns: netns) } catch { throw .reading(error) }
        // The next full check is an interval after the first round.
        if trigger == .start { deadline = Timestamp.monotonic() + interval }
        var round = Round(trigger: trigger, prepared: result.plans.first, outcome: .unchanged, missing: result.missing,
                          missingChanged: false, leftOutIsNew: false, refusalRepeats: false,
                          nextCheck: max(0, deadline - Timestamp.monotonic()))
        defer { if let healer, let prepared = round.prepared { updateHealing(healer, prepared, round.outcome, try? read(netns)) } }
        guard let prepared = round.prepared else { return round }
        round.missingChanged = result.missing != missing
        missing = result.missing
        round.leftOutIsNew = leftOut.isEmpty && !prepared.leftOut.isEmpty
        leftOut = prepared.leftOut
        guard !prepared.plan.isEmpty else { return round }
        do throws(PlanFailure) {
            try Apply.execute(prepared)
            round.outcome = .done
            lastRefusal = nil
        } catch {
            round.outcome = .refused(error)
            round.refusalRepeats = error == lastRefusal
            lastRefusal = error
        }
        return round
    }

    /// What healing has to say, or the round a hold that ended calls for.
    private func serviceHealer() throws(Failure) -> Event? {
        guard let healer else { return nil }
        let events = healer.service()
        if healer.takeReplan() {
            var round = try reconcile(.request)
            round.healing = events + round.healing
            return .round(round)
        }
        return events.isEmpty ? nil : .healing(events)
    }

    /// Healing learns the endpoints the round left (read again when it changed them) and
    /// the interfaces it planned from.
    private func updateHealing(_ healer: Healer, _ prepared: Apply.Prepared, _ outcome: Outcome, _ snapshot: InterfaceSnapshot?) {
        let endpoints = outcome == .done ? (try? prepared.manager.endpoints()) ?? prepared.saved.endpoints : prepared.saved.endpoints
        let interfaces: InterfaceSnapshot
        if let snapshot { interfaces = snapshot } else if let taken = try? watcher.snapshot() { interfaces = taken } else { return }
        healer.update(endpoints: endpoints, interfaces: interfaces)
    }

    private func checkGone() throws(Failure) {
        if let gone, gone.isGone(), let netns { throw .namespaceGone(netns) }
    }

    /// Takes what else is queued, so a burst of changes costs one round.
    private func drain(_ wake: [Int32]) {
        for _ in 0..<10_000 {
            guard let arrival = try? watcher.next(timeout: 0, wake: wake) else { return }
            switch arrival {
            case .changed, .lost: continue
            case .timedOut, .woken: return
            }
        }
    }
}
