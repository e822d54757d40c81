import ArgumentParser
import MPTCPCtlCLI
import MPTCPKit

/// `mptcpctl monitor`: print the path manager's events as they happen.
struct MonitorCommand: TreeCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Print the path manager's events (connections, subflows, announcements) as they happen.",
        usage: """
            mptcpctl [-n NAME] [-j] monitor [--event TYPE[,TYPE...]]... [--token TOKEN] [--count N] [--timeout SECONDS]
            mptcpctl [-n NAME] [-j [-p]] --format ip monitor [-t | -ts] [--event ...] [--token ...] [--count ...] [--timeout ...]
            """,
        discussion: """
            TYPE := created | established | closed | announced | removed | sub_established | \
            sub_closed | sub_priority | listener_created | listener_closed, or the name 'ip mptcp monitor' \
            prints (CREATED, …, SF_ESTABLISHED, SF_CLOSED, SF_PRIO, LISTENER_CREATED, LISTENER_CLOSED), \
            in any case; repeat --event or give a comma list. --token: only the events of that \
            connection (8 hex digits as monitor prints them, or ip's 0x...).

            Text: one aligned line per event. -j: one JSON object per line (NDJSON) with the keys \
            type, token, saddr, daddr, sport, dport, loc_id, rem_id, backup, error, flags, \
            timeout, ifindex, dev, reset_reason, reset_flags, server_side and time (RFC 3339, \
            microseconds); absent attributes are left out. Each event is written at once. \
            These lines and keys are mptcpctl's own.

            --format ip: what 'ip mptcp monitor' of iproute2 7.1 prints, byte for byte, for \
            scripts written for ip: "[  SF_ESTABLISHED] token=0711c4a7 remid=1 locid=5 \
            saddr4=10.0.2.1 daddr4=10.0.2.2 sport=52349 dport=7000 backup=0 ifindex=3 dev=cb", \
            [UNKNOWN N] for an event ip does not know. With -j, what 'ip -j mptcp monitor' \
            prints: one JSON array ({"event":"SF_ESTABLISHED","token":"0x711c4a7",…, \
            server_side and deny_join_id0 as true}), an object written as each event comes, \
            closed with ] when the monitor stops; -p indents it as 'ip -j -p' does. -t and -ts \
            (ip's timestamps, local time) work with --format ip only: -t a line "Timestamp: \
            Mon Dec  7 17:33:51 2026 483763 usec" before each event, -ts "[2026-12-07T17:33:51.483763] " \
            at the start of its line (in JSON, the keys timestamp and timestamp_short).

            Once subscribed, a line on standard error says so. Lost events (receive buffer \
            overrun) are counted on standard error and, with mptcpctl's -j, as \
            {"type":"lost","count":N}. SIGINT and SIGTERM end it with exit 0. With --count N \
            it exits 0 after N matching events; with --timeout too, it exits 7 if they did \
            not come in time. --timeout alone bounds the capture and exits 0. Listening needs \
            CAP_NET_ADMIN, as changing endpoints does (exit 3 without it).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Print only events of this type (repeatable, or a comma list; ip's names too).", valueName: "type"),
            completion: .list(PathManagerEvent.Kind.known.map(EventView.name).sorted()))
    var event: [String] = []

    @Option(help: ArgumentHelp("Print only the events of the connection with this token (hex).", valueName: "token"))
    var token: String?

    @Option(help: ArgumentHelp("Exit 0 after this many matching events.", valueName: "n"))
    var count: Int?

    @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
    var timeout: Double?

    @Flag(name: [.customLong("timestamp"), .customShort("t")],
          help: "With --format ip: ip -t's \"Timestamp: …\" line before each event.")
    var timestamp = false

    @Flag(name: [.customLong("tshort"), .customLong("ts", withSingleDash: true)],
          help: "With --format ip: ip -ts's \"[YYYY-MM-DDTHH:MM:SS.UUUUUU] \" before each event.")
    var tshort = false

    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []

    var invocation: Invocation {
        var options: [(name: String, value: String?)] = event.map { ("--event", $0) }
        if let token { options.append(("--token", token)) }
        if let count { options.append(("--count", String(count))) }
        if let timeout { options.append(("--timeout", String(timeout))) }
        if timestamp { options.append(("--timestamp", nil)) }
        if tshort { options.append(("--tshort", nil)) }
        return Invocation(path: ["monitor"], words: words, netns: global.netns, format: global.format, options: options)
    }
}
