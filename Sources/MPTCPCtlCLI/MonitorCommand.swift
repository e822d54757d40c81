import ArgumentParser
import Glibc
import MPTCPKit

/// `mptcpctl monitor`: print the path manager's events as they happen.
struct MonitorCommand: InvocationCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Print the path manager's events (connections, subflows, announcements) as they happen.",
        usage: "mptcpctl [-n NAME] [-j] monitor [--event TYPE]... [--count N] [--timeout SECONDS]",
        discussion: """
            TYPE := created | established | closed | announced | removed | sub_established | \
            sub_closed | sub_priority | listener_created | listener_closed

            Text: one aligned line per event. -j: one JSON object per line (NDJSON) with the keys \
            type, token, saddr, daddr, sport, dport, loc_id, rem_id, backup, error, flags, \
            timeout, ifindex, dev, reset_reason, reset_flags, server_side and time (RFC 3339, \
            microseconds); absent attributes are left out. Each event is written at once.

            Once subscribed, a line on standard error says so. Lost events (receive buffer \
            overrun) are counted on standard error and, with -j, as {"type":"lost","count":N}. \
            SIGINT and SIGTERM end it with exit 0. With --count N it exits 0 after N matching \
            events; with --timeout too, it exits 7 if they did not come in time. --timeout \
            alone bounds the capture and exits 0.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Print only events of this type (repeatable).", valueName: "type"),
            completion: .list(PathManagerEvent.names.values.sorted()))
    var event: [String] = []

    @Option(help: ArgumentHelp("Exit 0 after this many matching events.", valueName: "n"))
    var count: String?

    @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
    var timeout: String?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []

    var invocation: Invocation {
        var invocation = Invocation()
        invocation.path = ["monitor"]
        invocation.words = words
        invocation.netns = global.netns
        invocation.format = global.format
        invocation.commandOptions = event.map { "--event=\($0)" } + (count.map { ["--count=\($0)"] } ?? [])
            + (timeout.map { ["--timeout=\($0)"] } ?? [])
        return invocation
    }
}

/// Runs `monitor` from a command line read by Invocation.
struct MonitorRun {
    let netns: String?
    let words: [String]
    let options: Monitor.Options

    init(_ invocation: Invocation) throws(MPTCPError) {
        netns = invocation.netns
        words = invocation.words
        var options = Monitor.Options(format: invocation.format)
        let known = Set(PathManagerEvent.names.values)
        for option in invocation.commandOptions {
            let name = String(option.prefix { $0 != "=" }), value = String(option.dropFirst(name.count + 1))
            switch name {
            case "--event":
                guard known.contains(value) else {
                    throw .usage("monitor: unknown event type '\(value)': expected "
                        + PathManagerEvent.names.sorted { $0.key < $1.key }.map(\.value).joined(separator: ", "))
                }
                options.events.insert(value)
            case "--count":
                guard let count = Int(value), count >= 1 else {
                    throw .usage("monitor: bad count '\(value)': a count is a whole number, 1 or more")
                }
                options.count = count
            default:
                guard let timeout = Double(value), timeout > 0, timeout < 1e9 else {
                    throw .usage("monitor: bad timeout '\(value)': a timeout is a number of seconds above 0")
                }
                options.timeout = timeout
            }
        }
        self.options = options
    }

    func run() throws(MPTCPError) {
        if let word = words.first { throw .usage("monitor: unexpected word '\(word)': see 'mptcpctl monitor --help'") }
        StopSignal.install()
        let monitor = try Monitor.open(netns: netns)
        Diagnostics.note("listening for MPTCP path-manager events in namespace \(netns ?? "(current)")")
        let outcome = monitor.run(options, emit: Output.line, warn: Diagnostics.warn, stopRequested: { StopSignal.requested != 0 })
        if outcome == .timedOut {
            throw MPTCPError(.timedOut, "monitor: \(options.timeout.map { "\($0)" } ?? "?") s passed before "
                + "\(options.count ?? 0) matching event(s) came")
        }
    }
}

/// SIGINT and SIGTERM ask the monitor to stop; it finishes cleanly with exit 0.
enum StopSignal {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0

    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in StopSignal.requested = 1 }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0 // no SA_RESTART: poll() must wake up
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A parent may have started us with these blocked (thread pools often do).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}
