import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl apply FILE`
struct ApplyCommand: WordsCommand {
    static let object = "apply", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make namespaces match a YAML or JSON file: limits and the full set of endpoints.",
        usage: "mptcpctl [-n NAME] [-j] [-p] apply [--dry-run] [--keep-unlisted] FILE",
        discussion: """
            FILE (YAML or JSON, '-' for standard input) gives 'limits:' and 'endpoints:' for one \
            namespace (the one -n names), or for several under 'namespaces:'. See Docs/apply.md. \
            'sysctl:' sets net.mptcp keys of the running kernel (enabled, path_manager, \
            add_addr_timeout, ...) first, so the endpoints land under the right path manager.

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

    var options: [(name: String, value: String?)] {
        (dryRun ? [("--dry-run", nil)] : []) + (keepUnlisted ? [("--keep-unlisted", nil)] : [])
    }
}
