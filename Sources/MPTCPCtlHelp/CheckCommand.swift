import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl check`
struct CheckCommand: WordsCommand {
    static let object = "check", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Assert endpoint counts, limits, endpoints and live connections, for CI jobs.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] check EXPECTATION...",
        discussion: """
            EXPECTATION := KEY OP NUMBER | endpoint=ADDRESS[:FLAG,FLAG...] | path=LOCAL>REMOTE | program=NAME
            KEY := endpoints | signal | subflow | address | fullmesh | backup | implicit | subflows | \
            add_addr_accepted | connections | live_subflows | stalled_subflows
            OP := == | != | >= | <= | > | <   (quote the word in a shell: 'endpoints>=1'; blanks around OP \
            are allowed: 'endpoints >= 1')
            'laminar' (iproute2's word) is the same key as 'address'.

            'subflow' counts subflow endpoints and 'subflows' is the limit; 'connections' counts \
            the MPTCP connections of the namespace (not those their program closed, which no \
            process holds while the kernel winds them down: 'connections' marks them orphan), \
            'live_subflows' their established subflows and 'stalled_subflows' those stalled \
            (data waits and nothing was acknowledged for a second, as 'top' shows; read with \
            sock_diag, as 'connections' shows them). endpoint=ADDRESS holds when an endpoint \
            has that address; with ':FLAGS' (possibly empty), when it has exactly those flags. \
            path=LOCAL>REMOTE holds when an established subflow that is not stalled goes from \
            address LOCAL to address REMOTE (a black-holed subflow stays established for \
            minutes: it does not count); either may be '*' (quote the word: '>' is a shell \
            redirection). Only the sending end sees a stall: on a path that only receives, \
            check at the sender. program=NAME holds when a process named NAME holds the socket of an \
            MPTCP connection of the namespace (found as 'connections --processes' finds it): NAME \
            is the name the kernel keeps (/proc/PID/comm, as ps shows it), matched exactly, case \
            and all; the kernel keeps 15 bytes of a name, so a longer NAME is matched by its \
            first 15. Listening sockets do not count. Prints one line per expectation that does \
            not hold and exits 5; exits 0 when all hold.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Argument(parsing: .postTerminator, help: ArgumentHelp("EXPECTATION...", valueName: "words"))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }
}
