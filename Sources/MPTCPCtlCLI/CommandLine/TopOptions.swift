import MPTCPKit

/// What `top` samples, how often, for how long, and what it shows first.
package struct TopOptions: Sendable, Equatable {
    /// What the connections, and the subflows in each, are ordered by.
    package enum SortKey: String, Sendable, CaseIterable {
        /// Send rate, highest first (the default).
        case send
        /// Receive rate, highest first.
        case recv
        /// Round-trip time, longest first (a connection by its longest subflow's).
        case rtt
        /// Token, lowest first; subflows in the kernel's order.
        case token
    }

    /// Seconds between samples.
    package var delay: Double = 1
    /// Stop after this many samples; nil: until SIGINT or SIGTERM.
    package var iterations: Int?
    /// Only the connection with this token.
    package var token: UInt32?
    /// Only connections with this port at either end, of the connection or a subflow.
    package var port: UInt16?
    /// Only the subflows that leave by this interface (and their connections).
    package var device: String?
    package var sort: SortKey = .send

    /// The options in their long form, as the tree reads them.
    var arguments: [String] {
        var arguments = delay == 1 ? [] : ["--delay=\(SyncOptions.seconds(delay))"]
        if let iterations { arguments.append("--iterations=\(iterations)") }
        if let token { arguments.append("--token=\(EventView.hex(token))") }
        if let port { arguments.append("--port=\(port)") }
        if let device { arguments.append("--dev=\(device)") }
        if sort != .send { arguments.append("--sort=\(sort.rawValue)") }
        return arguments
    }
}

// Read from the command line; an extension, so the memberwise initializer stays.
extension TopOptions {
    init(_ given: CommandTable.Given) throws(CLIError) {
        for (option, value) in given.options {
            let value = value ?? ""
            switch option {
            case CommandTable.delay:
                guard let seconds = Double(value), seconds > 0, seconds <= 86400 else {
                    throw .usage("top: bad --delay '\(value)': a delay is a number of seconds above 0, at most 86400")
                }
                delay = seconds
            case CommandTable.iterations:
                guard let count = Int(value), count >= 1 else {
                    throw .usage("top: bad --iterations '\(value)': a number of samples is a whole number, 1 or more")
                }
                iterations = count
            case CommandTable.token:
                guard let number = ConnectionToken.parse(value) else {
                    throw .usage("top: bad --token '\(value)': a token is up to 8 hex digits, as connections and monitor print it")
                }
                token = number
            case CommandTable.port:
                guard let number = UnsignedNumber.parse(value, max: 65535), number > 0 else {
                    throw .usage("top: bad --port '\(value)': a port is a number from 1 to 65535")
                }
                port = UInt16(number)
            case CommandTable.dev:
                guard EndpointSpec.isValidDeviceName(value) else {
                    throw .usage("top: bad --dev '\(value)': an interface name is 1 to 15 bytes, without '/' or blanks")
                }
                device = value
            case CommandTable.sort:
                guard let key = SortKey(rawValue: value) else {
                    throw .usage("top: unknown --sort key '\(value)': expected "
                        + Invocation.list(SortKey.allCases.map(\.rawValue), last: "or"))
                }
                sort = key
            default:
                break
            }
        }
        if let word = given.words.first { throw .usage("top: unexpected word '\(word)': top takes no arguments") }
    }
}
