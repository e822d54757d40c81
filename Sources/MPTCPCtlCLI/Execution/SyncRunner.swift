import Glibc
import MPTCPKit

/// `sync FILE`: keeps one namespace as FILE says, endpoints that follow the interfaces
/// included, with a `Reconciler`, and says what each of its rounds did. SIGINT and
/// SIGTERM end it with exit 0, leaving the endpoints as they are; SIGHUP reads FILE
/// again and keeps the old rules if the new file is not valid.
struct SyncRunner {
    let context: Context
    let managers: ManagerCache

    func run(_ options: SyncOptions, _ line: LineOptions) throws(CLIError) {
        let netns = line.netns, label = CountersView.label(netns)
        let desired = try read(options.file)
        let identity: NamespaceIdentity
        do throws(PathManagerError) { identity = try NamespaceIdentity(netns: netns) } catch {
            throw CLIError(error, operation: "sync")
        }
        if !options.ignoreManagers, let other = OtherManager.running(inNamespace: identity).first {
            throw .environment("sync: \(DoctorView.name(other.program)) (pid \(other.pid)) runs in namespace \(label) and "
                + "manages MPTCP endpoints too; two managers undo each other's endpoints: stop it (or turn its MPTCP "
                + "handling off), or start sync with --ignore-managers")
        }
        let stop: SignalDescriptor
        do throws(Errno) {
            stop = try SignalDescriptor([SIGINT, SIGTERM, SIGHUP])
        } catch {
            throw .environment("sync: cannot catch SIGINT, SIGTERM and SIGHUP: \(error)")
        }
        // Subscribed before the first reading, so no change falls between the two.
        let healing = Self.healing(desired, options)
        let reconciler = try reconciling(try Reconciler(
            netns: netns, identity: identity, desired: desired, keepUnlisted: options.keepUnlisted, interval: options.interval,
            endpointCapacity: endpointCapacity(), healing: healing,
            open: { [managers] netns throws(PathManagerError) in try managers.manager(for: netns) }, lock: context.lockNamespace))
        // Opened once, kept for every round (and warns if MPTCP is disabled there).
        _ = try managers.opened(netns)
        report(try reconciling(try reconciler.reconcile(.start)), line.format)
        var channel = openChannel(netns, healing: reconciler.healer != nil)
        ServiceNotifier.notify("READY=1")
        context.console.note("sync: ready: namespace \(label) follows \(options.file) "
            + "(\(desired.namespaces.first?.interfaces?.count ?? 0) interface rule(s)); "
            + "full check every \(SyncOptions.seconds(options.interval)) s; "
            + (reconciler.healer == nil ? "healing off" : "healing paths (probes every \(SyncOptions.seconds(healing.probeInterval)) s)"))
        if let problem = reconciler.healer?.probeProblem {
            context.console.warn("sync: healing cannot probe paths (\(CLIError(problem, operation: "probes").message)): "
                + "carrier, address and the subflows' state decide alone; probes need CAP_NET_RAW")
        }
        while true {
            let wake = [stop.fileDescriptor] + (channel.map { [$0.fileDescriptor] } ?? [])
            switch try reconciling(try reconciler.next(wake: wake)) {
            case let .round(round):
                report(round, line.format)
            case let .healing(events):
                report(events, netns: netns, line.format)
            case let .woken(fd) where fd == channel?.fileDescriptor:
                channel?.answer(reconciler.healer?.counters ?? HealingCounters())
            case .woken:
                let number: Int32?
                do throws(Errno) { number = try stop.take() } catch { throw .environment("sync: reading signals: \(error)") }
                if number == SIGHUP {
                    reload(options.file, options, into: reconciler)
                    report(try reconciling(try reconciler.reconcile(.request)), line.format)
                    if (reconciler.healer != nil) != (channel != nil) { channel = openChannel(netns, healing: reconciler.healer != nil) }
                } else if let number {
                    context.console.note("sync: stopped by \(number == SIGINT ? "SIGINT" : "SIGTERM"); endpoints left as they are")
                    return
                }
            }
        }
    }

    /// What the reconciler does, its failure worded.
    private func reconciling<T>(_ body: @autoclosure () throws(Reconciler.Failure) -> T) throws(CLIError) -> T {
        do throws(Reconciler.Failure) { return try body() } catch { throw SyncView.failure(error) }
    }

    /// The healing FILE and the command line ask for: off with --no-heal or `heal: false`.
    static func healing(_ desired: DesiredState, _ options: SyncOptions) -> HealingSettings {
        options.noHeal ? .off : desired.namespaces.first?.heal ?? .standard
    }

    /// The abstract socket `counters` reads healing's counters from (`@mptcpctl-heal` in
    /// the namespace): none with healing off, or when another sync serves it already.
    static let channelName = "mptcpctl-heal"

    private func openChannel(_ netns: String?, healing: Bool) -> HealingCountersChannel? {
        guard healing else { return nil }
        do throws(PathManagerError) { return try HealingCountersChannel.open(netns: netns, name: Self.channelName) } catch {
            context.console.warn("sync: healing's counters cannot be served (\(CLIError(error, operation: "counters").message)): "
                + "another sync heals this namespace?")
            return nil
        }
    }

    /// What healing saw and did: a line (or JSON object) each; a failed repair on
    /// standard error too.
    func report(_ events: [HealingEvent], netns: String?, _ format: OutputFormat) {
        let time = Timestamp.now()
        for event in events {
            if case let .repairFailed(path, endpoint, error) = event {
                context.console.error("sync: \(HealingView.line(event)): "
                    + CLIError(error, operation: "endpoint \(endpoint.id) (\(path.path.local))").message)
            }
            context.console.line(format.json ? HealingView.json(event, netns: netns, time: time).rendered()
                                             : HealingView.text(event, netns: netns, time: time))
        }
    }

    /// What a round did: its warnings once, a refusal once until it changes, each step done.
    func report(_ round: Reconciler.Round, _ format: OutputFormat) {
        if round.trigger == .resync { context.console.warn(SyncView.lost) }
        report(round.healing, netns: round.prepared?.netns, format)
        guard let prepared = round.prepared else { return }
        if round.missingChanged, !round.missing.isEmpty { context.console.warn(SyncView.missing(round.missing)) }
        if round.leftOutIsNew { context.console.warn(SyncView.leftOut(prepared.leftOut, capacity: prepared.endpointCapacity)) }
        switch round.outcome {
        case .unchanged:
            return
        case let .refused(failure):
            guard !round.refusalRepeats else { return }
            context.console.error("sync: \(CLIError(failure, label: CountersView.label(prepared.netns)).message)")
        case .done:
            let time = Timestamp.now()
            let deviceName = { (index: Int32) in prepared.manager.interfaceName(index: index) }
            for step in prepared.plan.steps {
                context.console.line(format.json
                    ? SyncView.json(step, netns: prepared.netns, time: time, deviceName: deviceName).rendered()
                    : SyncView.text(step, netns: prepared.netns, time: time, deviceName: deviceName))
            }
        }
    }

    /// The file, checked and read (`Context.readFile`); what is wrong with it is an error.
    /// The endpoints a namespace may hold, as the kernel says; when it cannot be asked,
    /// the 8 every kernel holds, and a warning that says why.
    func endpointCapacity() -> Int {
        switch context.features.endpointMax() {
        case let .success(capacity):
            return capacity
        case let .failure(error):
            context.console.warn("sync: cannot learn how many endpoints a namespace may hold: "
                + "\(CLIError(error, operation: "sync").message); following at most \(PathManagerFamily.maxEndpoints)")
            return PathManagerFamily.maxEndpoints
        }
    }

    func read(_ file: String) throws(CLIError) -> DesiredState {
        let state = try context.readState(file, name: file, operation: "sync", kind: "state")
        if state.named {
            throw .usage("sync: \(file) names namespaces under 'namespaces:'; sync follows one namespace: give it a file "
                + "without 'namespaces:' and name the namespace with -n (one service per namespace)")
        }
        ApplyRunner.warnUnusable(state, console: context.console, operation: "sync")
        return state
    }

    /// SIGHUP: the file again; if it is not valid, the rules read before stay.
    func reload(_ file: String, _ options: SyncOptions, into reconciler: Reconciler) {
        do throws(CLIError) {
            let desired = try read(file)
            reconciler.desired = desired
            try reconciling(try reconciler.heal(Self.healing(desired, options)))
            context.console.note("sync: SIGHUP: read \(file) again")
        } catch {
            context.console.error(error.message)
            context.console.error("sync: SIGHUP: \(file) is not valid: keeping the rules read before")
        }
    }
}
