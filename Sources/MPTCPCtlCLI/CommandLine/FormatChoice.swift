/// The format options of a line as typed (`-j`, `-p`, `--format NAME`), read in order,
/// and the one check that makes them an `OutputFormat`: a later `--format` replaces an
/// earlier one (`table` and `json` the JSON asked for too), `-j` adds JSON to what
/// `--format` chose. A refusal names the options as the user typed them.
package struct FormatChoice: Sendable, Equatable {
    /// What `--format` chose last (not json: that is `json`).
    enum Base: Sendable, Equatable { case table, ip, metrics(OutputFormat.Metrics) }

    var base = Base.table
    /// The option that asked for JSON, as typed ("-j", "--json", "--format json"); nil: none.
    var json: String?
    var pretty = false

    package init() {}

    /// The tree's options (help and the manual): `--json`, `--pretty`, `--format NAME`,
    /// in that order.
    package init(json: Bool, pretty: Bool, format: String?) {
        if json { self.json = "--json" }
        self.pretty = pretty
        if let format { try? read(format: format) }
    }

    /// `-j`, as spelled (a group of flags, `-jp`, is named `-j`).
    mutating func readJSON(spelled: String) {
        json = CommandTable.json.names.contains(spelled) ? spelled : "-j"
    }

    /// `--format NAME`.
    mutating func read(format name: String) throws(CLIError) {
        switch name {
        case "table": (base, json) = (.table, nil)
        case "json": (base, json) = (.table, "--format json")
        case "ip": base = .ip
        default:
            guard let metrics = OutputFormat.Metrics(rawValue: name) else {
                throw .usage("unknown format '\(name)': expected \(Invocation.list(OutputFormat.names, last: "or"))")
            }
            base = .metrics(metrics)
        }
    }

    /// The format of a line that runs `path`, or of every line of `-b FILE` (nil): refused
    /// where the command prints no such thing, or where two options ask for two formats.
    func resolved(for path: [String]?) throws(CLIError) -> OutputFormat {
        switch base {
        case .table:
            return OutputFormat(json == nil ? .table : .json, pretty: pretty)
        case .ip:
            if let path, !CommandTable.ipFormatCommands.contains(path) {
                throw .usage("'--format ip' works with endpoint show, limits show and monitor only (what 'ip mptcp' prints)")
            }
            guard let json else { return OutputFormat(.ip, pretty: pretty) }
            // ip's JSON is `ip -j mptcp monitor`'s; monitor cannot be a line of a batch.
            guard path == ["monitor"] else {
                throw .usage("'\(json)' and '--format ip' go together with monitor only ('ip -j mptcp monitor'): choose one")
            }
            return OutputFormat(.ipJSON, pretty: pretty)
        case let .metrics(metrics):
            if let path, path != ["counters"] { throw .usage("'--format \(metrics.rawValue)' works with counters only") }
            if let json { throw .usage("\(json) and --format \(metrics.rawValue) cannot go together: choose one") }
            return OutputFormat(.metrics(metrics), pretty: pretty)
        }
    }
}
