/// Where `counters` prints: `--output FILE`. (What it prints is the line's format:
/// `--format table|json|openmetrics|prometheus`, `-j`.)
package struct CountersOptions: Sendable, Equatable {
    /// Write here (atomically: a temporary file renamed over it) instead of standard output.
    package var output: String?

    package init(output: String? = nil) {
        self.output = output
    }

    /// `--output`.
    init(_ given: CommandTable.Given) throws(CLIError) {
        self.init()
        for value in given.values(CommandTable.output) {
            guard !value.isEmpty else { throw .usage("counters: '--output' needs a file name") }
            output = value
        }
    }
}
