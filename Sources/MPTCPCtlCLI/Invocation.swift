import MPTCPKit

/// A command line read the way `ip` reads one: global options may stand anywhere
/// (before or after the object), objects and commands may be abbreviated to any
/// prefix, and everything else is the command's words.
struct Invocation: Equatable {
    enum Mode: Equatable {
        /// Run `object verb` with `words`.
        case run
        /// Print help for `path` (empty: the whole tool).
        case help
        case version
        /// Run each line of a file (`-b FILE`, `-` for standard input) as a command line.
        case batch(String)
        /// Hand the arguments to swift-argument-parser untouched (completion scripts,
        /// help dumps for the manual).
        case passthrough([String])
    }

    var mode: Mode = .run
    var netns: String?
    var format = OutputFormat()
    var allNetns = false
    /// Options of one command (`monitor --count 1`), handed on to swift-argument-parser.
    var commandOptions: [String] = []
    /// `apply --dry-run`: print the plan, change nothing.
    var dryRun = false
    /// `apply --keep-unlisted`: leave endpoints the file does not list.
    var keepUnlisted = false
    /// `-b FILE --force`: report every failing line and go on.
    var force = false
    /// The object and the command, spelled out ("endpoint", "add").
    var path: [String] = []
    var words: [String] = []

    /// Objects, in the order their abbreviations are tried (`ip` tries "help" first).
    static let objects = ["help", "endpoint", "limits", "monitor", "counters", "check", "doctor", "apply", "export"]
    // (Arrays and switches, not sets and dictionaries: these few words are read once per
    // run, and a Set or Dictionary of them costs more start-up than the lookups save.)

    /// Objects that have no commands: their words follow the object directly.
    static let commandlessObjects = ["monitor", "counters", "check", "doctor", "apply", "export"]
    /// Objects that take `--all-netns`.
    static let allNetnsObjects = ["counters", "check", "doctor", "export"]
    /// Options that take a value, and the object whose command takes them.
    static func owner(ofOption option: String) -> String? {
        ["--event", "--count", "--timeout"].contains(option) ? "monitor" : nil
    }
    /// The commands of an object that has them.
    static func verbs(of object: String) -> [String] {
        object == "endpoint" ? EndpointCommand.verbs : LimitsCommand.verbs
    }
    /// What an object does when no command follows it (`ip mptcp endpoint` shows).
    static let defaultVerb = "show"
    static let passthroughFlags = ["--generate-completion-script", "--experimental-dump-help"]

    static func parse(_ arguments: [String]) throws(MPTCPError) -> Invocation {
        var invocation = Invocation()
        if let first = arguments.first, passthroughFlags.contains(where: { first.hasPrefix($0) }) {
            invocation.mode = .passthrough(arguments)
            return invocation
        }
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
            case "-h", "--help", "-help": invocation.mode = .help
            case "-V", "--version", "-Version": if invocation.mode == .run { invocation.mode = .version }
            case "--all-netns", "-all-netns", "-A": invocation.allNetns = true
            case "--dry-run", "-dry-run": invocation.dryRun = true
            case "--keep-unlisted", "-keep-unlisted": invocation.keepUnlisted = true
            case "--force", "-force": invocation.force = true
            case "-b", "--batch", "-batch":
                guard index < arguments.count else { throw .usage("'\(argument)' needs a file name ('-' for standard input)") }
                if invocation.mode == .run { invocation.mode = .batch(arguments[index]) }
                index += 1
            case "-n", "--netns", "-netns":
                guard index < arguments.count else { throw .usage("'\(argument)' needs a namespace name") }
                invocation.netns = arguments[index]
                index += 1
            default:
                let name = String(argument.prefix { $0 != "=" })
                if argument.hasPrefix("--netns=") {
                    invocation.netns = String(argument.dropFirst("--netns=".count))
                } else if owner(ofOption: name) != nil {
                    // Handed on as NAME=VALUE, so a value such as "-1" is not taken for an option.
                    if argument.contains("=") {
                        invocation.commandOptions.append(argument)
                    } else {
                        guard index < arguments.count else { throw .usage("'\(argument)' needs a value") }
                        invocation.commandOptions.append("\(argument)=\(arguments[index])")
                        index += 1
                    }
                } else {
                    throw .usage("unknown option '\(argument)'; see 'mptcpctl --help'")
                }
            }
            if let netns = invocation.netns { try NetworkNamespace.validate(netns) }
        }
        if case .batch = invocation.mode {
            if let word = positional.first { throw .usage("-b FILE: unexpected word '\(word)': the commands come from the file") }
            if invocation.allNetns || invocation.dryRun || invocation.keepUnlisted || invocation.format.json {
                throw .usage("-b FILE takes -n and --force only; options of a command go on its line")
            }
            return invocation
        }
        try invocation.resolve(positional)
        try invocation.checkOptions()
        return invocation
    }

    /// Rejects options the command does not take.
    private func checkOptions() throws(MPTCPError) {
        guard mode == .run else { return }
        let object = path.first ?? ""
        if allNetns {
            guard Self.allNetnsObjects.contains(object) else {
                throw .usage("--all-netns works with counters, check, doctor and export")
            }
            if netns != nil { throw .usage("-n and --all-netns cannot go together: choose one") }
        }
        if dryRun || keepUnlisted, object != "apply" {
            throw .usage("'\(dryRun ? "--dry-run" : "--keep-unlisted")' works with apply only")
        }
        if force { throw .usage("'--force' works with -b FILE only") }
        if let option = commandOptions.first.map({ String($0.prefix { $0 != "=" }) }),
           let owner = Self.owner(ofOption: option), object != owner {
            throw .usage("'\(option)' works with \(owner) only")
        }
    }

    /// Splits the positional words into object, command and the command's words.
    private mutating func resolve(_ positional: [String]) throws(MPTCPError) {
        guard let first = positional.first else {
            if mode == .run { mode = .help }
            return
        }
        guard let object = Keyword.match(first, in: Self.objects) else {
            throw .usage("unknown object '\(first)': expected \(Self.list(Array(Self.objects.dropFirst()))); see 'mptcpctl --help'")
        }
        if object == "help" {
            mode = .help
            if positional.count > 1 { try resolve(Array(positional.dropFirst())) }
            return
        }
        path = [object]
        if Self.commandlessObjects.contains(object) {
            if positional.count > 1, positional[1] == "help" { mode = .help } else { words = Array(positional.dropFirst()) }
            return
        }
        let verbs = Self.verbs(of: object)
        guard positional.count > 1 else {
            if mode == .run { path.append(Self.defaultVerb) }
            return
        }
        let word = positional[1]
        if Keyword.match(word, in: ["help"]) != nil, Keyword.match(word, in: verbs) == nil {
            mode = .help
            return
        }
        guard let verb = Keyword.match(word, in: verbs) else {
            throw .usage("\(object): unknown command '\(word)': expected \(Self.list(verbs))")
        }
        path.append(verb)
        words = Array(positional.dropFirst(2))
    }

    static func list(_ words: [String]) -> String {
        words.dropLast().joined(separator: ", ") + " or " + words.last!
    }

    /// The same line as swift-argument-parser's tree reads it: the spelled-out path, the
    /// options in their long form, and the words after `--`, so none is mistaken for an
    /// option. (The program runs the Invocation itself; a test checks the tree agrees.)
    var argumentParserArguments: [String] {
        var arguments = path
        if let netns { arguments += ["--netns", netns] }
        if format.json { arguments.append("--json") }
        if format.pretty { arguments.append("--pretty") }
        if allNetns { arguments.append("--all-netns") }
        if dryRun { arguments.append("--dry-run") }
        if keepUnlisted { arguments.append("--keep-unlisted") }
        arguments += commandOptions
        return arguments + ["--"] + words
    }
}
