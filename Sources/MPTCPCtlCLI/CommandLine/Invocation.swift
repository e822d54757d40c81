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
        /// `__supervise-sockets [--no-fallback]`: `run --intercept`'s supervisor, which
        /// `run` starts with the listener on descriptor 3 (`SupervisorRunner`).
        case superviseSockets(fallback: Bool)
    }

    package var mode: Mode = .help
    package var netns: String?
    package var format = OutputFormat()
    /// `--all-netns`: every namespace, for the objects that read namespaces.
    package var allNetns = false
    /// `-b FILE --force`: report every failing line and go on.
    package var force = false
    /// The object and the command, spelled out ("endpoint", "add").
    package var path: [String] = []
    /// The command's words as given (for messages: "endpoint add 10.0.2.1").
    package var words: [String] = []

    /// An empty line: help.
    package init() {}

    /// The line the swift-argument-parser tree read, by its parts: the object's options
    /// by long name with their values (nil for a flag). The command is read as a line
    /// is; when the parts do not make one, the mode stays help.
    package init(path: [String], words: [String], netns: String?, format: FormatChoice, allNetns: Bool = false,
                 options: [(name: String, value: String?)] = []) {
        self.path = path
        self.words = words
        self.netns = netns
        self.allNetns = allNetns
        let given = options.compactMap { option in CommandTable.objectOption(named: option.name).map { ($0, option.value) } }
        guard let format = try? format.resolved(for: path) else { return }
        self.format = format
        if let command = try? readCommand(given) { mode = .run(command) }
    }

    static let passthroughFlags = ["--generate-completion-script", "--experimental-dump-help"]

    /// The command, when the line runs one.
    package var command: Command? {
        if case let .run(command) = mode { return command }
        return nil
    }

    /// What the runners need of the line besides its command.
    package var lineOptions: LineOptions {
        LineOptions(netns: netns, allNetns: allNetns, format: format, operation: operation)
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
        if arguments.first == SupervisorRunner.word {
            guard arguments.count <= 2, arguments.count == 1 || arguments[1] == "--no-fallback" else {
                throw .usage("\(SupervisorRunner.word): started by 'run --intercept' only")
            }
            invocation.mode = .superviseSockets(fallback: arguments.count == 1)
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
        var objectOptions: [(option: CommandTable.Option, value: String?)] = []
        var format = FormatChoice()
        // `run CMD ARG...`: CMD's words are its own, read as words only.
        let program = RunOptions.split(arguments)
        for token in Token.read(program?.line ?? arguments) + (program?.program ?? []).map(Token.word) {
            let (option, spelled, value): (CommandTable.Option, String, String?)
            switch token {
            case let .word(word): positional.append(word); continue
            case let .unknownOption(argument): throw .usage("unknown option '\(argument)'; see 'mptcpctl --help'")
            case let .option(found, name, given): (option, spelled, value) = (found, name, given)
            }
            if option.takesValue, value == nil { throw .usage("'\(spelled)' needs \(option.needs)") }
            switch option {
            case CommandTable.json: format.readJSON(spelled: spelled)
            case CommandTable.pretty: format.pretty = true
            case CommandTable.help: early = .help
            case CommandTable.version: if early == .run { early = .version }
            case CommandTable.allNetns: invocation.allNetns = true
            case CommandTable.force: invocation.force = true
            case CommandTable.batch: if early == .run, let value { early = .batch(value) }
            case CommandTable.format: try format.read(format: value ?? "")
            case CommandTable.netns:
                invocation.netns = value
                do throws(NetworkNamespace.Problem) { try NetworkNamespace.validate(value ?? "") } catch { throw CLIError(error) }
            default: objectOptions.append((option, value))
            }
        }
        if case let .batch(batch) = early {
            invocation.format = try format.resolved(for: nil)
            if let word = positional.first { throw .usage("-b FILE: unexpected word '\(word)': the commands come from the file") }
            // As with `ip -j -n NAME -batch FILE`: -n and the output format apply to every line.
            if invocation.allNetns || !objectOptions.isEmpty {
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
        invocation.format = try format.resolved(for: invocation.path)
        try invocation.checkOptions(objectOptions.map(\.option))
        invocation.mode = .run(try invocation.readCommand(objectOptions))
        return invocation
    }

    /// Rejects options the command does not take, by the command table.
    private func checkOptions(_ given: [CommandTable.Option]) throws(CLIError) {
        let object = path.first ?? ""
        if allNetns {
            let takers = CommandTable.objects(taking: CommandTable.allNetns)
            guard takers.contains(object) else {
                throw .usage("--all-netns works with \(Self.list(takers, last: "and"))")
            }
            if netns != nil { throw .usage("-n and --all-netns cannot go together: choose one") }
        }
        // Flags first, in table order, then options with values as given.
        let flags = CommandTable.objects.flatMap(\.options).filter { option in !option.takesValue && given.contains(option) }
        for option in flags where !CommandTable.objects(taking: option).contains(object) {
            throw misplaced(option)
        }
        if force { throw .usage("'--force' works with -b FILE only") }
        for option in given where !CommandTable.objects(taking: option).contains(object) {
            throw misplaced(option)
        }
    }

    /// "'--dry-run' works with apply only".
    private func misplaced(_ option: CommandTable.Option) -> CLIError {
        let takers = CommandTable.objects(taking: option)
        return .usage("'\(option.long)' works with \(Self.list(takers, last: "and")) only")
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

    /// The command's words and options, read by its object's row of the table.
    private func readCommand(_ options: [(option: CommandTable.Option, value: String?)]) throws(CLIError) -> Command {
        guard let object = path.first.flatMap(CommandTable.object(named:)) else { throw .usage("missing object") }
        return try object.read(CommandTable.Given(verb: path.dropFirst().first, words: words, options: options, format: format))
    }

    /// "a, b or c". (Written out: the library's joined(separator:) of a slice is generic
    /// code that looks its types up at run time, and this runs at every start.)
    static func list(_ words: [String], last: String) -> String {
        var text = ""
        for (index, word) in words.enumerated() {
            if index > 0 { text += index == words.count - 1 ? " \(last) " : ", " }
            text += word
        }
        return text
    }

    /// The same line as swift-argument-parser's tree reads it: the spelled-out path, the
    /// options in their long form, and the words after `--`, so none is mistaken for an
    /// option. (The program runs the Invocation itself; a test checks the tree agrees.)
    package var argumentParserArguments: [String] {
        var arguments = path
        if let netns { arguments += ["--netns", netns] }
        if format.json { arguments.append("--json") }
        switch format.style {
        case .table, .json: break
        case .ip, .ipJSON: arguments += ["--format", "ip"]
        case let .metrics(metrics): arguments += ["--format", metrics.rawValue]
        }
        if format.pretty { arguments.append("--pretty") }
        if allNetns { arguments.append("--all-netns") }
        arguments += command?.optionArguments ?? []
        return arguments + ["--"] + words
    }
}
