import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl counters`
struct CountersCommand: WordsCommand {
    static let object = "counters", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "counters",
        abstract: "Endpoint counters and limits, from the dump and from the kernel's own MPTCP_INFO.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] counters",
        discussion: """
            Beside the counts from the endpoint dump, the kernel's own per-namespace counters \
            (MPTCP_INFO of an unconnected MPTCP socket): signal, subflow and address endpoints \
            and the two limits. A field the kernel does not report prints as 'unavailable' (null \
            in JSON); a disagreement is printed as MISMATCH.

            JSON keys: netns, endpoints {total, signal, subflow, address, fullmesh, backup, implicit}, \
            limits {subflows, add_addr_accepted}, kernel {endp_signal_max, endp_subflow_max, \
            endp_address_max, limit_subflows, limit_add_addr_accepted}. With --all-netns, an array.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }
}
