/// What `counters` prints and where: `--format table|json|openmetrics|prometheus` (`-j`
/// is `--format json`) and `--output FILE`.
package struct CountersOptions: Sendable, Equatable {
    package enum Format: String, Sendable, Equatable {
        case table, json, openmetrics, prometheus
    }

    package var format: Format = .table
    /// Write here (atomically: a temporary file renamed over it) instead of standard output.
    package var output: String?

    /// Reads `counters`' NAME=VALUE options (`--output`); `format` is the line's
    /// `-j` or `--format`.
    static func parse(_ options: [String], format: OutputFormat) throws(CLIError) -> CountersOptions {
        var result = CountersOptions(format: format.json ? .json : .table)
        if let metrics = format.metrics, let chosen = Format(rawValue: metrics) {
            if format.json { throw .usage("-j and --format \(metrics) cannot go together: choose one") }
            result.format = chosen
        }
        for option in options {
            // Split by scalars: "=" followed by a combining mark is one Character.
            let name = String(option.unicodeScalars.prefix { $0 != "=" })
            let value = String(String.UnicodeScalarView(option.unicodeScalars.dropFirst(name.unicodeScalars.count + 1)))
            switch name {
            case "--output":
                guard !value.isEmpty else { throw .usage("counters: '--output' needs a file name") }
                result.output = value
            default:
                throw .usage("counters: unknown option '\(name)'")
            }
        }
        return result
    }
}
