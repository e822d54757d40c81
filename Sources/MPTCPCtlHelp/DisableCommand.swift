import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl disable`
struct DisableCommand: WordsCommand {
    static let object = "disable", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "disable",
        abstract: "Remove the drop-in of 'enable': the service's sockets are TCP again once it restarts.",
        usage: "mptcpctl disable [--root DIR] UNIT",
        discussion: """
            Removes /etc/systemd/system/UNIT.d/50-mptcp.conf when mptcpctl wrote it, then the \
            folder UNIT.d when nothing else is in it. Without --root, when systemd runs the \
            system, 'systemctl daemon-reload' follows; otherwise the commands to run are \
            printed. A unit without the drop-in is no error: a note says so, exit 0.

            Exit status: 0 when removed or absent, 2 for a bad line or UNIT, 3 for a drop-in \
            not written by mptcpctl or one that cannot be removed, a --root that is not a \
            directory, or a failed 'systemctl daemon-reload'.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Change the systemd configuration under this directory, not this system's.", valueName: "dir"),
            completion: .directory)
    var root: String?
    @Argument(parsing: .postTerminator, help: ArgumentHelp("UNIT", valueName: "unit"))
    var words: [String] = []

    var options: [(name: String, value: String?)] { root.map { [("--root", $0)] } ?? [] }
}
