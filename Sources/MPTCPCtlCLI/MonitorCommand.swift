import ArgumentParser
import Glibc
import MPTCPKit

/// `mptcpctl monitor`: print the path manager's events as they happen.
struct MonitorCommand: ParsableCommand {
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
    var count: Int?

    @Option(help: ArgumentHelp("Give up after this many seconds.", valueName: "seconds"))
    var timeout: Double?

    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words"))
    var words: [String] = []

    func run() throws {
        if let word = words.first { throw MPTCPError.usage("monitor: unexpected word '\(word)': see 'mptcpctl monitor --help'") }
        let known = Set(PathManagerEvent.names.values)
        if let bad = event.first(where: { !known.contains($0) }) {
            throw MPTCPError.usage("monitor: unknown event type '\(bad)': expected \(PathManagerEvent.names.sorted { $0.key < $1.key }.map(\.value).joined(separator: ", "))")
        }
        if let count, count < 1 { throw MPTCPError.usage("monitor: bad count '\(count)': a count is 1 or more") }
        if let timeout, !(timeout > 0 && timeout < 1e9) {
            throw MPTCPError.usage("monitor: bad timeout '\(timeout)': a timeout is a number of seconds above 0")
        }
        StopSignal.install()
        let monitor = try Monitor.open(netns: global.netns)
        Diagnostics.note("listening for MPTCP path-manager events in namespace \(global.netns ?? "(current)")")
        let options = Monitor.Options(events: Set(event), count: count, timeout: timeout, format: global.format)
        let outcome = monitor.run(options, emit: Output.line, warn: Diagnostics.warn, stopRequested: { StopSignal.requested != 0 })
        if outcome == .timedOut {
            throw MPTCPError(.timedOut, "monitor: \(timeout ?? 0) s passed before \(count ?? 0) matching event(s) came")
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

/// Standard output without buffering surprises: one write per line, so a pipe sees
/// each event as it happens.
enum Output {
    static func line(_ text: String) {
        var bytes = Array((text + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
