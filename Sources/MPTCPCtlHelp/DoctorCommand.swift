import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl doctor`
struct DoctorCommand: WordsCommand {
    static let object = "doctor", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Find configurations that are accepted but silently do nothing.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] doctor",
        discussion: """
            Each finding has a severity (error, warning, info), a name, a message and the command \
            that fixes it. Exits 5 when a finding is an error.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }
}
