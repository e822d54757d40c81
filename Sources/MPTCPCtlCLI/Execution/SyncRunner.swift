import Glibc
import MPTCPKit
import Netlink

/// `sync FILE`: keeps one namespace as FILE says, endpoints that follow the interfaces
/// included. Reconciles at start (then tells systemd it is ready), on every link and
/// address change, and every `--interval` seconds (to repair what others changed).
/// SIGINT and SIGTERM end it with exit 0, leaving the endpoints as they are; SIGHUP
/// reads FILE again and keeps the old rules if the new file is not valid.
struct SyncRunner {
    let context: Context
    let managers: ManagerCache

    /// What the loop keeps between reconciliations.
    final class State {
        var desired: DesiredState
        /// Said once until it changes, so a namespace with too many addresses warns once.
        var leftOut: [FollowedEndpoints.Candidate] = []
        var missing: [Apply.MissingDevice] = []
        var lastFailure: String?
        init(_ desired: DesiredState) { self.desired = desired }
    }

    func run(_ options: SyncOptions, _ line: LineOptions) throws(CLIError) {
        let netns = line.netns
        let state = State(try read(options.file))
        let identity: UInt64
        do throws(PathManagerError) { identity = try NamespaceLock.identity(of: netns) } catch {
            throw CLIError(error, operation: "sync")
        }
        if !options.ignoreManagers, let other = OtherManager.running(inNamespace: identity).first {
            throw .environment("sync: \(DoctorView.name(other.program)) (pid \(other.pid)) runs in namespace \(CountersView.label(netns)) and "
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
        let watcher: InterfaceWatcher
        do throws(PathManagerError) { watcher = try InterfaceWatcher.open(netns: netns, follow: true) } catch {
            throw CLIError(error, operation: "sync: following the interfaces")
        }
        let gone = netns.flatMap { NamespaceWatch(name: $0, inode: identity) }
        // Opened once, kept for every reconciliation (and warns if MPTCP is disabled there).
        _ = try managers.opened(netns)
        let label = CountersView.label(netns)
        let rules = state.desired.namespaces.first?.interfaces?.count ?? 0
        try reconcile(state, netns: netns, watcher: watcher, format: line.format, keepUnlisted: options.keepUnlisted)
        ServiceNotifier.notify("READY=1")
        context.console.note("sync: ready: namespace \(label) follows \(options.file) (\(rules) interface rule(s)); "
            + "full check every \(SyncOptions.seconds(options.interval)) s")
        var deadline = Timestamp.monotonic() + options.interval
        let wake = [stop.fileDescriptor] + (gone.map { [$0.fileDescriptor] } ?? [])
        while true {
            let left = max(0, deadline - Timestamp.monotonic())
            let arrival: InterfaceWatcher.Arrival
            do throws(PathManagerError) {
                arrival = try watcher.next(timeout: Int32(min((left * 1000).rounded(.up), 3_600_000)), wake: wake)
            } catch {
                throw CLIError(error, operation: "sync: waiting for interface changes")
            }
            switch arrival {
            case let .woken(fd) where fd == stop.fileDescriptor:
                let number: Int32?
                do throws(Errno) { number = try stop.take() } catch { throw .environment("sync: reading signals: \(error)") }
                if number == SIGHUP {
                    reload(options.file, into: state)
                } else if number != nil {
                    context.console.note("sync: stopped by \(number == SIGINT ? "SIGINT" : "SIGTERM"); endpoints left as they are")
                    return
                } else {
                    continue
                }
            case .woken:
                if gone?.isGone() == true {
                    throw .environment("sync: network namespace '\(label)' was deleted (no \(NetworkNamespace.path(of: label)) "
                        + "or another namespace took its name): stopping")
                }
                continue
            case .changed:
                drain(watcher, wake: wake)
            case .lost:
                context.console.warn("sync: interface changes were lost (rtnetlink receive buffer overran): "
                    + "reading every interface and address again")
                drain(watcher, wake: wake)
            case .timedOut:
                deadline = Timestamp.monotonic() + options.interval
            }
            if let gone, gone.isGone() {
                throw .environment("sync: network namespace '\(label)' was deleted (no \(NetworkNamespace.path(of: label)) "
                    + "or another namespace took its name): stopping")
            }
            try reconcile(state, netns: netns, watcher: watcher, format: line.format, keepUnlisted: options.keepUnlisted)
        }
    }

    /// Takes what else is queued, so a burst of changes costs one reconciliation.
    private func drain(_ watcher: InterfaceWatcher, wake: [Int32]) {
        for _ in 0..<10_000 {
            guard let arrival = try? watcher.next(timeout: 0, wake: wake) else { return }
            switch arrival {
            case .changed, .lost: continue
            case .timedOut, .woken: return
            }
        }
    }

    /// Reads the namespace and its interfaces, plans, and carries the plan out under
    /// the namespace's writers' lock; prints each step done. A refused plan is rolled
    /// back and reported, and the loop goes on (the next change or check tries again).
    func reconcile(_ state: State, netns: String?, watcher: InterfaceWatcher, format: OutputFormat,
                   keepUnlisted: Bool) throws(CLIError) {
        let lock = try context.lock(netns, operation: "sync")
        defer { withExtendedLifetime(lock) {} }
        let apply = Apply(keepUnlisted: keepUnlisted, open: { [managers] netns throws(PathManagerError) in
            try managers.manager(for: netns)
        }, interfaces: { _ throws(PathManagerError) in try watcher.snapshot() })
        let prepared: Apply.Prepared, missing: [Apply.MissingDevice]
        do throws(Apply.Failure) {
            let result = try apply.prepare(state.desired, netns: netns)
            guard let first = result.plans.first else { return }
            (prepared, missing) = (first, result.missing)
        } catch {
            throw CLIError(error.cause, operation: "sync: reading \(CountersView.label(error.netns))")
        }
        if missing != state.missing {
            state.missing = missing
            if !missing.isEmpty { context.console.warn(SyncView.missing(missing)) }
        }
        if state.leftOut.isEmpty, !prepared.leftOut.isEmpty { context.console.warn(SyncView.leftOut(prepared.leftOut)) }
        state.leftOut = prepared.leftOut
        guard !prepared.plan.isEmpty else { return }
        do throws(PlanFailure) {
            try Apply.execute(prepared)
            state.lastFailure = nil
        } catch {
            let message = CLIError(error, label: CountersView.label(prepared.netns)).message
            // A refusal that repeats at every check is said once.
            if message != state.lastFailure { context.console.error("sync: \(message)") }
            state.lastFailure = message
            return
        }
        let time = Timestamp.now()
        let deviceName = { (index: Int32) in prepared.manager.interfaceName(index: index) }
        for step in prepared.plan.steps {
            context.console.line(format.json
                ? SyncView.json(step, netns: netns, time: time, deviceName: deviceName).rendered()
                : SyncView.text(step, netns: netns, time: time, deviceName: deviceName))
        }
    }

    /// The file, checked and read; what is wrong with it is an error.
    func read(_ file: String) throws(CLIError) -> DesiredState {
        guard let reader = context.stateFileReader else {
            throw .environment("sync: this binary cannot read state files; run it through mptcpctl")
        }
        do throws(FileTrust.Problem) { try FileTrust.check(file) } catch { throw Self.untrusted(error) }
        let text = try context.readFile(file)
        let state: DesiredState
        do throws(StateFileError) {
            state = try reader(text, file)
        } catch {
            for problem in error.problems { context.console.error(problem) }
            throw .usage("sync: \(error.problems.count) problem(s) in \(file): nothing was changed")
        }
        if state.named {
            throw .usage("sync: \(file) names namespaces under 'namespaces:'; sync follows one namespace: give it a file "
                + "without 'namespaces:' and name the namespace with -n (one service per namespace)")
        }
        ApplyRunner.warnUnusable(state, console: context.console, operation: "sync")
        return state
    }

    /// SIGHUP: the file again; if it is not valid, the rules read before stay.
    func reload(_ file: String, into state: State) {
        do throws(CLIError) {
            state.desired = try read(file)
            state.leftOut = []
            state.missing = []
            context.console.note("sync: SIGHUP: read \(file) again")
        } catch {
            context.console.error(error.message)
            context.console.error("sync: SIGHUP: \(file) is not valid: keeping the rules read before")
        }
    }

    static func untrusted(_ problem: FileTrust.Problem) -> CLIError {
        switch problem {
        case let .foreignOwner(path, uid):
            return .environment("sync: \(path) is owned by uid \(uid), not by root or you: anyone who can write it decides "
                + "this host's endpoints; fix: 'chown root \(path)'")
        case let .writableByOthers(path, mode):
            return .environment("sync: \(path) is writable by group or others (mode \(String(mode, radix: 8))): anyone who "
                + "can write it decides this host's endpoints; fix: 'chmod go-w \(path)'")
        case let .cannotRead(path, code):
            return .environment("sync: cannot read \(path): \(code)")
        }
    }
}
