import ArgumentParser
import MPTCPKit

/// A command of the tree that stands for an Invocation: what the program runs is the
/// Invocation, whether it was read by Invocation.parse or by swift-argument-parser.
protocol InvocationCommand: ParsableCommand {
    var invocation: Invocation { get }
}

extension InvocationCommand {
    func run() throws { try Runner.run(invocation) }
}

/// A leaf command: `OBJECT VERB WORDS...`, its words read by mptcpctl's own grammar.
protocol WordsCommand: InvocationCommand {
    static var object: String { get }
    static var verb: String { get }
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
        invocation.path = Self.verb.isEmpty ? [Self.object] : [Self.object, Self.verb]
        invocation.words = words
        invocation.netns = global.netns
        invocation.format = global.format
        invocation.allNetns = allNetns
        addOptions(to: &invocation)
        return invocation
    }
}
