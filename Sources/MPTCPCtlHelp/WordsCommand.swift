import ArgumentParser
import MPTCPCtlCLI

/// A leaf of the tree: `OBJECT [VERB] WORDS...`, its words read by mptcpctl's own grammar.
protocol WordsCommand: TreeCommand {
    static var object: String { get }
    /// nil for the objects whose words follow them directly.
    static var verb: String? { get }
    var global: GlobalOptions { get }
    var words: [String] { get }
    /// `--all-netns`, for the commands that take it.
    var allNetns: Bool { get }
    /// The options only some commands take (`apply --dry-run`), by long name, with their
    /// values (nil for a flag).
    var options: [(name: String, value: String?)] { get }
}

extension WordsCommand {
    var allNetns: Bool { false }

    var options: [(name: String, value: String?)] { [] }

    var invocation: Invocation {
        Invocation(path: Self.verb.map { [Self.object, $0] } ?? [Self.object], words: words, netns: global.netns,
                   format: global.format, allNetns: allNetns, options: options)
    }
}
