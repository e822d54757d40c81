import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl export`
struct ExportCommand: WordsCommand {
    static let object = "export", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the current limits and endpoints in the format 'apply' reads.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] export [--all]",
        discussion: """
            YAML by default, JSON with -j. With --all-netns, every named namespace (/run/netns) \
            under 'namespaces:'. Implicit endpoints (the kernel's own) are left out. \
            'mptcpctl export > f; mptcpctl apply f' changes nothing, even for an endpoint whose \
            interface has gone: it is written with 'ifindex: N' instead of 'dev: NAME'. The \
            net.mptcp sysctls whose value differs from a new namespace's are written under \
            'sysctl:' (every settable one with --all).
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("all-netns"), help: "Every named namespace (/run/netns), under 'namespaces:'.")
    var allNetns = false
    @Flag(name: .customLong("all"), help: "Write every settable net.mptcp sysctl, not only those that differ from the default.")
    var allSysctls = false
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []

    var options: [(name: String, value: String?)] { allSysctls ? [("--all", nil)] : [] }
}
