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
}

extension WordsCommand {
    var allNetns: Bool { false }

    func run() throws {
        try Runner.run(object: Self.object, verb: Self.verb, words: words, options: global, allNetns: allNetns)
    }
}
