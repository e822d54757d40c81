import MPTCPKit

/// `apply FILE`: reads the file, plans every namespace, prints the plans and carries
/// them out, each namespace all or nothing.
struct ApplyRunner {
    let context: Context
    let managers: ManagerCache

    func run(_ options: ApplyOptions, _ line: LineOptions) throws(CLIError) {
        let file = options.file
        let name = file == "-" ? "stdin" : file
        let state = try context.readState(file, name: name, operation: "apply", kind: "apply")
        if state.named, line.netns != nil {
            throw .usage("apply: -n cannot go with a file that names its namespaces under 'namespaces:'")
        }
        Self.warnUnusable(state, console: context.console, operation: "apply")
        // Writers hold each namespace's lock from reading to the last step (in name
        // order, so two applies over the same namespaces cannot wait on each other).
        var locks: [NamespaceLock] = []
        if !options.dryRun {
            let targets: [String?] = state.named ? state.namespaces.compactMap(\.name).sorted() : [line.netns]
            for target in targets {
                if let lock = try context.lock(target, operation: "apply") { locks.append(lock) }
            }
        }
        defer { withExtendedLifetime(locks) {} }
        let planner = apply(state, keepUnlisted: options.keepUnlisted)
        let plans: [Apply.Prepared], missing: [Apply.MissingDevice]
        do throws(Apply.Failure) {
            (plans, missing) = try planner.prepare(state, netns: line.netns)
        } catch {
            switch error.stage {
            case .opening: throw CLIError(error.cause, operation: "opening the MPTCP path manager")
            case .reading: throw CLIError(error.cause, operation: "apply: reading \(CountersView.label(error.netns))")
            }
        }
        if !missing.isEmpty {
            throw invalid(missing.map(PlanView.problem),
                          file: name)
        }

        var failures: [CLIError] = []
        var pending = 0
        let format = line.format
        var results: [JSON] = []
        for prepared in plans {
            if !format.json { context.console.line(PlanView.text(prepared)) }
            pending += prepared.plan.steps.count
            var outcome: PlanView.Outcome = prepared.plan.isEmpty ? .unchanged : options.dryRun ? .planned : .applied
            if case .applied = outcome {
                do throws(PlanFailure) {
                    try Apply.execute(prepared)
                } catch {
                    failures.append(CLIError(error, label: CountersView.label(prepared.netns)))
                    outcome = .failed(error, message: failures[failures.count - 1].message)
                }
            }
            if format.json {
                let after = try? StateFileWriter.namespace(of: prepared.manager, after: options.dryRun ? prepared.plan : Plan(steps: []))
                results.append(PlanView.json(prepared, outcome: outcome, after: after))
            }
        }
        // With -j, the plans and how each ended, once all are carried out.
        if format.json { context.console.line(JSON.array(results).rendered(pretty: format.pretty)) }
        if let first = failures.first {
            if failures.count == 1 { throw first }
            for failure in failures { context.console.error(failure.message) }
            throw CLIError(first.exitCode, "apply: \(failures.count) of \(plans.count) namespaces failed and were rolled back")
        }
        if options.dryRun, pending > 0 {
            throw CLIError(.changesPending, "apply --dry-run: \(pending) change(s) pending; nothing was changed")
        }
    }

    /// The planner over the namespaces' path managers and, for `interfaces:` rules,
    /// their links and addresses.
    func apply(_ state: DesiredState, keepUnlisted: Bool) -> Apply {
        Apply(keepUnlisted: keepUnlisted, open: { [managers] netns throws(PathManagerError) in try managers.manager(for: netns) },
              interfaces: state.followsInterfaces ? context.interfaces : nil)
    }

    /// One warning for each endpoint of the file whose address no subflow can use: the
    /// kernel takes it (as from `ip`), so the file is not refused for it.
    static func warnUnusable(_ state: DesiredState, console: Console, operation: String) {
        for namespace in state.namespaces {
            for entry in namespace.endpoints ?? [] {
                guard let reason = entry.spec.address.unusable else { continue }
                console.warn("\(operation): \(entry.position): \(EndpointView.unusable(entry.spec.address, reason))")
            }
        }
    }

    /// Prints every problem; the error that follows counts them.
    private func invalid(_ problems: [String], file: String) -> CLIError {
        for problem in problems { context.console.error(problem) }
        return .usage("apply: \(problems.count) problem(s) in \(file): nothing was changed")
    }
}
