/// What `counters` prints and where: `--format table|json|openmetrics|prometheus` (`-j`
/// is `--format json`) and `--output FILE`.
package struct CountersOptions: Sendable, Equatable {
    package enum Format: String, Sendable, Equatable {
        case table, json, openmetrics, prometheus
    }

    package var format: Format = .table
    /// Write here (atomically: a temporary file renamed over it) instead of standard output.
    package var output: String?

    /// Reads `counters`' NAME=VALUE options; `format` is the line's `-j`.
    static func parse(_ options: [String], format: OutputFormat) throws(CLIError) -> CountersOptions {
        var result = CountersOptions(format: format.json ? .json : .table)
        var named: Format?
        for option in options {
            // Split by scalars: "=" followed by a combining mark is one Character.
            let name = String(option.unicodeScalars.prefix { $0 != "=" })
            let value = String(String.UnicodeScalarView(option.unicodeScalars.dropFirst(name.unicodeScalars.count + 1)))
            switch name {
            case "--format":
                let values = CommandTable.object(named: "counters")?.options.first { $0.long == "--format" }?.values ?? []
                guard values.contains(value), let chosen = Format(rawValue: value) else {
                    throw .usage("counters: unknown format '\(value)': expected \(Invocation.list(values, last: "or"))")
                }
                named = chosen
            case "--output":
                guard !value.isEmpty else { throw .usage("counters: '--output' needs a file name") }
                result.output = value
            default:
                throw .usage("counters: unknown option '\(name)'")
            }
        }
        if let named {
            if format.json, named != .json {
                throw .usage("-j and --format \(named.rawValue) cannot go together: choose one")
            }
            result.format = named
        }
        return result
    }
}
