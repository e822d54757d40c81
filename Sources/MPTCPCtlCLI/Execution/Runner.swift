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
        try run(command, invocation.lineOptions)
    }

    /// Each runner reads its command and the line's namespace and format, nothing else.
    func run(_ command: Command, _ line: LineOptions) throws(CLIError) {
        switch command {
        case let .endpoint(endpoint):
            try EndpointRunner(context: context, managers: managers).run(endpoint, line)
        case let .limits(limits):
            try LimitsRunner(context: context, managers: managers).run(limits, line)
        case let .monitor(options):
            try MonitorRunner(context: context).run(options, line)
        case .counters, .check, .doctor:
            try NamespaceRunner(context: context, line: line).run(command)
        case let .apply(options):
            try ApplyRunner(context: context, managers: managers).run(options, line)
        case let .export(allSysctls):
            try ExportRunner(context: context, managers: managers).run(allSysctls: allSysctls, line)
        case let .connections(listening, processes):
            try ConnectionsRunner(context: context, line: line).run(listening: listening, processes: processes)
        case let .top(options):
            try TopRunner(context: context, line: line).run(options)
        case let .userspace(userspace):
            try UserspaceRunner(context: context).run(userspace, line)
        case let .sync(options):
            try SyncRunner(context: context, managers: managers).run(options, line)
        case let .run(options):
            try ProgramRunner(context: context, line: line).run(options)
        case let .enable(options):
            try UnitRunner(context: context, line: line).enable(options)
        case let .enableList(root):
            try UnitRunner(context: context, line: line).list(root: root)
        case let .disable(options):
            try UnitRunner(context: context, line: line).disable(options)
        }
    }
}
