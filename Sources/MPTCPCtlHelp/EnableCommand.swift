import ArgumentParser
import MPTCPCtlCLI

/// `mptcpctl enable`
struct EnableCommand: WordsCommand {
    static let object = "enable", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "enable",
        abstract: "Make a systemd service's TCP sockets MPTCP sockets, with a drop-in (the unit file is left as it is).",
        usage: "mptcpctl enable [--root DIR] [--no-fallback] UNIT\nmptcpctl [-j] [-p] enable --list [--root DIR]",
        discussion: """
            Writes /etc/systemd/system/UNIT.d/50-mptcp.conf, and nothing else: Environment= with \
            what 'run' sets, LD_PRELOAD with the installed preload library (libmptcpwrap.so, by \
            its canonical path) and GODEBUG with multipathtcp=1, and MPTCPCTL_NO_FALLBACK=1 with \
            --no-fallback. UNIT is NAME or NAME.service; the unit must exist (its file in \
            /etc/systemd/system, /run/systemd/system, /usr/local/lib/systemd/system, \
            /usr/lib/systemd/system or /lib/systemd/system; an instance's template counts). \
            Running it again writes the same bytes.

            A later assignment replaces an earlier one, so the LD_PRELOAD and GODEBUG the unit \
            sets (its file and the drop-ins sorting before 50-mptcp.conf) are merged in: theirs \
            first, then ours; a comment names where they came from (run enable again after the \
            unit changes). Warned about, on standard error: a drop-in sorting after ours that \
            sets them, an EnvironmentFile= that sets them, PassEnvironment= of them, a socket \
            unit of the same name (its listener is made by systemd: SocketProtocol=mptcp, \
            systemd 257), a masked unit (run enable again once it is unmasked), a library \
            in a build tree, and with --root a library missing there.

            Without --root, when systemd runs the system, 'systemctl daemon-reload' follows and \
            the service takes the change when restarted; otherwise the commands to run are \
            printed. --root DIR reads and changes the systemd configuration under DIR instead \
            (an image, a container's root). --list prints the services that have the drop-in, \
            one a line (-j: [{unit, file, no_fallback}]).

            DIR and unit files are not trusted: every path resolves inside DIR (openat2, \
            RESOLVE_IN_ROOT), links and '..' included; the drop-in is written under a \
            temporary name without following a link, then renamed. Refused, naming the file: \
            a unit file or drop-in that is not a regular file or is over 64 MiB - 1, a line \
            of 1 MiB or more (systemd refuses it too), an LD_PRELOAD or GODEBUG to carry \
            back that holds a control character, and a preload library that anyone but root \
            could replace (it, or a directory above it up to /, not owned by root or \
            writable by group or others, as sshd's StrictModes).

            Static binaries are out of reach of LD_PRELOAD: start them through 'mptcpctl run \
            --intercept --' in ExecStart=. See Docs/run.md.

            Exit status: 0 when written (or unchanged), 2 for a bad line or UNIT (a '/', \
            another unit type), 3 for a unit that does not exist, a drop-in of that name \
            not written by mptcpctl, a missing or untrusted library, a unit file refused \
            as above, a file that cannot be written, a --root that is not a directory, or a \
            failed 'systemctl daemon-reload'.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-fallback"), help: "The service's socket() fails when the kernel refuses MPTCP, instead of opening TCP.")
    var noFallback = false
    @Option(help: ArgumentHelp("Change the systemd configuration under this directory, not this system's.", valueName: "dir"),
            completion: .directory)
    var root: String?
    @Flag(help: "List the services that have the drop-in of enable.")
    var list = false
    @Argument(parsing: .postTerminator, help: ArgumentHelp("UNIT", valueName: "unit"))
    var words: [String] = []

    var options: [(name: String, value: String?)] {
        (noFallback ? [("--no-fallback", nil)] : []) + (root.map { [("--root", $0)] } ?? []) + (list ? [("--list", nil)] : [])
    }
}
