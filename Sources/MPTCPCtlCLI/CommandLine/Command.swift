import MPTCPKit

/// A command line's command, parsed and typed: what a runner carries out.
enum Command: Sendable, Equatable {
    case endpoint(EndpointCommand)
    case limits(LimitsCommand)
    case monitor(MonitorOptions)
    case counters
    case check([Expectation])
    case doctor
    case apply(file: String)
    case export
}

/// What `monitor` prints and when it stops.
struct MonitorOptions: Sendable, Equatable {
    /// Event kinds to print; empty: all.
    var events: [PathManagerEvent.Kind] = []
    /// Stop after this many printed events.
    var count: Int?
    /// Give up after this many seconds.
    var timeout: Double?
}
