import MPTCPKit

/// A command line's command, parsed and typed, with the options of its object: what a
/// runner carries out.
package enum Command: Sendable, Equatable {
    case endpoint(EndpointCommand)
    case limits(LimitsCommand)
    case monitor(MonitorOptions)
    case counters(CountersOptions)
    case check([Expectation])
    case doctor
    case apply(ApplyOptions)
    /// `--all`: every settable sysctl, not only those that differ from the default.
    case export(allSysctls: Bool)
    /// `--listening`: the listening MPTCP sockets too; `--processes`: the processes
    /// holding each socket.
    case connections(listening: Bool, processes: Bool)
    /// Rates per connection, subflow and interface, sampled until stopped.
    case top(TopOptions)
    case sync(SyncOptions)
    case userspace(UserspaceCommand)
    /// A program run with its TCP sockets made MPTCP (this process becomes it).
    case run(RunOptions)
    /// A service's TCP sockets made MPTCP by a systemd drop-in.
    case enable(UnitOptions)
    /// `enable --list`: the services that have that drop-in, under `root` (nil: `/`).
    case enableList(root: String?)
    /// The drop-in of `enable` removed.
    case disable(UnitOptions)

    /// The object's options in their long form, as swift-argument-parser's tree reads
    /// them (the format and `--all-netns` are the line's).
    var optionArguments: [String] {
        switch self {
        case let .monitor(options): return options.arguments
        case let .counters(options): return options.output.map { ["--output=\($0)"] } ?? []
        case let .apply(options): return options.arguments
        case let .export(allSysctls): return allSysctls ? ["--all"] : []
        case let .connections(listening, processes): return (listening ? ["--listening"] : []) + (processes ? ["--processes"] : [])
        case let .sync(options): return options.arguments
        case let .top(options): return options.arguments
        case let .run(options): return options.arguments
        case let .enable(options), let .disable(options): return options.arguments
        case let .enableList(root): return ["--list"] + (root.map { ["--root=\($0)"] } ?? [])
        case .endpoint, .limits, .check, .doctor, .userspace: return []
        }
    }
}
