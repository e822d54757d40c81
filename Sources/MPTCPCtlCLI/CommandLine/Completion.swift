import Launch
import MPTCPKit

/// `mptcpctl __complete WORD...`: the candidates for the last word of a command line
/// (the words after the program name, the last one being completed, possibly empty),
/// one per line. The shell scripts in Docs/completions only ask this, so the binary's
/// own table and grammar are the one source of what may follow what; a line
/// `__files__` asks the shell for file names.
struct Completion {
    /// What only the system knows, passed in so tests and fuzzers can stand in.
    struct Sources {
        /// The named network namespaces.
        var namespaces: () -> [String]
        /// The interfaces of a namespace (nil: the current one).
        var interfaces: (String?) -> [String]
        /// The endpoint ids of a namespace.
        var ids: (String?) -> [UInt8]
        /// The services under a root (nil: this system's); with the flag, those that have
        /// the drop-in of `enable`.
        var services: (_ root: String?, _ enabled: Bool) -> [String]

        /// The running system's, read without privilege; what cannot be read offers nothing.
        static var system: Sources { Sources(
            namespaces: { NetworkNamespace.named() },
            interfaces: { netns in (try? NetworkNamespace.within(netns) { Interfaces.names() }) ?? [] },
            ids: { netns in (try? PathManager.open(netns: netns).endpoints().map(\.id)) ?? [] },
            services: { root, enabled in
                guard let search = try? UnitSearchPath(root: root, in: SystemFileSystem()) else { return [] }
                return enabled ? search.services(withDropIn: DropInView.fileName).map(\.unit) : search.services()
            }) }
    }

    static let files = "__files__"

    let sources: Sources

    /// The candidates for `words.last`, filtered by what it starts with.
    func candidates(_ words: [String]) -> [String] {
        let current = words.last ?? ""
        let before = Array(words.dropLast())
        // `run CMD ARG...`: from CMD on the words are CMD's own; file names are the guess.
        if let cut = RunOptions.split(words), !cut.program.isEmpty { return [Self.files] }
        let all = unfiltered(before, current: current)
        return all.filter { $0 == Self.files || $0.hasPrefix(current) }
    }

    private func unfiltered(_ before: [String], current: String) -> [String] {
        // The options and their values, wherever they stand, read as Invocation reads them.
        var netns: String?
        var root: String?
        var positional: [String] = []
        var pending: CommandTable.Option?
        for token in Token.read(before) {
            switch token {
            case let .word(word): positional.append(word)
            case .unknownOption: continue
            case let .option(option, _, value):
                if option == CommandTable.netns, let value { netns = value }
                if option == CommandTable.root, let value { root = value }
                // Only the last argument can lack its value: the current word is it.
                if option.takesValue, value == nil { pending = option }
            }
        }
        if let option = pending {
            switch option {
            case CommandTable.netns: return sources.namespaces()
            case CommandTable.batch, CommandTable.root: return [Self.files]
            case CommandTable.format: return OutputFormat.names
            case CommandTable.event: return eventNames(current)
            case CommandTable.sort: return option.values
            case CommandTable.dev: return sources.interfaces(netns)
            default: return []
            }
        }
        if positional.first == "mptcp" { positional.removeFirst() }
        let object = positional.first.flatMap(Self.object(named:))
        if current.hasPrefix("-") {
            var options = CommandTable.globalOptions.map(\.long)
            if let object {
                options += object.options.map(\.long)
                if object.name == "apply" { options += object.options.flatMap(\.names).filter { $0.hasPrefix("--") } }
            } else {
                options += CommandTable.programOptions.map(\.long)
            }
            return Self.unique(options)
        }
        guard let object else {
            return positional.isEmpty ? CommandTable.objects.map(\.name) : []
        }
        let rest = Array(positional.dropFirst())
        if object.verbs.isEmpty {
            switch object.name {
            case "check": return CounterKey.names + ["laminar", "endpoint=", "program="]
            case "apply": return rest.isEmpty ? [Self.files] : []
            case "enable", "disable": return rest.isEmpty ? sources.services(root, object.name == "disable") : []
            default: return []
            }
        }
        guard let verbWord = rest.first else { return object.verbs }
        guard let verb = Keyword.match(verbWord, in: object.verbs) else { return [] }
        let words = Array(rest.dropFirst())
        switch object.name {
        case "endpoint": return endpoint(verb, words, netns: netns)
        case "userspace": return userspace(words, netns: netns)
        default: return limits(verb, words)
        }
    }

    /// After `endpoint VERB WORDS...`.
    private func endpoint(_ verb: String, _ words: [String], netns: String?) -> [String] {
        if let last = words.last, let keyword = Keyword.match(last, in: EndpointWords.keywords) {
            switch keyword {
            case "dev": return verb == "add" ? sources.interfaces(netns) : []
            case "id": return verb == "add" ? [] : sources.ids(netns).map(String.init)
            default: return []
            }
        }
        // Words that already stand, keyword values skipped.
        var used: Set<String> = []
        var hasAddress = false
        var index = 0
        while index < words.count {
            if let keyword = Keyword.match(words[index], in: EndpointWords.keywords) {
                used.insert(keyword)
                index += 2
                continue
            }
            if EndpointWords.looksLikeAddress(words[index]) { hasAddress = true } else { used.insert(words[index]) }
            index += 1
        }
        let flags = EndpointFlags.names.map(\.word).filter { $0 != "implicit" } + ["laminar"]
        let offered: [String]
        switch verb {
        case "add": offered = hasAddress ? flags + ["dev", "id", "port"] : []
        case "delete": offered = used.contains("id") || hasAddress ? [] : ["id"]
        case "change": offered = (used.contains("id") || hasAddress ? [] : ["id"]) + ["backup", "nobackup", "fullmesh", "nofullmesh"]
        case "show": offered = used.contains("id") || hasAddress ? [] : ["id"]
        default: offered = []
        }
        return offered.filter { !used.contains($0) }
    }

    /// After `userspace VERB WORDS...`: its keywords, `dev`'s interfaces, the backup words.
    private func userspace(_ words: [String], netns: String?) -> [String] {
        if let last = words.last, let keyword = Keyword.match(last, in: UserspaceWords.keywords), keyword != "local", keyword != "remote" {
            return keyword == "dev" ? sources.interfaces(netns) : []
        }
        return UserspaceWords.keywords + ["backup", "nobackup"]
    }

    /// After `limits VERB WORDS...`.
    private func limits(_ verb: String, _ words: [String]) -> [String] {
        guard verb == "set" else { return [] }
        if let last = words.last, Keyword.match(last, in: LimitsCommand.keywords) != nil { return [] }
        let used = Set(words.compactMap { Keyword.match($0, in: LimitsCommand.keywords) })
        return LimitsCommand.keywords.filter { !used.contains($0) }
    }

    /// Event names, ours and `ip`'s; after a comma, the list so far followed by each.
    private func eventNames(_ current: String) -> [String] {
        let names = PathManagerEvent.Kind.known.map(EventView.name) + PathManagerEvent.Kind.known.map(EventView.ipName)
        guard let comma = current.lastIndex(of: ",") else { return names }
        let head = current[...comma]
        return names.map { head + $0 }
    }

    /// The object a word names, by the rules Invocation applies.
    private static func object(named word: String) -> CommandTable.Object? {
        if let exact = CommandTable.object(named: word) { return exact }
        let abbreviable = CommandTable.objects.filter(\.abbreviable).map(\.name)
        return Keyword.match(word, in: abbreviable).flatMap(CommandTable.object(named:))
    }

    private static func unique(_ words: [String]) -> [String] {
        var seen: Set<String> = []
        return words.filter { seen.insert($0).inserted }
    }
}
