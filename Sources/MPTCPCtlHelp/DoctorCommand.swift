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

            Besides the configuration it reads the connections and listeners (sock_diag) and \
            reports live problems: stalled-path (every subflow of a connection on an interface \
            that is up is stalled: a black hole, or a peer gone), lost-path (error: a connection \
            of this end has no subflow from a subflow endpoint whose interface is up, though its \
            limit leaves room: the kernel never opens it again; fix: the endpoint deleted and \
            added again), signal-without-listener (error: a signal endpoint's address no MPTCP \
            listener accepts: every join to it is refused; listen on 0.0.0.0 or ::), and \
            initial-path-unhealable (a client recipe whose connections begin from an address \
            no subflow endpoint has: nothing can reopen that path). One finding per problem, \
            however many connections share it.
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: ScopeOptions
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
    var allNetns: Bool { scope.allNetns }
}
