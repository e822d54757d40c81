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
    /// The object and the command, spelled out ("endpoint", "add").
    var path: [String] = []
    var words: [String] = []

    /// Objects, in the order their abbreviations are tried (`ip` tries "help" first).
    static let objects = ["help", "endpoint", "limits", "monitor", "counters", "check", "doctor"]
    /// Objects that read whole namespaces and take `--all-netns`; they have no commands.
    static let namespaceObjects: Set<String> = ["counters", "check", "doctor"]
    /// Objects whose words follow directly, with no command in between.
    static let commandlessObjects = namespaceObjects.union(["monitor"])
    /// Options that take a value and belong to one object's command.
    static let commandValueOptions: [String: String] = ["--event": "monitor", "--count": "monitor", "--timeout": "monitor"]
    static let verbs: [String: [String]] = [
        "endpoint": EndpointCommand.verbs,
        "limits": LimitsCommand.verbs,
    ]
    /// What an object does when no command follows it (`ip mptcp endpoint` shows).
    static let defaultVerb = ["endpoint": "show", "limits": "show"]
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
            case "-n", "--netns", "-netns":
                guard index < arguments.count else { throw .usage("'\(argument)' needs a namespace name") }
                invocation.netns = arguments[index]
                index += 1
            default:
                let name = String(argument.prefix { $0 != "=" })
                if argument.hasPrefix("--netns=") {
                    invocation.netns = String(argument.dropFirst("--netns=".count))
                } else if commandValueOptions[name] != nil {
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
        try invocation.resolve(positional)
        if let option = invocation.commandOptions.first.map({ String($0.prefix { $0 != "=" }) }),
           invocation.mode == .run, let owner = commandValueOptions[option], invocation.path.first != owner {
            throw .usage("'\(option)' works with \(owner) only")
        }
        if invocation.allNetns, invocation.mode == .run {
            guard let object = invocation.path.first, namespaceObjects.contains(object) else {
                throw .usage("--all-netns works with counters, check and doctor")
            }
            if invocation.netns != nil { throw .usage("-n and --all-netns cannot go together: choose one") }
        }
        return invocation
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
        let verbs = Self.verbs[object]!
        guard positional.count > 1 else {
            if mode == .run { path.append(Self.defaultVerb[object]!) }
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

    /// The arguments swift-argument-parser gets: the spelled-out path, the options in
    /// their long form, and the words after `--`, so none is mistaken for an option.
    var argumentParserArguments: [String] {
        var arguments = path
        if let netns { arguments += ["--netns", netns] }
        if format.json { arguments.append("--json") }
        if format.pretty { arguments.append("--pretty") }
        if allNetns { arguments.append("--all-netns") }
        arguments += commandOptions
        return arguments + ["--"] + words
    }
}
