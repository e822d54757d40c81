import ArgumentParser
import MPTCPKit

/// A leaf command: `OBJECT VERB WORDS...`, its words read by mptcpctl's own grammar.
protocol WordsCommand: ParsableCommand {
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

    func run() throws {
        var invocation = Invocation()
        invocation.path = Self.verb.isEmpty ? [Self.object] : [Self.object, Self.verb]
        invocation.words = words
        invocation.netns = global.netns
        invocation.format = global.format
        invocation.allNetns = allNetns
        addOptions(to: &invocation)
        try Runner.run(invocation)
    }
}
