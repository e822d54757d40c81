import Launch
import MPTCPKit

/// What the runners work with, passed in rather than reached for: where output goes,
/// how a namespace's path manager is opened, and who reads state files. The program
/// uses the system's; tests and fuzzers give a console that records and a fake kernel.
struct Context {
    var console: Console
    /// Opens the path manager of a namespace (nil: the current one).
    var open: (String?) throws(PathManagerError) -> PathManager
    /// nil in `mptcpctl`, which hands `apply` and `-b` over to `mptcpctl-apply`.
    var stateFileReader: StateFileReader?
    /// nil in `mptcpctl`, which hands help over to `mptcpctl-apply`.
    var help: HelpText?
    /// Reads a file the command line names (`-` for standard input) for an operation
    /// (`apply`, `sync`, `-b`): one that decides what is done as root, so it is
    /// refused unless trusted (`FileTrust`).
    var readFile: (_ path: String, _ operation: String) throws(CLIError) -> String
    /// Replaces a file the command line names (`counters --output FILE`) atomically.
    var writeFile: (String, String) throws(CLIError) -> Void = { path, text throws(CLIError) in
        try TextFile.writeAtomically(path, text)
    }
    /// Reads the MPTCP connections of a namespace (nil: the current one); the flag
    /// asks for listeners too.
    var connections: (String?, Bool) throws(PathManagerError) -> [Connection] = { netns, listening throws(PathManagerError) in
        try ConnectionReader.read(netns: netns, listening: listening)
    } {
        didSet { connectionsAreTheKernels = false }
    }
    /// The processes holding the sockets with these inodes (`connections --processes`,
    /// `check program=`), read from /proc.
    var socketOwners: (Set<UInt64>) -> SocketOwners = { SocketOwners.read(inodes: $0) }
    /// Whether `connections` is still the kernel's (tests and fuzzers give their own).
    private var connectionsAreTheKernels = true

    /// This context, its `connections` keeping each namespace's sockets open from one
    /// reading to the next (`top`); as it is when `connections` is not the kernel's.
    func keepingConnectionReaders() -> Context {
        guard connectionsAreTheKernels else { return self }
        var context = self
        let source = ConnectionSource()
        context.connections = { netns, listening throws(PathManagerError) in
            try source.connections(netns: netns, listening: listening)
        }
        return context
    }
    /// What the running kernel offers, asked when a runner needs to know (the kernel's own
    /// answers, or a stand-in's).
    var features = KernelFeatures.running
    /// Reads namespaces (nil: the current one), each in one visit, for counters, check
    /// and doctor: with their interfaces when asked, leaving out a named namespace
    /// deleted since it was listed when asked.
    var snapshots: (_ targets: [String?], _ interfaces: Bool, _ skippingVanished: Bool)
        -> [(netns: String?, result: Result<NamespaceSnapshot, PathManagerError>)] = { targets, interfaces, skipping in
            NamespaceSnapshot.readEach(targets, interfaces: interfaces, skippingVanished: skipping)
        }
    /// Reads namespaces for `counters --format openmetrics|prometheus`, as `snapshots` does.
    var metrics: (_ targets: [String?], _ skippingVanished: Bool)
        -> [(netns: String?, result: Result<NamespaceMetrics, PathManagerError>)] = { targets, skipping in
            NamespaceMetrics.readEach(targets, skippingVanished: skipping, healingChannel: SyncRunner.channelName)
        }
    /// Reads the links and addresses of a namespace, for `interfaces:` rules.
    var interfaces: (String?) throws(PathManagerError) -> InterfaceSnapshot = { netns throws(PathManagerError) in
        try InterfaceWatcher.open(netns: netns, follow: false).snapshot()
    }
    /// The named network namespaces (`--all-netns`), and whether one still exists.
    var namespaces: () -> [String] = { NetworkNamespace.named() }
    var namespaceExists: (String) -> Bool = { NetworkNamespace.exists($0) }
    /// Takes the writers' lock of a namespace (nil: the current one), held until the
    /// value goes; nil where there is nothing to lock (a fake kernel).
    var lockNamespace: (String?) throws(PathManagerError) -> NamespaceLock?
    /// The terminal a full-screen view draws on, nil when there is none that can (a
    /// text view is printed instead). None but the program's own: a test run from a
    /// terminal prints text.
    var terminal: (Console) -> Terminal? = { _ in nil }
    /// What shell completion offers from the system: namespaces, interfaces, ids.
    var completionSources = Completion.Sources.system
    /// Starts programs and answers for the process around them (`run`, the supervisor,
    /// `enable`'s systemctl): the system's, or a stand-in that records what would start.
    var launcher: any Launcher = SystemLauncher()
    /// What `run` and `enable` ask of the file system: a program's mode, the preload
    /// library's trust, an image's root.
    var files: any FileSystem = SystemFileSystem()

    init(console: Console, stateFileReader: StateFileReader? = nil, help: HelpText? = nil,
                readFile: @escaping (String, String) throws(CLIError) -> String = { path, operation throws(CLIError) in
                    try TextFile.readTrusted(path, operation: operation)
                },
                lockNamespace: @escaping (String?) throws(PathManagerError) -> NamespaceLock? = { _ in nil },
                open: @escaping (String?) throws(PathManagerError) -> PathManager) {
        self.console = console
        self.stateFileReader = stateFileReader
        self.help = help
        self.readFile = readFile
        self.lockNamespace = lockNamespace
        self.open = open
    }

    /// The writers' lock of `netns`, for a command that changes it; a failure is
    /// worded as one of `operation`.
    func lock(_ netns: String?, operation: String) throws(CLIError) -> NamespaceLock? {
        try CLIError.worded(as: operation) { () throws(PathManagerError) in try lockNamespace(netns) }
    }

    /// The state file `file` (called `name` in messages), read by the state-file reader;
    /// its problems are printed, one a line, and counted in the error of `operation`.
    func readState(_ file: String, name: String, operation: String, kind: String) throws(CLIError) -> DesiredState {
        guard let reader = stateFileReader else {
            throw .environment("\(operation): this binary cannot read \(kind) files; run it through mptcpctl")
        }
        let text = try readFile(file, operation)
        do throws(StateFileError) {
            return try reader(text, name)
        } catch {
            for problem in error.problems { console.error(problem) }
            throw .usage("\(operation): \(error.problems.count) problem(s) in \(name): nothing was changed")
        }
    }

    /// Where the writers' locks live: every command that changes a namespace holds its
    /// lock while it does, so a manual `apply` and `sync` never interleave.
    static let lockDirectory = "/run/mptcpctl"

    /// The real kernel and the process's standard output and error.
    static func system(stateFileReader: StateFileReader?, help: HelpText?) -> Context {
        var context = Context(console: .standard, stateFileReader: stateFileReader, help: help,
                              lockNamespace: { netns throws(PathManagerError) in try NamespaceLock(netns: netns, directory: lockDirectory) }) { netns throws(PathManagerError) in
            try PathManager.open(netns: netns)
        }
        context.terminal = { Terminal.standard(console: $0) }
        return context
    }
}
