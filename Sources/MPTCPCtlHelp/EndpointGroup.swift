import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl endpoint …`
struct EndpointGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "Add, delete, change, show and flush path-manager endpoints.",
        discussion: """
            FLAG := signal | subflow | address | laminar | backup | fullmesh
              signal    announce this address to the peer (ADD_ADDR)
              subflow   open a subflow from this address to the peer's address
              address   use this address, once, for a subflow toward an address the peer announces
                        (Linux 6.18; 'laminar' is the upstream word for the same flag)
              backup    subflows from this address are backup subflows
              fullmesh  open a subflow from this address to every address the peer has
            """,
        subcommands: [Add.self, Delete.self, Change.self, Show.self, Flush.self],
        defaultSubcommand: Show.self
    )

    struct Add: WordsCommand {
        static let object = "endpoint", verb: String? = "add"
        static let configuration = CommandConfiguration(
            abstract: "Add an endpoint.",
            usage: "mptcpctl [-n NAME] [-j] [-p] endpoint add ADDRESS [ dev NAME ] [ id ID ] [ port NR ] [ FLAG... ]",
            discussion: """
                ADDRESS is one address of this host, with no prefix length: whatever ip and the \
                kernel take is taken. ::ffff:a.b.c.d stays an IPv6 endpoint. 0.0.0.0, ::, a \
                multicast address or 255.255.255.255 is added with a warning: no subflow can use \
                it. id 0 (or no id) lets the kernel pick one. fe80::1%eth1 is fe80::1 dev eth1. 'add address 10.0.2.1' is refused as a slip: the \
                address endpoint is 'add 10.0.2.1 address'.

                Example: mptcpctl endpoint add 10.0.2.1 dev eth1 id 4 subflow backup
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp(
            "ADDRESS [ dev NAME ] [ id ID ] [ port NR ] [ FLAG... ]", valueName: "words"))
        var words: [String] = []
    }

    struct Delete: WordsCommand {
        static let object = "endpoint", verb: String? = "delete"
        static let configuration = CommandConfiguration(
            abstract: "Delete an endpoint, by id or by address.",
            usage: "mptcpctl [-n NAME] [-j] [-p] endpoint delete id ID [ ADDRESS ] | endpoint delete ADDRESS [ port NR ]",
            discussion: "'delete ADDRESS' looks the id up. 'delete id 0 ADDRESS' removes ADDRESS from the connections' initial subflows, as with ip.")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp(
            "id ID [ ADDRESS ] | ADDRESS [ port NR ]", valueName: "words"))
        var words: [String] = []
    }

    struct Change: WordsCommand {
        static let object = "endpoint", verb: String? = "change"
        static let configuration = CommandConfiguration(
            abstract: "Set or clear the backup and fullmesh flags of an endpoint.",
            usage: "mptcpctl [-n NAME] [-j] [-p] endpoint change [ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT...",
            discussion: "CHANGE-OPT := backup | nobackup | fullmesh | nofullmesh. Flags not named keep their value.")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp(
            "[ id ID ] [ ADDRESS ] [ port NR ] CHANGE-OPT...", valueName: "words"))
        var words: [String] = []
    }

    struct Show: WordsCommand {
        static let object = "endpoint", verb: String? = "show"
        static let configuration = CommandConfiguration(
            abstract: "Show the endpoints and the namespace's counters and limits, or one endpoint.",
            usage: "mptcpctl [-n NAME] [-j] [-p] endpoint show [ id ID | ADDRESS [ port NR ] ]")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("[ id ID | ADDRESS [ port NR ] ]", valueName: "words"))
        var words: [String] = []
    }

    struct Flush: WordsCommand {
        static let object = "endpoint", verb: String? = "flush"
        static let configuration = CommandConfiguration(
            abstract: "Delete every endpoint of the namespace.",
            usage: "mptcpctl [-n NAME] [-j] [-p] endpoint flush")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
        var words: [String] = []
    }
}
