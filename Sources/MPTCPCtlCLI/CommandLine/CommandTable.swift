/// The one description of mptcpctl's command line that `Invocation` reads: the
/// objects in the order their abbreviations are tried, their commands, and which
/// options each takes. The swift-argument-parser tree (help, manual, completions) is
/// checked against it by a test, so the two cannot drift apart.
enum CommandTable {
    /// An option: its spellings, whether a value follows it, and the values it takes
    /// when they are a fixed list (empty: any value its grammar reads).
    struct Option: Sendable, Equatable {
        let names: [String]
        let takesValue: Bool
        let values: [String]

        init(names: [String], takesValue: Bool, values: [String] = []) {
            self.names = names
            self.takesValue = takesValue
            self.values = values
        }

        /// The long name, as the tree spells it ("--netns").
        var long: String { names.first { $0.hasPrefix("--") } ?? names[0] }
    }

    /// An object of the command line (`endpoint`) and what it takes.
    struct Object: Sendable, Equatable {
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
    }

    static let allNetns = Option(names: ["--all-netns", "-all-netns", "-A"], takesValue: false)

    /// The objects; those of `ip mptcp` first, in the order `ip` tries their
    /// abbreviations ("e" is endpoint, "l" limits, "m" monitor).
    static let objects: [Object] = [
        Object(name: "endpoint", verbs: ["add", "change", "delete", "show", "flush"], options: [], abbreviable: true),
        Object(name: "limits", verbs: ["set", "show"], options: [], abbreviable: true),
        Object(name: "monitor", verbs: [], options: [
            Option(names: ["--event"], takesValue: true),
            Option(names: ["--count"], takesValue: true),
            Option(names: ["--timeout"], takesValue: true),
        ], abbreviable: true),
        Object(name: "counters", verbs: [], options: [
            allNetns,
            Option(names: ["--output"], takesValue: true),
        ]),
        Object(name: "check", verbs: [], options: [allNetns]),
        Object(name: "doctor", verbs: [], options: [allNetns]),
        Object(name: "apply", verbs: [], options: [
            Option(names: ["--dry-run", "-dry-run"], takesValue: false),
            Option(names: ["--keep-unlisted", "-keep-unlisted"], takesValue: false),
        ]),
        Object(name: "export", verbs: [], options: [allNetns, Option(names: ["--all", "-all"], takesValue: false)]),
        Object(name: "connections", verbs: [], options: [
            allNetns,
            Option(names: ["--listening", "-listening"], takesValue: false),
        ]),
        Object(name: "sync", verbs: [], options: [
            Option(names: ["--interval"], takesValue: true),
            Option(names: ["--keep-unlisted", "-keep-unlisted"], takesValue: false),
            Option(names: ["--ignore-managers"], takesValue: false),
        ]),
        Object(name: "userspace", verbs: ["announce", "remove", "create", "destroy", "change", "listen", "show"], options: []),
    ]

    /// Options every object takes, before or after it, as with `ip`.
    static let globalOptions: [Option] = [
        Option(names: ["--netns", "-n", "-netns"], takesValue: true),
        Option(names: ["--json", "-j", "-json"], takesValue: false),
        Option(names: ["--pretty", "-p", "-pretty"], takesValue: false),
        Option(names: ["--format", "-format"], takesValue: true),
    ]

    /// What `--format ip` prints for: the commands `ip mptcp` prints text for.
    static let ipFormatCommands = [["endpoint", "show"], ["limits", "show"]]

    /// Options of the program itself (not of an object).
    static let programOptions: [Option] = [
        Option(names: ["--help", "-h", "-help"], takesValue: false),
        Option(names: ["--version", "-V", "-Version"], takesValue: false),
        Option(names: ["--batch", "-b", "-batch"], takesValue: true),
        Option(names: ["--force", "-force"], takesValue: false),
    ]

    /// What an object with commands does when none follows it (`ip mptcp endpoint` shows).
    static let defaultVerb = "show"

    static func object(named name: String) -> Object? { objects.first { $0.name == name } }

    /// An option of some object spelled `name` (objects may share one, as `--format`),
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
}
