import Glibc
import MPTCPKit

/// `monitor`: prints the path manager's events until `--count` is reached, `--timeout`
/// passes, or SIGINT or SIGTERM asks it to stop (exit 0).
struct MonitorRunner {
    let context: Context

    /// How the wait ended.
    enum Outcome: Equatable {
        /// --count events were printed.
        case satisfied
        /// A signal asked to stop, or --timeout passed with no --count.
        case stopped
        /// --timeout passed before --count events came.
        case timedOut
    }

    func run(_ options: MonitorOptions, _ line: LineOptions) throws(CLIError) {
        let stop: SignalDescriptor
        do throws(Errno) {
            stop = try SignalDescriptor([SIGINT, SIGTERM])
        } catch {
            throw .environment("monitor: cannot catch SIGINT and SIGTERM: \(error)")
        }
        let monitor = try CLIError.worded(as: "monitor") { () throws(PathManagerError) in try EventMonitor.open(netns: line.netns) }
        context.console.note("listening for MPTCP path-manager events in namespace \(line.netns ?? "(current)")")
        let outcome = try CLIError.worded(as: "monitor") { () throws(PathManagerError) in
            try watch(monitor, options, format: line.format, stop: stop)
        }
        if outcome == .timedOut {
            throw CLIError(.timedOut, "monitor: \(options.timeout.map { "\($0)" } ?? "?") s passed before "
                + "\(options.count ?? 0) matching event(s) came")
        }
    }

    /// Prints events until the options are satisfied, time is up, or a stop signal
    /// comes. Lost events are reported on standard error and, in mptcpctl's JSON, as a
    /// `{"type":"lost"}` line (`ip` prints nothing for them on standard output). With
    /// `--format ip -j`, the JSON array is closed however the wait ends. An event with an
    /// attribute of the wrong size is printed without it, and a warning names it (one bad
    /// event does not end the monitor).
    func watch(_ monitor: EventMonitor, _ options: MonitorOptions, format: OutputFormat,
               stop: SignalDescriptor?) throws(PathManagerError) -> Outcome {
        let view = EventView(interfaceName: { monitor.interfaceName(index: $0) })
        var ipView = format.ip ? IPMonitorView(format, timestamps: options.timestamps,
                                               interfaceName: { monitor.interfaceName(index: $0) }) : nil
        defer { if let end = ipView?.end, !end.isEmpty { context.console.write(end, .output) } }
        let deadline = options.timeout.map { Timestamp.monotonic() + $0 }
        var printed = 0
        while true {
            var wait: Int32 = -1
            if let deadline {
                let left = deadline - Timestamp.monotonic()
                if left <= 0 { return options.count == nil ? .stopped : .timedOut }
                wait = Int32(min((left * 1000).rounded(.up), 3_600_000))
            }
            switch try monitor.next(timeout: wait, wake: stop?.fileDescriptor) {
            case .timedOut:
                continue
            case .woken:
                return .stopped
            case let .lost(count, time):
                context.console.warn("\(count.map(String.init) ?? "some") event(s) lost: the receive buffer overran")
                if format.json, !format.ip { context.console.line(EventView.lost(count, time: time).rendered()) }
            case let .events(events, time):
                for event in events where options.admits(event) {
                    if let warning = EventView.malformed(event) { context.console.warn("monitor: \(warning)") }
                    if let text = ipView?.render(event, time: time) {
                        context.console.write(text, .output)
                    } else {
                        context.console.line(format.json ? view.json(event, time: time).rendered(pretty: format.pretty)
                                                         : view.text(event, time: time))
                    }
                    printed += 1
                    if let count = options.count, printed >= count { return .satisfied }
                }
            }
        }
    }
}
