import ArgumentParser

/// The option of the commands that can read every namespace at once.
struct ScopeOptions: ParsableArguments {
    @Flag(name: .customLong("all-netns"), help: "Every named namespace (/run/netns) and the current one, in one process.")
    var allNetns = false
}

struct CountersCommand: WordsCommand {
    static let object = "counters", verb = ""
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

struct CheckCommand: WordsCommand {
    static let object = "check", verb = ""
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Assert endpoint counts, limits and endpoints, for CI jobs.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] check EXPECTATION...",
        discussion: """
            EXPECTATION := KEY OP NUMBER | endpoint=ADDRESS[:FLAG,FLAG...]
            KEY := endpoints | signal | subflow | address | fullmesh | backup | implicit | subflows | add_addr_accepted
            OP := == | != | >= | <= | > | <   (quote the word in a shell: 'endpoints>=1')

            endpoint=ADDRESS holds when an endpoint has that address; with ':FLAGS' (possibly \
            empty), when it has exactly those flags. Prints one line per expectation that does \
            not hold and exits 5; exits 0 when all hold.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Argument(parsing: .postTerminator, help: ArgumentHelp("EXPECTATION...", valueName: "words"))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }
}

struct DoctorCommand: WordsCommand {
    static let object = "doctor", verb = ""
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Find configurations that are accepted but silently do nothing.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] doctor",
        discussion: """
            Each finding has a severity (error, warning, info), a name, a message and the command \
            that fixes it. Exits 5 when a finding is an error.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }
}
