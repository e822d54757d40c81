import Glibc
import Netlink

/// Heals one namespace's paths: the I/O around a `HealingEngine`. It follows the path
/// manager's events, sends the engine's probes and reads their answers, reads the
/// connections when the engine asks, and repairs endpoints (delete, add again) under
/// the namespace's writers' lock. A daemon's loop waits on `descriptors` beside its own
/// and calls `service()` when one is readable or `deadline` passed; the host's changes
/// come through `update` (a `Reconciler` does all of this).
///
/// Thread and namespace rules: `open` makes every socket inside the namespace; the
/// healer is then used from one thread at a time.
public final class Healer {
    public private(set) var engine: HealingEngine
    public let netns: String?
    private let monitor: EventMonitor
    private let reader: ConnectionReader
    /// nil when probes cannot be sent (no CAP_NET_RAW): carrier, address and the
    /// subflows decide alone.
    private let prober: PathProber?
    /// Why probes cannot be sent, for the program to say once.
    public let probeProblem: PathManagerError?
    private let open: (String?) throws(PathManagerError) -> PathManager
    private let lock: (String?) throws(PathManagerError) -> NamespaceLock?
    /// Events that came from an update made inside a round, for the round to report.
    private var pending: [HealingEvent] = []

    /// Opens the event subscription, the socket reader and the prober of `netns` (nil:
    /// the current namespace); `open` gives its path manager and `lock` its writers' lock
    /// for each repair.
    public init(netns: String?, settings: HealingSettings, open: @escaping (String?) throws(PathManagerError) -> PathManager,
                lock: @escaping (String?) throws(PathManagerError) -> NamespaceLock?) throws(PathManagerError) {
        self.netns = netns
        self.open = open
        self.lock = lock
        engine = HealingEngine(settings: settings, at: Timestamp.monotonic())
        monitor = try EventMonitor.open(netns: netns)
        reader = try ConnectionReader.open(netns: netns)
        do throws(PathManagerError) {
            prober = try PathProber.open(netns: netns, patience: max(settings.deadAfter, 4 * settings.probeInterval))
            probeProblem = nil
        } catch {
            prober = nil
            probeProblem = error
        }
        // What is open now, before any event: the table's first filling.
        if let connections = try? reader.read(annotated: false) { _ = engine.read(connections, at: Timestamp.monotonic()) }
        HiddenSystemCalls.releaseFreeMemory()
    }

    /// The descriptors to wait on beside the caller's.
    public var descriptors: [Int32] { [monitor.fileDescriptor] + (prober?.descriptors ?? []) }

    /// When `service()` is next due, on the monotonic clock (nil: only when a descriptor
    /// is readable).
    public var deadline: Double? {
        let now = Timestamp.monotonic()
        var next = engine.nextDeadline(after: now)
        // A TCP probe completes as writable, which the loop does not wait for: look often.
        if prober?.connecting == true { next = min(next ?? now + 0.02, now + 0.02) }
        return next
    }

    /// The host's endpoints and interfaces now. The events this brings are kept for the
    /// next `service()` (or `takePending`); nothing is done here, as a round may call it
    /// while it holds the writers' lock that a repair takes.
    public func update(endpoints: [Endpoint], interfaces: InterfaceSnapshot) {
        pending += engine.update(endpoints: endpoints, interfaces: interfaces, at: Timestamp.monotonic())
    }

    /// The endpoints to keep although their address is not usable (`HealingEngine.held`).
    public func held(_ endpoints: [Endpoint]) -> [EndpointSpec] {
        engine.held(endpoints, at: Timestamp.monotonic())
    }

    /// Whether an endpoint's hold ended: the caller plans the namespace again.
    public func takeReplan() -> Bool { engine.takeReplan() }

    /// The events kept since the last call.
    public func takePending() -> [HealingEvent] {
        defer { pending = [] }
        return pending
    }

    /// Reads what came (events, probe answers), lets time pass, and does what is due.
    public func service() -> [HealingEvent] {
        var events = takePending()
        let now = Timestamp.monotonic()
        readEvents(at: now, into: &events)
        if let prober {
            for outcome in prober.collect(at: now) {
                switch outcome {
                case let .answered(key): events += engine.answered(key, at: now)
                }
            }
        }
        events += engine.tick(at: now)
        events += run(at: now)
        return events
    }

    /// The counters so far.
    public var counters: HealingCounters { engine.counters }

    private func readEvents(at now: Double, into events: inout [HealingEvent]) {
        // A burst is read to its end; each datagram holds several events.
        for _ in 0..<1000 {
            guard let arrival = try? monitor.next(timeout: 0) else { return }
            switch arrival {
            case let .events(list, _):
                for event in list { events += engine.observe(event, at: now) }
            case .lost:
                engine.eventsLost(at: now)
            case .timedOut, .woken:
                return
            }
        }
    }

    /// Does the engine's actions until it has none left (a reading may ask for a repair).
    private func run(at now: Double) -> [HealingEvent] {
        var events: [HealingEvent] = []
        for _ in 0..<8 {
            let actions = engine.actions(at: now)
            guard !actions.isEmpty else { break }
            for action in actions {
                switch action {
                case let .probe(key, interfaceIndex):
                    prober?.send(key, interfaceIndex: interfaceIndex, at: now)
                case .readConnections:
                    do throws(PathManagerError) {
                        events += engine.read(try reader.read(annotated: false), at: Timestamp.monotonic())
                    } catch {
                        engine.readFailed(at: now)
                    }
                    // A thousand connections read are a megabyte the heap would keep.
                    HiddenSystemCalls.releaseFreeMemory()
                case let .repair(endpoint, _):
                    events += engine.repairFinished(endpoint, error: repair(endpoint), at: Timestamp.monotonic())
                }
            }
        }
        return events
    }

    /// Deletes `endpoint` and adds it again, same id, address, port, interface and flags,
    /// under the writers' lock; nil when done. When the add fails after the delete, it is
    /// tried once more (the next reconciliation would add it back as well).
    private func repair(_ endpoint: Endpoint) -> PathManagerError? {
        do throws(PathManagerError) {
            let held = try lock(netns)
            defer { withExtendedLifetime(held) {} }
            let manager = try open(netns)
            try manager.delete(id: endpoint.id)
            if endpoint.flags.contains(.signal) { Self.pause(seconds: HealingEngine.announceGap) }
            do throws(PathManagerError) { try manager.add(endpoint.spec) } catch { try manager.add(endpoint.spec) }
            return nil
        } catch {
            return error
        }
    }

    /// Waits `seconds` (interrupted waits go on to the end).
    private static func pause(seconds: Double) {
        let end = Timestamp.monotonic() + seconds
        while case let left = end - Timestamp.monotonic(), left > 0 {
            _ = poll(nil, 0, Int32((left * 1000).rounded(.up)))
        }
    }
}
