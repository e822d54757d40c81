import MPTCPKit

/// A command line's command, parsed and typed: what a runner carries out.
package enum Command: Sendable, Equatable {
    case endpoint(EndpointCommand)
    case limits(LimitsCommand)
    case monitor(MonitorOptions)
    case counters(CountersOptions)
    case check([Expectation])
    case doctor
    case apply(file: String)
    case export
    case connections(listening: Bool)
    case sync(SyncOptions)
    case userspace(UserspaceCommand)
}
