import MPTCPKit

/// Carries out one parsed command line: hands it to the runner of its command.
struct Runner {
    let context: Context
    /// Keeps the sockets for the lines that follow (batch files).
    let managers: ManagerCache

    init(context: Context, managers: ManagerCache? = nil) {
        self.context = context
        self.managers = managers ?? ManagerCache(context: context)
    }

    func run(_ invocation: Invocation) throws(CLIError) {
        guard let command = invocation.command else { return }
        switch command {
        case let .endpoint(endpoint):
            try EndpointRunner(context: context, managers: managers).run(endpoint, invocation)
        case let .limits(limits):
            try LimitsRunner(context: context, managers: managers).run(limits, invocation)
        case let .monitor(options):
            try MonitorRunner(context: context).run(options, invocation)
        case .counters, .check, .doctor:
            try NamespaceRunner(context: context, invocation: invocation).run(command)
        case let .apply(file):
            try ApplyRunner(context: context, managers: managers).run(file: file, invocation)
        case .export:
            try ExportRunner(context: context, managers: managers).run(invocation)
        case let .connections(listening):
            try ConnectionsRunner(context: context, invocation: invocation).run(listening: listening)
        case let .userspace(userspace):
            try UserspaceRunner(context: context).run(userspace, invocation)
        case let .sync(options):
            try SyncRunner(context: context, managers: managers).run(options, invocation)
        }
    }
}
