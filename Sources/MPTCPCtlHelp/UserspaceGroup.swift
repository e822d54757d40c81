import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl userspace …`
struct UserspaceGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "userspace",
        abstract: "Drive the userspace path manager: announcements and subflows of one connection.",
        discussion: """
            For a namespace whose path manager is the userspace one (net.mptcp.pm_type = 1, or \
            net.mptcp.path_manager = userspace), where in-kernel endpoints do nothing. Each \
            request names a connection by its TOKEN: 8 hex digits, as 'monitor' prints them \
            (the 'created' event). 'monitor' shows the events each request causes. \
            Kernel refusals show the errno name and the kernel's text, as everywhere.
            """,
        subcommands: [Announce.self, Remove.self, Create.self, Destroy.self, Change.self, Listen.self, Show.self]
    )

    struct Announce: WordsCommand {
        static let object = "userspace", verb: String? = "announce"
        static let configuration = CommandConfiguration(
            abstract: "Announce a local address to the peer of one connection (ADD_ADDR).",
            usage: "mptcpctl [-n NAME] [-j] [-p] userspace announce ADDRESS id ID token TOKEN [ port NR ] [ dev NAME ]",
            discussion: "The id (1-255) names the address in later requests (remove). With a port, the address is announced with it: the peer joins that port, so listen on it (userspace listen). Example: mptcpctl -n client userspace announce 10.0.2.1 id 5 token a859c0f3")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("ADDRESS id ID token TOKEN [ port NR ] [ dev NAME ]", valueName: "words"))
        var words: [String] = []
    }

    struct Remove: WordsCommand {
        static let object = "userspace", verb: String? = "remove"
        static let configuration = CommandConfiguration(
            abstract: "Withdraw an announced address (RM_ADDR) and close its subflows.",
            usage: "mptcpctl [-n NAME] [-j] [-p] userspace remove id ID token TOKEN",
            discussion: "id 0 withdraws the address of the initial subflow.")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("id ID token TOKEN", valueName: "words"))
        var words: [String] = []
    }

    struct Create: WordsCommand {
        static let object = "userspace", verb: String? = "create"
        static let configuration = CommandConfiguration(
            abstract: "Open a subflow from a local address to an address of the peer.",
            usage: "mptcpctl [-n NAME] [-j] [-p] userspace create token TOKEN [ local ] ADDRESS [ id ID ] [ dev NAME ] [ backup ] remote ADDRESS port NR",
            discussion: "The local port is the kernel's to pick. Example: mptcpctl -n client userspace create token a859c0f3 10.0.2.1 id 5 remote 10.0.2.2 port 8080")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("token TOKEN [ local ] ADDRESS [ id ID ] [ dev NAME ] [ backup ] remote ADDRESS port NR", valueName: "words"))
        var words: [String] = []
    }

    struct Destroy: WordsCommand {
        static let object = "userspace", verb: String? = "destroy"
        static let configuration = CommandConfiguration(
            abstract: "Close one subflow, named by its two ends.",
            usage: "mptcpctl [-n NAME] [-j] [-p] userspace destroy token TOKEN [ local ] ADDRESS port NR remote ADDRESS port NR",
            discussion: "Both ports are needed: monitor's sub_established event (and connections) prints them.")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("token TOKEN [ local ] ADDRESS port NR remote ADDRESS port NR", valueName: "words"))
        var words: [String] = []
    }

    struct Change: WordsCommand {
        static let object = "userspace", verb: String? = "change"
        static let configuration = CommandConfiguration(
            abstract: "Set or clear the backup priority of one subflow (MP_PRIO).",
            usage: "mptcpctl [-n NAME] [-j] [-p] userspace change token TOKEN [ local ] ADDRESS [ port NR ] remote ADDRESS port NR backup|nobackup")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("token TOKEN [ local ] ADDRESS [ port NR ] remote ADDRESS port NR backup|nobackup", valueName: "words"))
        var words: [String] = []
    }

    struct Listen: WordsCommand {
        static let object = "userspace", verb: String? = "listen"
        static let configuration = CommandConfiguration(
            abstract: "Listen on an address and port for the peer's joins, until SIGINT or SIGTERM.",
            usage: "mptcpctl [-n NAME] [-j] [-p] userspace listen ADDRESS port NR",
            discussion: "Holds a listening MPTCP socket, as the userspace path manager needs for an address announced with a port of its own. Exits 0 when stopped.")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("ADDRESS port NR", valueName: "words"))
        var words: [String] = []
    }

    struct Show: WordsCommand {
        static let object = "userspace", verb: String? = "show"
        static let configuration = CommandConfiguration(
            abstract: "Show the local addresses the userspace path manager holds for one connection.",
            usage: "mptcpctl [-n NAME] [-j] [-p] userspace show token TOKEN",
            discussion: "Linux 6.9 or later: an older kernel cannot list them, and the command exits 4. -j prints JSON as endpoint show -j does.")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("token TOKEN", valueName: "words"))
        var words: [String] = []
    }
}
