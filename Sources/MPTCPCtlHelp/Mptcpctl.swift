import ArgumentParser
import MPTCPCtlCLI
import MPTCPKit

/// The root of the command tree.
struct Mptcpctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mptcpctl",
        abstract: "Manage the Linux MPTCP in-kernel path manager: endpoints and limits, per network namespace.",
        discussion: """
            The grammar is the one of 'ip mptcp': 'mptcpctl endpoint add 10.0.2.1 dev eth1 subflow' \
            works as 'ip mptcp endpoint add 10.0.2.1 dev eth1 subflow' does (a leading 'mptcp' word \
            is skipped, so 'ip -n NS mptcp …' runs with 'ip' replaced). The objects of 'ip mptcp' \
            (endpoint, limits, monitor), their commands and keywords may be abbreviated as with ip \
            ('mptcpctl e a 10.0.2.1'); mptcpctl's own objects (counters, check, doctor, apply, export) \
            are spelled out. The options -n, -j, -p, --format and --all-netns may stand before or after the object.

            FORMAT: --format ip prints 'ip mptcp endpoint show' and 'limits show' text byte for byte \
            (iproute2 7.1: one line per endpoint, 'laminar' for 0x20, a trailing blank, nothing when \
            there are no endpoints): the way to move a script that parses ip's text over.

            BATCH: 'mptcpctl [-n NAME] [-j | --format F] -b FILE [--force]' runs each line of FILE as a \
            command line, as 'ip -batch' does: a file written for 'ip -batch' runs unchanged ('mptcp \
            endpoint add …' lines; '-n NAME' allowed per line; '#' comments and blank lines skipped), \
            with one netlink socket per namespace; -n, -j and --format apply to every line that sets \
            none. Errors read 'FILE:LINE: message'. Lines that never end (monitor, sync, top, \
            userspace listen, run) and enable/disable cannot be lines (exit 2).

            The endpoint flag 'address' (Linux 6.18, upstream name 'laminar', bit 0x20) marks a \
            local address the kernel uses, once, to open a subflow toward an address the peer \
            announces.

            EXIT CODES
            \(ExitCode.allCases.map { "  \($0.rawValue)  \($0.summary)" }.joined(separator: "\n"))
            """,
        version: "mptcpctl \(CommandLineTool.version)",
        subcommands: [EndpointGroup.self, LimitsGroup.self, MonitorCommand.self, CountersCommand.self, CheckCommand.self,
                      DoctorCommand.self, ApplyCommand.self, ExportCommand.self, ConnectionsCommand.self, TopCommand.self, SyncCommand.self,
                      RunCommand.self, EnableCommand.self, DisableCommand.self, UserspaceGroup.self]
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: [.short, .customLong("batch")], help: ArgumentHelp(
        "Run each line of FILE ('-' for standard input) as a command line, like 'ip -batch'; stop at the first failing line.",
        valueName: "file"))
    var batch: String?

    @Flag(help: "With -b: report every failing line and go on; the exit code is still that of the first failure.")
    var force = false
}
