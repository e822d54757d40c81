import MPTCPKit

/// A command line read the way `ip` reads one: global options may stand anywhere
/// (before or after the object), objects and commands may be abbreviated to any
/// prefix, and the command's words are parsed into a typed `Command`, so a bad line is
/// refused before anything is opened.
package struct Invocation: Equatable {
    package enum Mode: Equatable {
        /// Carry out a command.
        case run(Command)
        /// Print help for `path` (empty: the whole tool).
        case help
        case version
        /// Run each line of a file (`-b FILE`, `-` for standard input) as a command line.
        case batch(String)
        /// Hand the arguments to swift-argument-parser untouched (completion scripts,
        /// help dumps for the manual).
        case passthrough([String])
        /// `__complete WORD...`: print the candidates for the last word (shell completion).
        case complete([String])
    }

    package var mode: Mode = .help
    package var netns: String?
    package var format = OutputFormat()
    package var allNetns = false
    /// `apply --dry-run`: print the plan, change nothing.
    package var dryRun = false
    /// `apply --keep-unlisted`: leave endpoints the file does not list.
    package var keepUnlisted = false
    /// `export --all`: every settable sysctl, not only those that differ from the default.
    package var allSysctls = false
    /// `-b FILE --force`: report every failing line and go on.
    package var force = false
    /// `connections --listening`: the listening MPTCP sockets too.
    package var listening = false
    /// The object and the command, spelled out ("endpoint", "add").
    package var path: [String] = []
    /// The command's words as given (for messages: "endpoint add 10.0.2.1").
    package var words: [String] = []
    /// Options of one object (`monitor --count=1`), as NAME=VALUE.
    package var objectOptions: [String] = []

    /// An empty line: help, until the fields are set (the tree's commands set them).
    package init() {}

    static let passthroughFlags = ["--generate-completion-script", "--experimental-dump-help"]

    /// The command, when the line runs one.
    package var command: Command? {
        if case let .run(command) = mode { return command }
        return nil
    }

    /// "endpoint add 10.0.2.1 subflow": the command as messages name it.
    package var operation: String {
        // Built by hand: the generic joined(separator:) instantiates metadata at run time.
        var text = path.first ?? ""
        for word in path.dropFirst() + words { text += " " + word }
        return text
    }

    package static func parse(_ arguments: [String]) throws(CLIError) -> Invocation {
        var invocation = Invocation()
        if arguments.first == "__complete" {
            invocation.mode = .complete(Array(arguments.dropFirst()))
            return invocation
        }
        if let first = arguments.first, passthroughFlags.contains(where: { first.hasPrefix($0) }) {
            invocation.mode = .passthrough(arguments)
            return invocation
        }
        // What the line asks for before its words are read; the first of help,
        // version and batch wins, as with `ip`, except that help always does.
        enum Early: Equatable { case run, help, version, batch(String) }
        var early = Early.run
        var positional: [String] = []
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard !optionsEnded, argument.hasPrefix("-"), argument.count > 1,
                  !argument.dropFirst().first!.isNumber else {
                positional.append(argument)
                continue
            }
            switch argument {
            case "--": optionsEnded = true
            case "-j", "--json", "-json": invocation.format.json = true
            case "-p", "--pretty", "-pretty": invocation.format.pretty = true
            case "-jp", "-pj": invocation.format.json = true; invocation.format.pretty = true
            case "-h", "--help", "-help": early = .help
            case "-V", "--version", "-Version": if early == .run { early = .version }
            case "--all-netns", "-all-netns", "-A": invocation.allNetns = true
            case "--dry-run", "-dry-run": invocation.dryRun = true
            case "--keep-unlisted", "-keep-unlisted": invocation.keepUnlisted = true
            case "--all", "-all": invocation.allSysctls = true
            case "--force", "-force": invocation.force = true
            case "--listening", "-listening": invocation.listening = true
            case "-b", "--batch", "-batch":
                guard index < arguments.count else { throw .usage("'\(argument)' needs a file name ('-' for standard input)") }
                if early == .run { early = .batch(arguments[index]) }
                index += 1
            case "--format", "-format":
                guard index < arguments.count else { throw .usage("'\(argument)' needs a value: \(Self.list(OutputFormat.names, last: "or"))") }
                try invocation.setFormat(arguments[index])
                index += 1
            case "-n", "--netns", "-netns":
                guard index < arguments.count else { throw .usage("'\(argument)' needs a namespace name") }
                invocation.netns = arguments[index]
                index += 1
            default:
                let name = String(argument.prefix { $0 != "=" })
                if argument.hasPrefix("--netns=") {
                    invocation.netns = String(argument.dropFirst("--netns=".count))
                } else if argument.hasPrefix("--format=") {
                    try invocation.setFormat(String(argument.dropFirst("--format=".count)))
                } else if let option = CommandTable.objectOption(named: name), option.takesValue {
                    // Kept as NAME=VALUE, so a value such as "-1" is not taken for an option.
                    if argument.contains("=") {
                        invocation.objectOptions.append(argument)
                    } else {
                        guard index < arguments.count else { throw .usage("'\(argument)' needs a value") }
                        invocation.objectOptions.append("\(argument)=\(arguments[index])")
                        index += 1
                    }
                } else if CommandTable.objectOption(named: argument) != nil {
                    // An object's option without a value (`sync --ignore-managers`).
                    invocation.objectOptions.append(argument)
                } else {
                    throw .usage("unknown option '\(argument)'; see 'mptcpctl --help'")
                }
            }
            if let netns = invocation.netns {
                do throws(NetworkNamespace.Problem) { try NetworkNamespace.validate(netns) } catch { throw CLIError(error) }
            }
        }
        if invocation.format.ip, invocation.format.json {
            throw .usage("'-j' and '--format ip' cannot go together: choose one")
        }
        if case let .batch(batch) = early {
            if let word = positional.first { throw .usage("-b FILE: unexpected word '\(word)': the commands come from the file") }
            // As with `ip -j -n NAME -batch FILE`: -n and the output format apply to every line.
            if invocation.allNetns || invocation.dryRun || invocation.keepUnlisted || invocation.listening || invocation.allSysctls {
                throw .usage("-b FILE takes -n, -j, -p, --format and --force only; options of a command go on its line")
            }
            invocation.mode = .batch(batch)
            return invocation
        }
        let runs = try invocation.resolve(positional, running: early == .run)
        if early == .version {
            invocation.mode = .version
            return invocation
        }
        if early == .help || !runs {
            invocation.mode = .help
            return invocation
        }
        try invocation.checkOptions()
        invocation.mode = .run(try invocation.typedCommand())
        return invocation
    }

    /// `--format NAME`.
    private mutating func setFormat(_ name: String) throws(CLIError) {
        switch name {
        case "table": format.json = false; format.ip = false; format.metrics = nil
        case "json": format.json = true; format.ip = false; format.metrics = nil
        case "ip": format.ip = true; format.metrics = nil
        case "openmetrics", "prometheus": format.metrics = name; format.ip = false
        default: throw .usage("unknown format '\(name)': expected \(Self.list(OutputFormat.names, last: "or"))")
        }
    }

    /// Rejects options the command does not take.
    private func checkOptions() throws(CLIError) {
        let object = path.first ?? ""
        if format.ip, !CommandTable.ipFormatCommands.contains(path) {
            throw .usage("'--format ip' works with endpoint show and limits show only (what 'ip mptcp' prints)")
        }
        if let metrics = format.metrics, path != ["counters"] {
            throw .usage("'--format \(metrics)' works with counters only")
        }
        if allNetns {
            let takers = CommandTable.objects(taking: CommandTable.allNetns)
            guard takers.contains(object) else {
                throw .usage("--all-netns works with \(Self.list(takers, last: "and"))")
            }
            if netns != nil { throw .usage("-n and --all-netns cannot go together: choose one") }
        }
        if dryRun, object != "apply" { throw .usage("'--dry-run' works with apply only") }
        if keepUnlisted, object != "apply", object != "sync" { throw .usage("'--keep-unlisted' works with apply and sync only") }
        if allSysctls, object != "export" { throw .usage("'--all' works with export only") }
        if force { throw .usage("'--force' works with -b FILE only") }
        if listening, object != "connections" { throw .usage("'--listening' works with connections only") }
        // Split by scalars: "=" followed by a combining mark is one Character.
        for option in objectOptions.map({ String($0.unicodeScalars.prefix { $0 != "=" }) }) {
            let takers = CommandTable.objects(takingOptionNamed: option)
            if !takers.isEmpty, !takers.contains(object) {
                throw .usage("'\(option)' works with \(takers.count == 1 ? takers[0] + " only" : Self.list(takers, last: "and"))")
            }
        }
    }

    /// Splits the positional words into object, command and the command's words.
    /// False when the line asks for help instead. An object alone runs its default
    /// command only when the line runs (help for `endpoint` is the group's).
    private mutating func resolve(_ given: [String], running: Bool) throws(CLIError) -> Bool {
        // `ip … mptcp endpoint show` with `ip` replaced by `mptcpctl` runs as it stands.
        let positional = given.first == "mptcp" ? Array(given.dropFirst()) : given
        guard let first = positional.first else { return false }
        let names = ["help"] + CommandTable.objects.map(\.name)
        let abbreviable = ["help"] + CommandTable.objects.filter(\.abbreviable).map(\.name)
        guard let name = names.first(where: { $0 == first }) ?? Keyword.match(first, in: abbreviable) else {
            let candidates = CommandTable.objects.map(\.name).filter { $0.hasPrefix(first) && !first.isEmpty }
            if !candidates.isEmpty {
                throw .usage("unknown object '\(first)': did you mean \(Self.list(candidates, last: "or"))? Only "
                    + "\(Self.list(Array(abbreviable.dropFirst()), last: "and")) (the objects of 'ip mptcp') may be abbreviated")
            }
            throw .usage("unknown object '\(first)': expected \(Self.list(Array(names.dropFirst()), last: "or")); see 'mptcpctl --help'")
        }
        if name == "help" {
            if positional.count > 1 { _ = try resolve(Array(positional.dropFirst()), running: false) }
            return false
        }
        guard let object = CommandTable.object(named: name) else { return false }
        path = [name]
        if object.verbs.isEmpty {
            if positional.count > 1, positional[1] == "help" { return false }
            words = Array(positional.dropFirst())
            return true
        }
        guard positional.count > 1 else {
            if running { path.append(CommandTable.defaultVerb) }
            return true
        }
        let word = positional[1]
        if Keyword.match(word, in: ["help"]) != nil, Keyword.match(word, in: object.verbs) == nil {
            return false
        }
        guard let verb = Keyword.match(word, in: object.verbs) else {
            throw .usage("\(name): unknown command '\(word)': expected \(Self.list(object.verbs, last: "or"))")
        }
        path.append(verb)
        words = Array(positional.dropFirst(2))
        return true
    }

    /// Reads the command from `path`, `words` and `objectOptions` as set by hand (the
    /// tree's commands do); leaves the mode alone when they do not make one.
    package mutating func readCommand() {
        if let command = try? typedCommand() { mode = .run(command) }
    }

    /// The command's words, read by its grammar.
    private func typedCommand() throws(CLIError) -> Command {
        let object = path[0]
        switch object {
        case "endpoint":
            return .endpoint(try EndpointCommand.parse(verb: path[1], words))
        case "limits":
            return .limits(try LimitsCommand.parse(verb: path[1], words))
        case "userspace":
            return .userspace(try UserspaceCommand.parse(verb: path[1], words))
        case "monitor":
            let options = try monitorOptions()
            if let word = words.first { throw .usage("monitor: unexpected word '\(word)': see 'mptcpctl monitor --help'") }
            return .monitor(options)
        case "check":
            guard !words.isEmpty else {
                throw .usage("check: missing EXPECTATION: e.g. 'address>=1' or endpoint=10.0.2.1:address")
            }
            var expectations: [Expectation] = []
            for word in Expectation.words(words) { expectations.append(try Expectation(word)) }
            return .check(expectations)
        case "apply":
            guard words.count == 1, let file = words.first else {
                throw .usage("apply: expected one FILE (YAML or JSON, '-' for standard input)")
            }
            return .apply(file: file)
        case "sync":
            guard words.count == 1, let file = words.first, file != "-" else {
                throw .usage("sync: expected one FILE (YAML or JSON; not standard input, as SIGHUP reads it again)")
            }
            return .sync(try syncOptions(file: file))
        default:
            if let word = words.first { throw .usage("\(object): unexpected word '\(word)': \(object) takes no arguments") }
            switch object {
            case "counters": return .counters(try CountersOptions.parse(objectOptions, format: format))
            case "doctor": return .doctor
            case "connections": return .connections(listening: listening)
            default: return .export
            }
        }
    }

    private func monitorOptions() throws(CLIError) -> MonitorOptions {
        var options = MonitorOptions()
        for option in objectOptions {
            let name = String(option.prefix { $0 != "=" }), value = String(option.dropFirst(name.count + 1))
            switch name {
            case "--event":
                // Ours or `ip mptcp monitor`'s names, any case, one or a comma list.
                for name in value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
                    guard let kind = EventView.kind(named: name) else {
                        throw .usage("monitor: unknown event type '\(name)': expected "
                            + PathManagerEvent.Kind.known.map(EventView.name).joined(separator: ", ")
                            + " (or ip's names: " + PathManagerEvent.Kind.known.map(EventView.ipName).joined(separator: ", ") + ")")
                    }
                    if !options.events.contains(kind) { options.events.append(kind) }
                }
            case "--count":
                guard let count = Int(value), count >= 1 else {
                    throw .usage("monitor: bad count '\(value)': a count is a whole number, 1 or more")
                }
                options.count = count
            default:
                guard let timeout = Double(value), timeout > 0, timeout < 1e9 else {
                    throw .usage("monitor: bad timeout '\(value)': a timeout is a number of seconds above 0")
                }
                options.timeout = timeout
            }
        }
        return options
    }

    private func syncOptions(file: String) throws(CLIError) -> SyncOptions {
        var options = SyncOptions(file: file)
        for option in objectOptions {
            let name = String(option.prefix { $0 != "=" }), value = String(option.dropFirst(name.count + 1))
            switch name {
            case "--interval":
                guard let seconds = Double(value), seconds >= 1, seconds <= 86400 else {
                    throw .usage("sync: bad interval '\(value)': an interval is a number of seconds from 1 to 86400")
                }
                options.interval = seconds
            default:
                options.ignoreManagers = true
            }
        }
        return options
    }

    static func list(_ words: [String], last: String) -> String {
        if words.count == 1 { return words[0] }
        return words.dropLast().joined(separator: ", ") + " \(last) " + words.last!
    }

    /// The same line as swift-argument-parser's tree reads it: the spelled-out path, the
    /// options in their long form, and the words after `--`, so none is mistaken for an
    /// option. (The program runs the Invocation itself; a test checks the tree agrees.)
    package var argumentParserArguments: [String] {
        var arguments = path
        if let netns { arguments += ["--netns", netns] }
        if format.json { arguments.append("--json") }
        if format.ip { arguments += ["--format", "ip"] }
        if let metrics = format.metrics { arguments += ["--format", metrics] }
        if format.pretty { arguments.append("--pretty") }
        if allNetns { arguments.append("--all-netns") }
        if dryRun { arguments.append("--dry-run") }
        if keepUnlisted { arguments.append("--keep-unlisted") }
        if allSysctls { arguments.append("--all") }
        if listening { arguments.append("--listening") }
        arguments += objectOptions
        return arguments + ["--"] + words
    }
}
