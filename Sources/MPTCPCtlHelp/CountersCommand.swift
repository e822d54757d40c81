import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl counters`
struct CountersCommand: WordsCommand {
    static let object = "counters", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "counters",
        abstract: "Endpoint counters and limits, from the dump and from the kernel's own MPTCP_INFO.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] counters [--format FORMAT] [--output FILE]",
        discussion: """
            Beside the counts from the endpoint dump, the kernel's own per-namespace counters \
            (MPTCP_INFO of an unconnected MPTCP socket): signal, subflow and address endpoints \
            and the two limits. A field the kernel does not report prints as 'unavailable' (null \
            in JSON); a disagreement is printed as MISMATCH.

            JSON keys: netns, endpoints {total, signal, subflow, address, fullmesh, backup, implicit}, \
            limits {subflows, add_addr_accepted}, kernel {endp_signal_max, endp_subflow_max, \
            endp_address_max, limit_subflows, limit_add_addr_accepted}. With --all-netns, an array.

            --format openmetrics: the OpenMetrics text exposition for Prometheus (node_exporter's \
            textfile collector): endpoint counts, limits, MPTCP_INFO, the number of MPTCP \
            connections and subflows, and every MPTcpExt MIB counter of /proc/net/netstat as \
            mptcp_mib_NAME_total, each with the label netns ("" for the current namespace); \
            it ends with '# EOF'. Docs/metrics.md lists every metric. --format prometheus: the \
            same in Prometheus' own text format (0.0.4), which node_exporter's textfile \
            collector parses: counters are declared as NAME_total and there is no '# EOF'.

            --output FILE: write to FILE instead of standard output, atomically (a temporary \
            file in the same directory, synced, mode 0644, renamed over FILE), so a collector \
            never reads half a file.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions

    @Option(help: ArgumentHelp("Write to this file, atomically, instead of standard output.", valueName: "file"),
            completion: .file())
    var output: String?
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }

    var options: [(name: String, value: String?)] { output.map { [("--output", $0)] } ?? [] }
}
