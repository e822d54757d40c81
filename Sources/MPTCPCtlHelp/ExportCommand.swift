import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl export`
struct ExportCommand: WordsCommand {
    static let object = "export", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the current limits and endpoints in the format 'apply' reads.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] export",
        discussion: """
            YAML by default, JSON with -j. With --all-netns, every named namespace (/run/netns) \
            under 'namespaces:'. Implicit endpoints (the kernel's own) are left out. \
            'mptcpctl export > f; mptcpctl apply f' changes nothing.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("all-netns"), help: "Every named namespace (/run/netns), under 'namespaces:'.")
    var allNetns = false
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
}
