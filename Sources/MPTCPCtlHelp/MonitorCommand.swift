import ArgumentParser
import MPTCPCtlCLI
import MPTCPKit

/// `mptcpctl monitor`: print the path manager's events as they happen.
struct MonitorCommand: TreeCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Print the path manager's events (connections, subflows, announcements) as they happen.",
        usage: "mptcpctl [-n NAME] [-j] monitor [--event TYPE[,TYPE...]]... [--count N] [--timeout SECONDS]",
        discussion: """
            TYPE := created | established | closed | announced | removed | sub_established | \
            sub_closed | sub_priority | listener_created | listener_closed, or the name 'ip mptcp monitor' \
            prints (CREATED, …, SF_ESTABLISHED, SF_CLOSED, SF_PRIO, LISTENER_CREATED, LISTENER_CLOSED), \
            in any case; repeat --event or give a comma list.

            'ip -j mptcp monitor' (iproute2 6.1, checked) ignores -j and prints the same text \
            lines as without it. mptcpctl -j prints JSON with its own keys, below; mptcpctl's text \
            lines are its own too, not ip's: a script that reads ip's monitor lines needs changing.

            Text: one aligned line per event. -j: one JSON object per line (NDJSON) with the keys \
            type, token, saddr, daddr, sport, dport, loc_id, rem_id, backup, error, flags, \
            timeout, ifindex, dev, reset_reason, reset_flags, server_side and time (RFC 3339, \
            microseconds); absent attributes are left out. Each event is written at once.

            Once subscribed, a line on standard error says so. Lost events (receive buffer \
            overrun) are counted on standard error and, with -j, as {"type":"lost","count":N}. \
            SIGINT and SIGTERM end it with exit 0. With --count N it exits 0 after N matching \
            events; with --timeout too, it exits 7 if they did not come in time. --timeout \
            alone bounds the capture and exits 0. Listening needs CAP_NET_ADMIN, as changing \
            endpoints does (exit 3 without it).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Print only events of this type (repeatable, or a comma list; ip's names too).", valueName: "type"),
            completion: .list(PathManagerEvent.Kind.known.map(EventView.name).sorted()))
    var event: [String] = []

    @Option(help: ArgumentHelp("Exit 0 after this many matching events.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
    var timeout: Double?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []

    var invocation: Invocation {
        Invocation(path: ["monitor"], words: words, netns: global.netns, format: global.format,
                   options: event.map { ("--event", $0) } + (count.map { [("--count", String($0))] } ?? [])
                       + (timeout.map { [("--timeout", String($0))] } ?? []))
    }
}
