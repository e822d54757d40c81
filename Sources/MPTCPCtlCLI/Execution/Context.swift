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
    /// Reads a file the command line names (`-` for standard input).
    var readFile: (String) throws(CLIError) -> String
    /// What shell completion offers from the system: namespaces, interfaces, ids.
    var completionSources = Completion.Sources.system

    init(console: Console, stateFileReader: StateFileReader? = nil, help: HelpText? = nil,
                readFile: @escaping (String) throws(CLIError) -> String = { path throws(CLIError) in try TextFile.read(path) },
                open: @escaping (String?) throws(PathManagerError) -> PathManager) {
        self.console = console
        self.stateFileReader = stateFileReader
        self.help = help
        self.readFile = readFile
        self.open = open
    }

    /// The real kernel and the process's standard output and error.
    static func system(stateFileReader: StateFileReader?, help: HelpText?) -> Context {
        Context(console: .standard, stateFileReader: stateFileReader, help: help) { netns throws(PathManagerError) in
            try PathManager.open(netns: netns)
        }
    }
}
