/// The one description of mptcpctl's command line that `Invocation` reads: the
/// objects in the order their abbreviations are tried, their commands, which options
/// each takes, and how each reads its words and options into a typed `Command`. The
/// swift-argument-parser tree (help, manual, completions) is checked against it by a
/// test, so the two cannot drift apart.
enum CommandTable {
    /// An option: its spellings, whether a value follows it, and the values it takes
    /// when they are a fixed list (empty: any value its grammar reads).
    struct Option: Sendable, Equatable {
        let names: [String]
        let takesValue: Bool
        let values: [String]
        /// What a missing value is called in the error ("a namespace name").
        let needs: String

        init(names: [String], takesValue: Bool, values: [String] = [], needs: String = "a value") {
            self.names = names
            self.takesValue = takesValue
            self.values = values
            self.needs = needs
        }

        /// The long name, as the tree spells it ("--netns").
        var long: String { names.first { $0.hasPrefix("--") } ?? names[0] }
    }

    /// What an object's reader gets: the command (spelled out), its words, the object's
    /// options as given with their values (nil for a flag), and the line's output format.
    struct Given {
        var verb: String?
        var words: [String]
        var options: [(option: Option, value: String?)]
        var format: OutputFormat

        /// Whether the line gives `option`.
        func has(_ option: Option) -> Bool { options.contains { $0.option == option } }

        /// The values given to `option`, in order.
        func values(_ option: Option) -> [String] { options.compactMap { $0.option == option ? $0.value : nil } }
    }

    /// An object of the command line (`endpoint`) and what it takes.
    struct Object: Sendable {
        let name: String
        /// Its commands, in the order `ip` tries their abbreviations; empty when its
        /// words follow the object directly.
        let verbs: [String]
        /// The options of this object only.
        let options: [Option]
        /// Whether a prefix names it: only the objects `ip mptcp` has, with `ip`'s rules,
        /// so a script moved from `ip` runs; mptcpctl's own are spelled out, so that
        /// `mptcpctl a state.yaml` is never an `apply`.
        var abbreviable = false
        /// Reads the command's words and options into its `Command`.
        let read: @Sendable (Given) throws(CLIError) -> Command
    }

    static let allNetns = Option(names: ["--all-netns", "-all-netns", "-A"], takesValue: false)
    static let event = Option(names: ["--event"], takesValue: true)
    static let count = Option(names: ["--count"], takesValue: true)
    static let timeout = Option(names: ["--timeout"], takesValue: true)
    // `ip`'s global -t and -ts (it reads any prefix of -timestamp and -tshort), which only
    // its monitors print: options of monitor here, for `--format ip`.
    static let timestamp = Option(names: ["--timestamp", "-timestamp", "-t"], takesValue: false)
    static let tshort = Option(names: ["--tshort", "-tshort", "-ts"], takesValue: false)
    static let output = Option(names: ["--output"], takesValue: true)
    static let dryRun = Option(names: ["--dry-run", "-dry-run"], takesValue: false)
    static let keepUnlisted = Option(names: ["--keep-unlisted", "-keep-unlisted"], takesValue: false)
    static let allSysctls = Option(names: ["--all", "-all"], takesValue: false)
    static let listening = Option(names: ["--listening", "-listening"], takesValue: false)
    // Not -p, ss's letter: that is --pretty here, as with ip.
    static let processes = Option(names: ["--processes", "-processes", "-P"], takesValue: false)
    static let interval = Option(names: ["--interval"], takesValue: true)
    static let ignoreManagers = Option(names: ["--ignore-managers"], takesValue: false)
    static let noHeal = Option(names: ["--no-heal"], takesValue: false)
    static let delay = Option(names: ["--delay"], takesValue: true)
    static let iterations = Option(names: ["--iterations"], takesValue: true)
    static let token = Option(names: ["--token"], takesValue: true)
    static let port = Option(names: ["--port"], takesValue: true)
    static let dev = Option(names: ["--dev"], takesValue: true, needs: "an interface name")
    // Spelled out rather than built from TopOptions.SortKey at start-up (a test keeps them equal).
    static let sort = Option(names: ["--sort"], takesValue: true, values: ["send", "recv", "rtt", "token"],
                             needs: "a key: send, recv, rtt or token")

    static let noFallback = Option(names: ["--no-fallback"], takesValue: false)
    static let intercept = Option(names: ["--intercept"], takesValue: false)
    static let user = Option(names: ["--user"], takesValue: true, needs: "a user name or number")
    static let root = Option(names: ["--root"], takesValue: true, needs: "a directory")
    static let list = Option(names: ["--list"], takesValue: false)

    /// The objects; those of `ip mptcp` first, in the order `ip` tries their
    /// abbreviations ("e" is endpoint, "l" limits, "m" monitor).
    static let objects: [Object] = [
        Object(name: "endpoint", verbs: ["add", "change", "delete", "show", "flush"], options: [], abbreviable: true) { given throws(CLIError) in
            .endpoint(try EndpointCommand.parse(verb: given.verb ?? defaultVerb, given.words))
        },
        Object(name: "limits", verbs: ["set", "show"], options: [], abbreviable: true) { given throws(CLIError) in
            .limits(try LimitsCommand.parse(verb: given.verb ?? defaultVerb, given.words))
        },
        Object(name: "monitor", verbs: [], options: [event, token, count, timeout, timestamp, tshort], abbreviable: true) { given throws(CLIError) in
            .monitor(try MonitorOptions(given))
        },
        Object(name: "counters", verbs: [], options: [allNetns, output]) { given throws(CLIError) in
            try noWords("counters", given)
            return .counters(try CountersOptions(given))
        },
        Object(name: "check", verbs: [], options: [allNetns]) { given throws(CLIError) in
            guard !given.words.isEmpty else {
                throw .usage("check: missing EXPECTATION: e.g. 'address>=1' or endpoint=10.0.2.1:address")
            }
            var expectations: [Expectation] = []
            for word in Expectation.words(given.words) { expectations.append(try Expectation(word)) }
            return .check(expectations)
        },
        Object(name: "doctor", verbs: [], options: [allNetns]) { given throws(CLIError) in
            try noWords("doctor", given)
            return .doctor
        },
        Object(name: "apply", verbs: [], options: [dryRun, keepUnlisted]) { given throws(CLIError) in
            .apply(try ApplyOptions(given))
        },
        Object(name: "export", verbs: [], options: [allNetns, allSysctls]) { given throws(CLIError) in
            try noWords("export", given)
            return .export(allSysctls: given.has(allSysctls))
        },
        Object(name: "connections", verbs: [], options: [allNetns, listening, processes]) { given throws(CLIError) in
            try noWords("connections", given)
            return .connections(listening: given.has(listening), processes: given.has(processes))
        },
        Object(name: "top", verbs: [], options: [allNetns, delay, iterations, token, port, dev, sort]) { given throws(CLIError) in
            .top(try TopOptions(given))
        },
        Object(name: "sync", verbs: [], options: [interval, keepUnlisted, ignoreManagers, noHeal]) { given throws(CLIError) in
            .sync(try SyncOptions(given))
        },
        // Its words are CMD and CMD's arguments, cut from the line before it is read
        // (`RunOptions.split`): none of them is an option of mptcpctl.
        Object(name: "run", verbs: [], options: [noFallback, intercept, user]) { given throws(CLIError) in
            .run(try RunOptions(given))
        },
        Object(name: "enable", verbs: [], options: [noFallback, root, list]) { given throws(CLIError) in
            try UnitOptions.command("enable", given)
        },
        Object(name: "disable", verbs: [], options: [root]) { given throws(CLIError) in
            try UnitOptions.command("disable", given)
        },
        Object(name: "userspace", verbs: ["announce", "remove", "create", "destroy", "change", "listen", "show"],
               options: []) { given throws(CLIError) in
            .userspace(try UserspaceCommand.parse(verb: given.verb ?? defaultVerb, given.words))
        },
    ]

    static let netns = Option(names: ["--netns", "-n", "-netns"], takesValue: true, needs: "a namespace name")
    static let json = Option(names: ["--json", "-j", "-json"], takesValue: false)
    static let pretty = Option(names: ["--pretty", "-p", "-pretty"], takesValue: false)
    static let format = Option(names: ["--format", "-format"], takesValue: true,
                               needs: "a value: \(Invocation.list(OutputFormat.names, last: "or"))")

    /// Options every object takes, before or after it, as with `ip`.
    static let globalOptions: [Option] = [netns, json, pretty, format]

    /// What `--format ip` prints for: the commands `ip mptcp` prints text for.
    static let ipFormatCommands = [["endpoint", "show"], ["limits", "show"], ["monitor"]]

    static let help = Option(names: ["--help", "-h", "-help"], takesValue: false)
    static let version = Option(names: ["--version", "-V", "-Version"], takesValue: false)
    static let batch = Option(names: ["--batch", "-b", "-batch"], takesValue: true, needs: "a file name ('-' for standard input)")
    static let force = Option(names: ["--force", "-force"], takesValue: false)

    /// Options of the program itself (not of an object).
    static let programOptions: [Option] = [help, version, batch, force]

    /// The options a spelling stands for when it stands for two at once, as `ip -jp`
    /// does; nil for any other. (A function, not a dictionary: a dictionary's metadata is
    /// made at run time, with a search of every conformance in the binary, at start-up.)
    static func combined(_ spelling: String) -> [Option]? {
        spelling == "-jp" || spelling == "-pj" ? [json, pretty] : nil
    }

    /// What an object with commands does when none follows it (`ip mptcp endpoint` shows).
    static let defaultVerb = "show"

    static func object(named name: String) -> Object? { objects.first { $0.name == name } }

    /// The option spelled `name`: global, of the program or of an object, nil if none.
    static func option(named name: String) -> Option? {
        if let found = (globalOptions + programOptions).first(where: { $0.names.contains(name) }) { return found }
        return objectOption(named: name)
    }

    /// An option of some object spelled `name` (objects may share one, as `--all-netns`),
    /// nil for a global or unknown option.
    static func objectOption(named name: String) -> Option? {
        objects.lazy.compactMap { $0.options.first { $0.names.contains(name) } }.first
    }

    /// The objects that take an option spelled `name`, in table order.
    static func objects(takingOptionNamed name: String) -> [String] {
        objects.filter { $0.options.contains { $0.names.contains(name) } }.map(\.name)
    }

    /// The objects that take `option`, in table order.
    static func objects(taking option: Option) -> [String] {
        objects.filter { $0.options.contains(option) }.map(\.name)
    }

    /// For the objects that take no words: refuses the first one given.
    private static func noWords(_ object: String, _ given: Given) throws(CLIError) {
        if let word = given.words.first { throw .usage("\(object): unexpected word '\(word)': \(object) takes no arguments") }
    }
}
