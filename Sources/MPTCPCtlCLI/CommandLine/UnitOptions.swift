/// `enable UNIT [--root DIR] [--no-fallback]` and `disable UNIT [--root DIR]`: the
/// systemd service whose TCP sockets a drop-in makes MPTCP, and the file system whose
/// configuration is changed. (`enable --list [--root DIR]` is a command of its own,
/// `Command.enableList`.)
package struct UnitOptions: Sendable, Equatable {
    /// The service, spelled out ("nginx.service").
    package var unit: String
    /// The root of the file system whose systemd configuration is read and changed, as
    /// given (trailing '/' dropped); nil: this system's (`/`).
    package var root: String?
    /// Open the TCP socket asked for when the kernel refuses MPTCP (the default).
    package var fallback = true

    /// The options in their long form, as the tree reads them.
    var arguments: [String] {
        var arguments: [String] = []
        if let root { arguments.append("--root=\(root)") }
        if !fallback { arguments.append("--no-fallback") }
        return arguments
    }

    /// The unit types systemd knows besides services: named, they are refused by name.
    static let otherUnitTypes = ["socket", "target", "timer", "path", "mount", "automount", "swap", "slice", "scope", "device"]

    /// The service `word` names: `NAME` or `NAME.service`, with systemd's rules for a
    /// unit's name (letters, digits, ":-_.\", one '@' for a template or an instance, at
    /// most 255 bytes). A word with a slash, another unit type or a bad character is
    /// refused: the drop-in's folder is made of this name.
    static func service(_ word: String, object: String) throws(CLIError) -> String {
        func bad(_ why: String) -> CLIError { .usage("\(object): bad UNIT '\(word)': \(why)") }
        if word.isEmpty { throw bad("a unit's name is not empty") }
        if word == "." || word == ".." { throw bad("not a unit's name") }
        if word.contains("/") { throw bad("a unit's name has no '/' (name the service, not its file)") }
        if let dot = word.lastIndex(of: "."), Self.otherUnitTypes.contains(String(word[word.index(after: dot)...])) {
            let type = word[word.index(after: dot)...]
            throw .usage("\(object): '\(word)' is a \(type) unit: \(object) changes a service (name its .service unit)")
        }
        let name = word.hasSuffix(".service") ? word : word + ".service"
        let prefix = name.dropLast(".service".count)
        let allowed = prefix.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || ":-_.\\@".utf8.contains(byte)
        }
        if prefix.isEmpty || !allowed {
            throw bad("a unit's name has letters, digits and ':', '-', '_', '.', '\\', '@' only")
        }
        if prefix.first == "@" || prefix.filter({ $0 == "@" }).count > 1 {
            throw bad("a unit's name has at most one '@', after its prefix ('getty@tty1', 'getty@')")
        }
        if name.utf8.count > 255 { throw bad("longer than 255 bytes") }
        return name
    }
}

// Read from the command line; an extension, so the memberwise initializer stays.
extension UnitOptions {
    /// `enable` or `disable` with its UNIT, or `enable --list`, as `object`'s line gives it.
    static func command(_ object: String, _ given: CommandTable.Given) throws(CLIError) -> Command {
        let list = given.has(CommandTable.list)
        var root: String?, fallback = true
        for (option, value) in given.options {
            switch option {
            case CommandTable.noFallback: fallback = false
            case CommandTable.root:
                var directory = value ?? ""
                while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
                guard !directory.isEmpty else { throw .usage("\(object): bad --root '': a directory, e.g. /mnt or an image's root") }
                root = directory == "/" ? nil : directory
            default: break
            }
        }
        if given.format.json || given.format.pretty, !list {
            throw .usage("\(object): -j and -p work with 'enable --list' only: \(object) prints what it changed")
        }
        if list {
            if let word = given.words.first { throw .usage("enable --list: unexpected word '\(word)': --list takes no UNIT") }
            if !fallback { throw .usage("enable --list: --no-fallback goes with 'enable UNIT' only") }
            return .enableList(root: root)
        }
        guard let word = given.words.first else {
            throw .usage("\(object): missing UNIT: e.g. 'mptcpctl \(object) nginx'" + (object == "enable" ? " or 'mptcpctl enable --list'" : ""))
        }
        if given.words.count > 1 { throw .usage("\(object): unexpected word '\(given.words[1])': \(object) takes one UNIT") }
        let options = UnitOptions(unit: try Self.service(word, object: object), root: root, fallback: fallback)
        return object == "enable" ? .enable(options) : .disable(options)
    }
}
