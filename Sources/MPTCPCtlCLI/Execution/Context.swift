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
    /// Reads a file the command line names (`-` for standard input).
    var readFile: (String) throws(CLIError) -> String
    /// Replaces a file the command line names (`counters --output FILE`) atomically.
    var writeFile: (String, String) throws(CLIError) -> Void = { path, text throws(CLIError) in
        try TextFile.writeAtomically(path, text)
    }

    init(console: Console, stateFileReader: StateFileReader? = nil,
                readFile: @escaping (String) throws(CLIError) -> String = { path throws(CLIError) in try TextFile.read(path) },
                open: @escaping (String?) throws(PathManagerError) -> PathManager) {
        self.console = console
        self.stateFileReader = stateFileReader
        self.readFile = readFile
        self.open = open
    }

    /// The real kernel and the process's standard output and error.
    static func system(stateFileReader: StateFileReader?) -> Context {
        Context(console: .standard, stateFileReader: stateFileReader) { netns throws(PathManagerError) in
            try PathManager.open(netns: netns)
        }
    }
}
