import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl limits …`
struct LimitsGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Show or set the path manager's limits.",
        discussion: "subflows: extra subflows per connection (0-8). add_addr_accepted: ADD_ADDRs accepted per connection (0-8).",
        subcommands: [Set.self, Show.self],
        defaultSubcommand: Show.self
    )

    struct Set: WordsCommand {
        static let object = "limits", verb: String? = "set"
        static let configuration = CommandConfiguration(
            abstract: "Set the limits named; the others keep their value.",
            usage: "mptcpctl [-n NAME] [-j] [-p] limits set [ subflows NR ] [ add_addr_accepted NR ]",
            discussion: "Example: mptcpctl limits set subflows 4 add_addr_accepted 4")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp(
            "[ subflows NR ] [ add_addr_accepted NR ]", valueName: "words"))
        var words: [String] = []
    }

    struct Show: WordsCommand {
        static let object = "limits", verb: String? = "show"
        static let configuration = CommandConfiguration(
            abstract: "Show the limits.",
            usage: "mptcpctl [-n NAME] [-j] [-p] limits show")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
        var words: [String] = []
    }
}
