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
    /// The options only some commands take (`apply --dry-run`), set on `invocation`.
    func addOptions(to invocation: inout Invocation)
}

extension WordsCommand {
    var allNetns: Bool { false }

    func addOptions(to invocation: inout Invocation) {}

    var invocation: Invocation {
        var invocation = Invocation()
        invocation.path = Self.verb.map { [Self.object, $0] } ?? [Self.object]
        invocation.words = words
        invocation.netns = global.netns
        invocation.format = global.format
        invocation.allNetns = allNetns
        addOptions(to: &invocation)
        invocation.readCommand()
        return invocation
    }
}
