import MPTCPKit

/// What `monitor` prints and when it stops.
package struct MonitorOptions: Sendable, Equatable {
    /// `ip`'s timestamp before each event, with `--format ip`.
    package enum Timestamps: Sendable, Equatable {
        /// `-t`: a line "Timestamp: Mon Dec  7 17:33:51 2026 483763 usec" before each event.
        case full
        /// `-ts`: "[2026-12-07T17:33:51.483763] " at the start of each event's line.
        case short
    }

    /// Event kinds to print; empty: all.
    package var events: [PathManagerEvent.Kind] = []
    /// Only the events of the connection with this token.
    package var token: UInt32?
    /// Stop after this many printed events.
    package var count: Int?
    /// Give up after this many seconds.
    package var timeout: Double?
    package var timestamps: Timestamps?

    package init(events: [PathManagerEvent.Kind] = [], token: UInt32? = nil, count: Int? = nil, timeout: Double? = nil,
                 timestamps: Timestamps? = nil) {
        self.events = events
        self.token = token
        self.count = count
        self.timeout = timeout
        self.timestamps = timestamps
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
            case CommandTable.token:
                guard let token = ConnectionToken.parse(value) else {
                    throw .usage("monitor: bad --token '\(value)': a token is up to 8 hex digits, as monitor prints it")
                }
                self.token = token
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
            case CommandTable.timestamp, CommandTable.tshort:
                guard given.format.ip else {
                    let spelled = option == CommandTable.tshort ? "-ts" : "-t"
                    throw .usage("monitor: '\(spelled)' (ip's timestamps) works with '--format ip' only: "
                        + "mptcpctl's own lines and JSON carry the time already")
                }
                // As with `ip`, -ts wins over -t, in either order.
                if timestamps != .short { timestamps = option == CommandTable.tshort ? .short : .full }
            default:
                break
            }
        }
        if let word = given.words.first { throw .usage("monitor: unexpected word '\(word)': see 'mptcpctl monitor --help'") }
    }

    /// Whether `event` passes the filters (`--event`, `--token`).
    func admits(_ event: PathManagerEvent) -> Bool {
        (events.isEmpty || events.contains(event.kind)) && (token == nil || event.token == token)
    }

    var arguments: [String] {
        var arguments = events.map { "--event=\(EventView.name($0))" }
        if let token { arguments.append("--token=\(EventView.hex(token))") }
        if let count { arguments.append("--count=\(count)") }
        if let timeout { arguments.append("--timeout=\(timeout)") }
        switch timestamps {
        case .full: arguments.append("--timestamp")
        case .short: arguments.append("--tshort")
        case nil: break
        }
        return arguments
    }
}
