import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl connections`
struct ConnectionsCommand: WordsCommand {
    static let object = "connections", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "The MPTCP connections with their subflows, and the endpoint each subflow came from.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] connections [--listening] [-P | --processes]",
        discussion: """
            Read with sock_diag, as 'ss -M' and 'ss -ti' do, and joined by token: one block per \
            connection (token as 'monitor' prints it, addresses, state, bytes), then a table of \
            its subflows: local and remote address and port, loc_id, rem_id, backup, the \
            interface it leaves by (the one it is bound to, else the one holding its local \
            address), its TCP state, and the endpoint it came from (the endpoint whose id is its \
            loc_id; '-' for the initial subflow and for addresses the kernel chose itself). A \
            connection its program closed, which the kernel still winds down and no process \
            holds (past established, no file), is marked 'orphan' after its state; 'check \
            connections==N' does not count it.

            --processes (-P; not -p, which is --pretty) ends each connection's line with the \
            processes holding its socket, as 'ss -p' finds them (the socket's inode among the \
            /proc/PID/fd links): 'process NAME pid PID fd FD' for each, 'process -' when none is \
            found (a socket its program closed, or another user's process read without root). \
            Off by default: reading every process's descriptors costs more than the dump.

            JSON: an array of {token, saddr, daddr, sport, dport, state, orphan, fallback, \
            bytes_sent, bytes_received, bytes_acked, subflows: [{saddr, daddr, sport, dport, \
            loc_id, rem_id, backup, dev, state, flags, endpoint, health, stall, idle_ms}]} \
            (endpoint null when '-'; health, stall and idle_ms as in 'top -j'). With --all-netns \
            every connection carries netns (null for the current namespace); with --processes, \
            processes: [{pid, name, fd}] (empty when none is found), before subflows.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Flag(help: "List the listening MPTCP sockets too (they have no subflows).")
    var listening = false
    @Flag(name: [.customShort("P"), .customLong("processes")], help: "Name the processes holding each socket (pid, name, fd), as 'ss -p'.")
    var processes = false
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }

    var options: [(name: String, value: String?)] {
        (listening ? [("--listening", nil)] : []) + (processes ? [("--processes", nil)] : [])
    }
}
