import ArgumentParser
import MPTCPKit

/// `mptcpctl apply FILE`
struct ApplyCommand: WordsCommand {
    static let object = "apply", verb = ""
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make namespaces match a YAML or JSON file: limits and the full set of endpoints.",
        usage: "mptcpctl [-n NAME] [-j] [-p] apply [--dry-run] [--keep-unlisted] FILE",
        discussion: """
            FILE (YAML or JSON, '-' for standard input) gives 'limits:' and 'endpoints:' for one \
            namespace (the one -n names), or for several under 'namespaces:'. See Docs/apply.md.

            The plan is printed one step per line ('ns1: add 10.0.2.1 id 3 subflow'), then carried \
            out: deletes, flag changes, adds, limits. Endpoints not in the file are deleted unless \
            --keep-unlisted; the kernel's implicit endpoints are never touched. If a step fails, the \
            namespace is restored to its state before apply. A file with problems changes nothing. \
            Exits 0 when done or nothing to do, 2 for a bad file, 1 when the kernel refused a step \
            (rolled back), 6 with --dry-run when changes are pending.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the plan and change nothing; exit 6 when changes are pending, 0 when none.")
    var dryRun = false
    @Flag(help: "Leave endpoints the file does not list (by default they are deleted).")
    var keepUnlisted = false
    @Argument(parsing: .postTerminator, help: ArgumentHelp("FILE", valueName: "words"))
    var words: [String] = []

    func addOptions(to invocation: inout Invocation) {
        invocation.dryRun = dryRun
        invocation.keepUnlisted = keepUnlisted
    }
}

/// Reads the file, plans every namespace, prints the plans and carries them out.
struct ApplyRun {
    let invocation: Invocation
    let managers: PathManagers

    func run() throws(MPTCPError) {
        guard invocation.words.count == 1, let file = invocation.words.first else {
            throw .usage("apply: expected one FILE (YAML or JSON, '-' for standard input)")
        }
        let name = file == "-" ? "stdin" : file
        let text = try TextFile.read(file)
        guard let reader = ApplyFile.reader else {
            throw .environment("apply: this binary cannot read apply files; run it through mptcpctl")
        }
        let state: DesiredState
        do throws(DesiredState.Invalid) {
            state = try reader(text, name)
        } catch {
            throw invalid(error.problems, file: name)
        }
        let apply = Apply(keepUnlisted: invocation.keepUnlisted) { [managers] netns throws(MPTCPError) in
            try managers.manager(for: netns)
        }
        let (plans, problems) = try apply.prepare(state, netns: invocation.netns)
        if !problems.isEmpty { throw invalid(problems, file: name) }

        var failures: [MPTCPError] = []
        var pending = 0
        if invocation.format.json {
            Output.line(JSON.array(plans.map(Apply.json)).rendered(pretty: invocation.format.pretty))
        }
        for prepared in plans {
            if !invocation.format.json { Output.line(Apply.text(prepared)) }
            pending += prepared.plan.steps.count
            guard !invocation.dryRun, !prepared.plan.isEmpty else { continue }
            do throws(MPTCPError) {
                try Apply.execute(prepared)
            } catch {
                failures.append(error)
            }
        }
        if let first = failures.first {
            if failures.count == 1 { throw first }
            for failure in failures { Diagnostics.error(failure.message) }
            throw MPTCPError(first.exitCode, "apply: \(failures.count) of \(plans.count) namespaces failed and were rolled back")
        }
        if invocation.dryRun, pending > 0 {
            throw MPTCPError(.changesPending, "apply --dry-run: \(pending) change(s) pending; nothing was changed")
        }
    }

    /// Prints every problem; the error that follows counts them.
    private func invalid(_ problems: [String], file: String) -> MPTCPError {
        for problem in problems { Diagnostics.error(problem) }
        return .usage("apply: \(problems.count) problem(s) in \(file): nothing was changed")
    }
}
