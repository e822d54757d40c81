import MPTCPKit

/// What `monitor` prints and when it stops.
package struct MonitorOptions: Sendable, Equatable {
    /// Event kinds to print; empty: all.
    package var events: [PathManagerEvent.Kind] = []
    /// Stop after this many printed events.
    package var count: Int?
    /// Give up after this many seconds.
    package var timeout: Double?

    package init(events: [PathManagerEvent.Kind] = [], count: Int? = nil, timeout: Double? = nil) {
        self.events = events
        self.count = count
        self.timeout = timeout
    }

    init(_ given: CommandTable.Given) throws(CLIError) {
        for (option, value) in given.options {
            let value = value ?? ""
            switch option {
            case CommandTable.event:
                // Ours or `ip mptcp monitor`'s names, any case, one or a comma list.
                for name in value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                    guard let kind = EventView.kind(named: name) else {
                        throw .usage("monitor: unknown event type '\(name)': expected "
                            + PathManagerEvent.Kind.known.map(EventView.name).joined(separator: ", ")
                            + " (or ip's names: " + PathManagerEvent.Kind.known.map(EventView.ipName).joined(separator: ", ") + ")")
                    }
                    if !events.contains(kind) { events.append(kind) }
                }
            case CommandTable.count:
                guard let count = Int(value), count >= 1 else {
                    throw .usage("monitor: bad --count '\(value)': a count is a whole number, 1 or more")
                }
                self.count = count
            case CommandTable.timeout:
                guard let timeout = Double(value), timeout > 0, timeout < 1e9 else {
                    throw .usage("monitor: bad --timeout '\(value)': a timeout is a number of seconds above 0")
                }
                self.timeout = timeout
            default:
                break
            }
        }
        if let word = given.words.first { throw .usage("monitor: unexpected word '\(word)': see 'mptcpctl monitor --help'") }
    }

    var arguments: [String] {
        events.map { "--event=\(EventView.name($0))" } + (count.map { ["--count=\($0)"] } ?? [])
            + (timeout.map { ["--timeout=\($0)"] } ?? [])
    }
}
