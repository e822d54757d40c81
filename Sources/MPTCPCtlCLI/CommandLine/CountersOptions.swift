/// What `counters` prints and where: `--format table|json|openmetrics|prometheus` (`-j`
/// is `--format json`) and `--output FILE`.
package struct CountersOptions: Sendable, Equatable {
    package enum Format: String, Sendable, Equatable {
        case table, json, openmetrics, prometheus
    }

    package var format: Format = .table
    /// Write here (atomically: a temporary file renamed over it) instead of standard output.
    package var output: String?

    package init(format: Format = .table, output: String? = nil) {
        self.format = format
        self.output = output
    }

    /// `--output`; the format is the line's `-j` or `--format`.
    init(_ given: CommandTable.Given) throws(CLIError) {
        self.init(format: given.format.json ? .json : .table)
        if let metrics = given.format.metrics, let chosen = Format(rawValue: metrics) {
            if given.format.json { throw .usage("-j and --format \(metrics) cannot go together: choose one") }
            format = chosen
        }
        for value in given.values(CommandTable.output) {
            guard !value.isEmpty else { throw .usage("counters: '--output' needs a file name") }
            output = value
        }
    }
}
