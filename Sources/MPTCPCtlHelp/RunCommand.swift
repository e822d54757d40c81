import ArgumentParser
import Glibc
import MPTCPCtlCLI

/// `mptcpctl run`
struct RunCommand: WordsCommand {
    static let object = "run", verb: String? = nil
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a program with its TCP sockets made MPTCP sockets, unchanged (LD_PRELOAD).",
        usage: "mptcpctl [-n NAME] run [--no-fallback] [--intercept] [--user USER] [--] CMD [ARG...]",
        discussion: """
            Runs CMD with the preload library libmptcpwrap.so (beside mptcpctl, or in \
            ../lib/mptcpctl/ where 'make install' puts it): each socket(AF_INET or AF_INET6, \
            SOCK_STREAM, 0 or IPPROTO_TCP) it opens, and its children open, is an MPTCP socket \
            (IPPROTO_MPTCP, \(IPPROTO_MPTCP)). An LD_PRELOAD already set is kept, before the library; GODEBUG \
            gets multipathtcp=1 (Go 1.21 and later) unless it sets multipathtcp already. \
            mptcpctl becomes CMD (execve): the exit status, signals and terminal are CMD's \
            (but as another user, below).

            Fallback: when the kernel refuses MPTCP (ENOPROTOOPT when net.mptcp.enabled is 0; \
            EPROTONOSUPPORT or EINVAL without MPTCP), socket() opens the TCP socket asked for. \
            With --no-fallback it fails with the kernel's errno (MPTCPCTL_NO_FALLBACK=1 in CMD's \
            environment), so a program that must not run without MPTCP stops.

            The words after CMD are CMD's: 'mptcpctl run curl -s URL' gives -s to curl. '--' \
            ends run's options. -n NAME runs CMD in that network namespace, as 'ip -n' enters \
            one (unlike 'ip netns exec', /sys and /etc/netns are not remounted). --user runs CMD \
            as USER (name or uid) with its groups, HOME, USER and LOGNAME; only root can give \
            another user.

            As another user, CMD runs as mptcpctl's child in a session of its own (setsid), \
            without a controlling terminal: it reads and writes the streams it was given, \
            but cannot push input into the caller's terminal (TIOCSTI), open /dev/tty or take \
            the terminal. mptcpctl passes Ctrl-C, Ctrl-\\ and window size changes on to CMD's \
            process group; Ctrl-Z stops CMD (SIGSTOP) and then mptcpctl, and fg or bg continue \
            both; SIGHUP, SIGTERM, SIGUSR1 and SIGUSR2 go to CMD; mptcpctl exits as CMD does. \
            Programs that need /dev/tty (password prompts) fail there, an interactive shell \
            has no job control, and CMD in the background still reads the terminal: give \
            such a program a terminal of its own (su --pty, sudo with use_pty), and one you \
            do not trust none at all (</dev/null >FILE 2>&1).

            Out of reach of the library: programs that do not call the C library's socket(): \
            static binaries, and Go programs, whose net package makes the system call itself \
            (Go 1.21 and later follow GODEBUG instead); and set-user-ID or set-group-ID \
            programs, which run refuses (the loader ignores LD_PRELOAD for them).

            Landlock's TCP port rules (Linux 6.7) do not hold for MPTCP sockets (Landlock's \
            erratum 1: Linux 6.15 and the stable kernels since): a program that Landlock lets \
            connect or bind to some TCP ports only reaches any port through run, with or \
            without --intercept. Firewall rules (iptables, nftables) still see its subflows \
            as TCP, and its user.

            --intercept reaches the static ones too: CMD runs under a seccomp filter that hands \
            each TCP socket() of CMD and its children (no other program) to a supervisor, a \
            second mptcpctl that makes the MPTCP socket in CMD's name (its network namespace, \
            fsuid, fsgid and groups: 'iptables -m owner' and 'ss -e' see CMD's user) and \
            installs it in CMD (Linux 5.14). mptcpctl then stays as CMD's parent, passes \
            SIGHUP, SIGTERM, SIGUSR1, SIGUSR2, SIGCONT and SIGWINCH on (as another user, \
            the terminal's signals as above), and exits as CMD does; the supervisor \
            leaves when the last of CMD's processes has. A socket of a process that moved to \
            another cgroup stays TCP, with a warning (EPERM with --no-fallback). Check with \
            'mptcpctl connections' or the kernel's MPTcpExtMPCapableSYNTX counter ('nstat'). \
            See Docs/run.md.

            Exit status: CMD's; 126 when CMD cannot be executed, 127 when it is not found, \
            2 for a bad line, 3 for a set-ID CMD, an unknown namespace or a missing library \
            (and with --intercept when the supervisor cannot start, or mptcpctl already runs \
            under a seccomp listener: EBUSY), 4 when the kernel cannot intercept (--intercept).
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-fallback"), help: "Fail socket() when the kernel refuses MPTCP, instead of opening TCP.")
    var noFallback = false
    @Flag(help: "Also reach static programs: a seccomp filter hands CMD's TCP socket() calls to a supervisor.")
    var intercept = false
    @Option(help: ArgumentHelp("Run CMD as this user (name or uid), with its groups.", valueName: "user"))
    var user: String?
    @Argument(parsing: .postTerminator, help: ArgumentHelp("CMD [ARG...]", valueName: "command"))
    var words: [String] = []

    var options: [(name: String, value: String?)] {
        (noFallback ? [("--no-fallback", nil)] : []) + (intercept ? [("--intercept", nil)] : []) + (user.map { [("--user", $0)] } ?? [])
    }
}
