import Foundation
import Testing

/// `mptcpctl run` with Debian's own programs: a web server (`python3 -m http.server`) in
/// the server's namespace and `curl` in the client's, each through `run`. That they
/// spoke MPTCP is read from the kernel's MIB counters (`nstat`), not from mptcpctl: the
/// client's MPTcpExtMPCapableSYNTX (an MP_CAPABLE SYN sent) and the server's
/// MPTcpExtMPCapableSYNRX (one received).
struct RunKernelTests {
    /// The preload library beside the mptcpctl under test, where `run` finds it.
    static let library = URL(fileURLWithPath: Shell.mptcpctl).deletingLastPathComponent().appendingPathComponent("libmptcpwrap.so").path

    /// The kernel's MPTCP MIB counter `name` in `ns`, as `nstat` reads it (absolute, the
    /// history file left alone).
    static func counter(_ ns: TestNamespace, _ name: String) -> Int {
        let result = ns.exec(["nstat", "-a", "-s", "-z", name])
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Int($0.split(separator: " ")[1]) } ?? -1
    }

    /// `mptcpctl run WORDS…` inside `ns` (as `ip netns exec` runs it), with `environment`
    /// (NAME=VALUE) added to mptcpctl's.
    static func run(_ ns: TestNamespace, _ words: [String], environment: [String] = []) -> CommandResult {
        Shell.run("ip", ["netns", "exec", ns.name, "env"] + environment + [Shell.mptcpctl, "run"] + words)
    }

    /// The web server, through `run` (or without it), answering on S(a):8080 with the
    /// files of `directory` (nil: the test's working directory); `body` gets it.
    static func withWebServer(_ t: Topology, through: Bool = true, directory: String? = nil, _ body: (Background) throws -> Void) throws {
        let server = try Background(["ip", "netns", "exec", t.server.name] + (through ? [Shell.mptcpctl, "run"] : [])
                                    + ["/usr/bin/python3", "-m", "http.server", "--bind", Topology.server("a"), "8080"]
                                    + (directory.map { ["--directory", $0] } ?? []))
        // SIGKILL: the test process's blocked signals reach python through Foundation's
        // spawn, and python leaves SIGTERM to that mask.
        defer {
            kill(server.process.processIdentifier, SIGKILL)
            _ = server.stop()
        }
        // Listening: a TCP connect (without run, so no counter moves) gets an answer.
        waitUntil(seconds: 10, every: 0.05) {
            t.client.exec(["curl", "-s", "-o", "/dev/null", "http://\(Topology.server("a")):8080/"]).status == 0
        }
        try body(server)
    }

    static func fetch(_ t: Topology, through: Bool, _ options: [String] = []) -> CommandResult {
        let curl = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://\(Topology.server("a")):8080/"]
        return through ? run(t.client, options + curl) : t.client.exec(curl)
    }

    @Test func curlAndAWebServerThroughRunSpeakMPTCPAndWithoutItTCP() throws {
        try Topology.with(links: ["a"]) { t in
            try Self.withWebServer(t) { _ in
                let sent = Self.counter(t.client, "MPTcpExtMPCapableSYNTX"), received = Self.counter(t.server, "MPTcpExtMPCapableSYNRX")
                try #require(sent >= 0 && received >= 0, "nstat: \(t.client.exec(["nstat", "-a", "-s", "-z"]))")

                let through = Self.fetch(t, through: true)
                #expect(through == CommandResult(status: 0, stdout: "200", stderr: ""), "\(through)")
                #expect(Self.counter(t.client, "MPTcpExtMPCapableSYNTX") == sent + 1)
                #expect(Self.counter(t.server, "MPTcpExtMPCapableSYNRX") == received + 1)

                // The same curl without run: plain TCP, no counter moves.
                let plain = Self.fetch(t, through: false)
                #expect(plain == CommandResult(status: 0, stdout: "200", stderr: ""), "\(plain)")
                #expect(Self.counter(t.client, "MPTcpExtMPCapableSYNTX") == sent + 1)
                #expect(Self.counter(t.server, "MPTcpExtMPCapableSYNRX") == received + 1)
            }
        }
    }

    /// net.mptcp.enabled=0 in the client's namespace: socket(IPPROTO_MPTCP) fails with
    /// ENOPROTOOPT; run's curl falls back to TCP and gets its page, and with
    /// --no-fallback its socket() fails and it never connects.
    @Test func fallbackToTCPWhenMPTCPIsOffAndNoFallbackFails() throws {
        try Topology.with(links: ["a"]) { t in
            #expect(t.client.exec(["sysctl", "-q", "-w", "net.mptcp.enabled=0"]).status == 0)
            try Self.withWebServer(t) { _ in
                let received = Self.counter(t.server, "MPTcpExtMPCapableSYNRX")
                let fallback = Self.fetch(t, through: true)
                #expect(fallback == CommandResult(status: 0, stdout: "200", stderr: ""), "\(fallback)")
                #expect(Self.counter(t.client, "MPTcpExtMPCapableSYNTX") == 0)

                let refused = Self.fetch(t, through: true, ["--no-fallback"])
                // curl's "Failed to connect" (7): socket() itself failed.
                #expect(refused.status == 7 && refused.stdout == "000", "\(refused)")
                #expect(Self.counter(t.server, "MPTcpExtMPCapableSYNRX") == received)

                // Where MPTCP is on, --no-fallback changes nothing.
                #expect(t.client.exec(["sysctl", "-q", "-w", "net.mptcp.enabled=1"]).status == 0)
                let on = Self.fetch(t, through: true, ["--no-fallback"])
                #expect(on == CommandResult(status: 0, stdout: "200", stderr: ""), "\(on)")
                #expect(Self.counter(t.client, "MPTcpExtMPCapableSYNTX") == 1)
            }
        }
    }

    /// How an admin checks that curl's connection was MPTCP: `connections -P` in the
    /// client's namespace names curl (pid and descriptor, the same `ss -Mp` finds) on its
    /// MPTCP connection, and python3 on the server's listener; `check program=curl`
    /// holds there, while a name no process has (and python3, whose connections are in
    /// the other namespace) fails with exit 5 and who holds the connection instead.
    @Test func connectionsNameCurlsProcessAndCheckProgramHolds() throws {
        // A large (sparse) file fetched slowly: curl holds its connection while the test reads.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-www-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(FileManager.default.createFile(atPath: directory + "/big", contents: nil))
        #expect(truncate(directory + "/big", 1 << 30) == 0)
        try Topology.with(links: ["a"]) { t in
            try Self.withWebServer(t, directory: directory) { server in
                let (ca, sa) = (Topology.client("a"), Topology.server("a"))
                let curl = try Background(["ip", "netns", "exec", t.client.name, Shell.mptcpctl, "run",
                                           "curl", "-s", "-o", "/dev/null", "--limit-rate", "100k", "http://\(sa):8080/big"])
                // SIGKILL: curl inherits the test process's blocked signals, as python does.
                defer {
                    kill(curl.process.processIdentifier, SIGKILL)
                    _ = curl.stop()
                }
                // ip netns exec and run each exec the next: the pid is curl's.
                let pid = curl.process.processIdentifier, serverPID = server.process.processIdentifier
                var text = ""
                waitUntil(seconds: 10, every: 0.05) {
                    text = t.client.mptcpctl("connections -P").stdout
                    // The connection's own line: its subflow is established a moment before
                    // it is (7.2 in a guest showed `0.0.0.0:0 -> 0.0.0.0:0  syn-sent` then).
                    return text.split(separator: "\n").contains {
                        $0.hasPrefix("token ") && $0.contains(" established  ") && $0.contains("  process curl pid \(pid) fd ")
                    }
                }
                let json = t.client.mptcpctl("-j connections --processes").stdout
                let listed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], "\(json)")
                let processes = try #require(listed.first?["processes"] as? [[String: Any]], "\(json)")
                let fd = try #require(processes.first?["fd"] as? Int, "\(json)")
                #expect(listed.count == 1 && processes.count == 1, "\(json)")
                #expect(processes.first?["pid"] as? Int == Int(pid) && processes.first?["name"] as? String == "curl", "\(json)")
                // ss finds the same process on the same MPTCP socket.
                let ss = Shell.run("ss", ["-N", t.client.name, "-Mp"]).stdout
                #expect(ss.contains(#"("curl",pid=\#(pid),fd=\#(fd))"#), "\(ss)")

                // Token, ports and byte counts are the kernel's: the rest, columns squeezed.
                let squeezed = text.replacingOccurrences(of: #":[0-9]+"#, with: ":P", options: .regularExpression)
                    .replacingOccurrences(of: #"token [0-9a-f]{8}"#, with: "token T", options: .regularExpression)
                    .replacingOccurrences(of: #"  (sent|received) [0-9]+"#, with: "", options: .regularExpression)
                    .replacingOccurrences(of: #" +"#, with: " ", options: .regularExpression)
                #expect(squeezed == """
                    token T \(ca):P -> \(sa):P established process curl pid \(pid) fd \(fd)
                     local remote loc_id rem_id backup dev state endpoint
                     \(ca):P \(sa):P 0 0 0 ca established -

                    """, "\(text)")
                let listening = t.server.mptcpctl("connections -P --listening").stdout
                #expect(listening.contains("listen  \(sa):8080  process python3 pid \(serverPID) fd "), "\(listening)")

                #expect(t.client.mptcpctl("check program=curl") == CommandResult(status: 0, stdout: "", stderr: ""))
                #expect(t.server.mptcpctl("check program=python3") == CommandResult(status: 0, stdout: "", stderr: ""))
                let found = "found MPTCP connections held by curl (pid \(pid))"
                #expect(t.client.mptcpctl("check program=nosuchprog program=python3") == CommandResult(status: 5, stdout: """
                    check failed: program=nosuchprog: \(found)
                    check failed: program=python3: \(found)

                    """, stderr: "mptcpctl: check: 2 of 2 expectation(s) do not hold\n"))
                t.client.expectFailure("check program=/usr/bin/curl", status: 2,
                                       message: "check: bad program '/usr/bin/curl' in 'program=/usr/bin/curl': give the process name, not a path (program=curl)")
            }
        }
    }

    /// `landlock PORT CMD…`: CMD confined by Landlock to TCP connections to PORT
    /// (LANDLOCK_ACCESS_NET_CONNECT_TCP, ABI 4: Linux 6.7). On a kernel without network
    /// rules (ABI below 4, or Landlock off) it prints `abi N` and exits 3 instead; else
    /// it prints `abi N errata E` (the kernel's errata bits, 0 when it cannot tell) on
    /// standard error before CMD runs.
    static let landlock = ["/usr/bin/python3", "-c", """
        import ctypes, os, sys
        libc = ctypes.CDLL(None, use_errno=True)
        libc.syscall.restype = ctypes.c_long
        create, add, restrict = 444, 445, 446
        abi = libc.syscall(create, None, 0, 1)
        if abi < 4:
            print("abi", abi, flush=True)
            sys.exit(3)
        errata = max(libc.syscall(create, None, 0, 2), 0)
        print("abi", abi, "errata", errata, file=sys.stderr, flush=True)
        class Ruleset(ctypes.Structure):
            _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]
        class Port(ctypes.Structure):
            _fields_ = [("allowed", ctypes.c_uint64), ("port", ctypes.c_uint64)]
        connect = 2
        ruleset = Ruleset(0, connect, 0)
        fd = libc.syscall(create, ctypes.byref(ruleset), 24 if abi >= 6 else 16, 0)
        port = Port(connect, int(sys.argv[1]))
        if fd < 0 or libc.syscall(add, fd, 2, ctypes.byref(port), 0) != 0 or libc.prctl(38, 1, 0, 0, 0) != 0 \
                or libc.syscall(restrict, fd, 0) != 0:
            sys.exit("landlock: " + os.strerror(ctypes.get_errno()))
        os.execvp(sys.argv[2], sys.argv[2:])
        """]

    /// What run's documentation says of Landlock, checked on the kernel: a program that
    /// Landlock lets connect over TCP to port 9 only is refused port 8080 on its own, and
    /// through run connects there, over MPTCP, as Landlock's TCP rules do not apply to
    /// MPTCP sockets (Landlock's erratum 1, in 6.15 and the stable kernels: before it,
    /// they applied to MPTCP too; and on kernels without network rules, 6.1, there is
    /// nothing to get around).
    @Test func landlockTCPPortRulesDoNotHoldForRunsSockets() throws {
        let help = Shell.run(Shell.mptcpctl, ["run", "--help"]).stdout
        #expect(help.contains("Landlock"), "run --help says nothing of Landlock")
        try Topology.with(links: ["a"]) { t in
            try Self.withWebServer(t) { _ in
                let curl = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://\(Topology.server("a")):8080/"]
                let confined = t.client.exec(Self.landlock + ["9"] + curl)
                if confined.status == 3 {
                    // No network rules (before 6.7): the line is the ABI, 1 to 3, or -1 (Landlock off).
                    #expect(["abi -1\n", "abi 1\n", "abi 2\n", "abi 3\n"].contains(confined.stdout), "\(confined)")
                    return
                }
                // curl's "Failed to connect" (7): connect() refused by Landlock.
                #expect(confined.status == 7 && confined.stdout == "000", "\(confined)")
                let errata = Int(confined.stderr.split(separator: " ").last?.split(separator: "\n").first ?? "") ?? 0
                let sent = Self.counter(t.client, "MPTcpExtMPCapableSYNTX")
                let through = Self.run(t.client, ["--"] + Self.landlock + ["9"] + curl)
                if errata & 1 == 1 {
                    #expect(through.status == 0 && through.stdout == "200", "\(through)")
                    #expect(Self.counter(t.client, "MPTcpExtMPCapableSYNTX") == sent + 1)
                } else {
                    #expect(through.status == 7 && through.stdout == "000", "\(through)")
                }
            }
        }
    }

    /// The library loads into any program: it needs the C library only (no Swift
    /// runtime), and exports socket() only.
    @Test func theLibraryNeedsTheCLibraryOnlyAndExportsSocket() {
        let library = Self.library
        let needed = Shell.run("readelf", ["-d", library]).stdout.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(needed.map { $0.split(separator: " ").last.map(String.init) } == ["[libc.so.6]"], "\(needed)")
        let exported = Shell.run("nm", ["-D", "--defined-only", library]).stdout.split(separator: "\n")
            .filter { $0.contains(" T ") }.map { $0.split(separator: " ").last.map(String.init) }
        #expect(exported == ["socket"], "\(exported)")
    }

    /// What CMD gets (its words untouched, the environment) and what run refuses.
    @Test func theProgramsWordsEnvironmentStatusAndRefusals() throws {
        try TestNamespace.with { ns in
            let library = Self.library
            let show = ["sh", "-c", #"echo "$0 $1|$LD_PRELOAD|$GODEBUG|${MPTCPCTL_NO_FALLBACK-unset}"; exit 3"#, "-s", "--help"]
            let plain = Self.run(ns, show)
            #expect(plain == CommandResult(status: 3, stdout: "-s --help|\(library)|multipathtcp=1|unset\n", stderr: ""), "\(plain)")
            // The caller's preload first, its GODEBUG kept; no fallback asked: the variable.
            let kept = Self.run(ns, ["--no-fallback", "--"] + show,
                                environment: ["LD_PRELOAD=/lib/x86_64-linux-gnu/libc.so.6", "GODEBUG=http2debug=1", "MPTCPCTL_NO_FALLBACK=0"])
            #expect(kept.stdout == "-s --help|/lib/x86_64-linux-gnu/libc.so.6 \(library)|http2debug=1,multipathtcp=1|1\n", "\(kept)")
            let chosen = Self.run(ns, show, environment: ["GODEBUG=multipathtcp=0", "MPTCPCTL_NO_FALLBACK=1"])
            #expect(chosen.stdout == "-s --help|\(library)|multipathtcp=0|unset\n", "\(chosen)")

            // -n: CMD runs in that namespace.
            let inside = ns.exec(["readlink", "/proc/self/ns/net"]).stdout
            let entered = Shell.run(Shell.mptcpctl, ["-n", ns.name, "run", "readlink", "/proc/self/ns/net"])
            #expect(entered == CommandResult(status: 0, stdout: inside, stderr: ""), "\(entered)")
            // --user: its uid, groups and HOME.
            let user = Self.run(ns, ["--user", "nobody", "sh", "-c", #"echo "$(id -u) $(id -g) $HOME $USER""#])
            #expect(user == CommandResult(status: 0, stdout: "65534 65534 /nonexistent nobody\n", stderr: ""), "\(user)")

            func refused(_ words: [String], _ status: Int32, _ message: String) {
                let result = Self.run(ns, words)
                #expect(result == CommandResult(status: status, stdout: "", stderr: "mptcpctl: \(message)\n"), "\(words)")
            }
            refused([], 2, "run: missing CMD: e.g. 'mptcpctl run curl https://example.com/'")
            refused(["no-such-program-here"], 127, "run: no-such-program-here: command not found")
            refused(["/no/such/file"], 127, "run: /no/such/file: no such file")
            // A file that is no program: not executable (EACCES), or not a format the
            // kernel runs (ENOEXEC).
            let text = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
            #expect(FileManager.default.createFile(atPath: text, contents: Data("\u{0}\u{1}".utf8), attributes: [.posixPermissions: 0o644]))
            defer { try? FileManager.default.removeItem(atPath: text) }
            refused([text], 126, "run: cannot run \(text): EACCES (Permission denied)")
            #expect(chmod(text, 0o755) == 0)
            refused([text], 126, "run: cannot run \(text): ENOEXEC (Exec format error)")
            refused(["--user", "no-such-user-here", "id"], 2, "run: unknown --user 'no-such-user-here': no such user in the password database")
            refused(["--bogus", "id"], 2, "unknown option '--bogus'; see 'mptcpctl --help'")
            refused(["/usr/bin/passwd"], 3, "run: /usr/bin/passwd is set-user-ID: the loader ignores LD_PRELOAD for it, and run never "
                + "starts a program with rights the caller lacks; run it without mptcpctl")
            // A line of -b FILE: refused there, as mptcpctl would be gone after it.
            let batch = text + ".batch"
            #expect(FileManager.default.createFile(atPath: batch, contents: Data("run true\n".utf8)))
            defer { try? FileManager.default.removeItem(atPath: batch) }
            let lines = Shell.run(Shell.mptcpctl, ["-n", ns.name, "-b", batch])
            #expect(lines == CommandResult(status: 2, stdout: "", stderr: "mptcpctl: \(batch):1: run replaces mptcpctl with its program, "
                + "so it cannot be a line of -b FILE: run it on its own\n"), "\(lines)")
            let json = Shell.run(Shell.mptcpctl, ["-j", "run", "true"])
            #expect(json == CommandResult(status: 2, stdout: "", stderr: "mptcpctl: run: -j, -p and --format have nothing to format: "
                + "CMD's output is its own\n"), "\(json)")
        }
    }
}

/// `run --user USER` (with and without `--intercept`) as another user: CMD gets a session
/// of its own, with no controlling terminal, so it cannot reach root's terminal; run stays
/// its parent, passes the terminal's signals on, and exits as CMD does.
extension RunKernelTests {
    /// What CMD can do to the terminal it was started from, as one line: its uid, whether
    /// it is in the caller's session, its controlling terminal, and the errno (or "done")
    /// of TIOCSTI pushing `TEXT` and a newline into it, of opening /dev/tty and of
    /// TIOCSCTTY (taking the terminal as its own).
    static let probe = """
        import errno, fcntl, os, sys, termios
        caller, text = int(sys.argv[1]), sys.argv[2]
        def attempt(action):
            try:
                action()
                return "done"
            except OSError as error:
                return errno.errorcode[error.errno]
        session = "its own session" if os.getsid(0) != os.getsid(caller) else "the caller's session"
        terminal = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[4])
        pushed = attempt(lambda: [fcntl.ioctl(0, termios.TIOCSTI, c.encode()) for c in text + "\\n"])
        opened = attempt(lambda: os.close(os.open("/dev/tty", os.O_RDWR)))
        taken = attempt(lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))
        print(f"uid {os.getuid()}, {session}, controlling terminal {'none' if terminal == 0 else 'the caller’s'}, "
              f"TIOCSTI {pushed}, /dev/tty {opened}, TIOCSCTTY {taken}")
        """

    /// A folder for the test's files, readable by every user, removed afterwards.
    static func withFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-session-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(folder)
    }

    /// Polls `path` until it holds a line: that line.
    static func line(of path: String, seconds: Double = 10) -> String? {
        var text: String?
        _ = waitUntil(seconds: seconds, every: 0.05) {
            text = try? String(contentsOfFile: path, encoding: .utf8)
            return text?.hasSuffix("\n") ?? false
        }
        return text.flatMap { $0.hasSuffix("\n") ? String($0.dropLast()) : nil }
    }

    /// Under a real terminal (tmux), root's shell runs CMD as nobody, which tries to push a
    /// line into the terminal (TIOCSTI), to open it as /dev/tty and to take it. It cannot:
    /// it is in a session of its own, without a controlling terminal (before, the line it
    /// pushed was the next one root's shell read). TIOCSTI fails with EPERM (not its
    /// terminal), or EIO where dev.tty.legacy_tiocsti is 0 (Linux 6.2 and later: no one
    /// but CAP_SYS_ADMIN pushes input); the terminal's next line is the one typed.
    @Test(arguments: [[], ["--intercept"]])
    func anotherUsersCMDCannotReachTheCallersTerminal(_ options: [String]) throws {
        let legacy = (try? String(contentsOfFile: "/proc/sys/dev/tty/legacy_tiocsti", encoding: .utf8)) ?? "1\n"
        let refused = legacy == "0\n" ? "EIO" : "EPERM"
        try TestNamespace.with { ns in
            try Self.withFolder { folder in
                #expect(FileManager.default.createFile(atPath: folder + "/probe.py", contents: Data(Self.probe.utf8)))
                let run = ([Shell.mptcpctl, "-n", ns.name, "run"] + options + ["--user", "nobody", "--", "/usr/bin/python3",
                            folder + "/probe.py"]).joined(separator: " ")
                // The shell then reads one line of the terminal: the one CMD pushed, if any, else the one the test types.
                let tmux = try TmuxSession("\(run) $$ 'echo pushed by nobody' > \(folder)/probe; IFS= read -r next; "
                                           + "echo \"$next\" > \(folder)/next; sleep 600")
                let seen = Self.line(of: folder + "/probe")
                #expect(seen == "uid 65534, its own session, controlling terminal none, TIOCSTI \(refused), /dev/tty ENXIO, "
                        + "TIOCSCTTY EPERM", "\(tmux.screen())")
                tmux.send("typed by the test", "Enter")
                #expect(Self.line(of: folder + "/next") == "typed by the test")
            }
        }
    }

    /// Without a terminal: CMD as another user leads a session of its own (its session id
    /// is its pid), and run exits as CMD does: with its status, killed by its own signal,
    /// and killed by the SIGTERM run passes on. As the caller (root) it does not.
    @Test(arguments: [[], ["--intercept"]])
    func anotherUsersCMDLeadsASessionAndRunExitsAsItDoes(_ options: [String]) throws {
        try TestNamespace.with { ns in
            let leads = ["/usr/bin/python3", "-c", "import os; print(os.getuid(), os.getsid(0) == os.getpid())"]
            let nobody = RunKernelTests.run(ns, options + ["--user", "nobody", "--"] + leads)
            #expect(nobody == CommandResult(status: 0, stdout: "65534 True\n", stderr: ""), "\(nobody)")
            let root = RunKernelTests.run(ns, options + ["--user", "root", "--"] + leads)
            #expect(root == CommandResult(status: 0, stdout: "0 False\n", stderr: ""), "\(root)")
            let status = RunKernelTests.run(ns, options + ["--user", "nobody", "sh", "-c", "exit 7"])
            #expect(status == CommandResult(status: 7, stdout: "", stderr: ""), "\(status)")
            let run = ([Shell.mptcpctl, "run"] + options + ["--user", "nobody", "--"] + InterceptKernelTests.cleanMask)
                .map { "'\($0)'" }.joined(separator: " ")
            let killed = ns.exec(["sh", "-c", "\(run) sh -c 'kill -TERM $$'; echo $?"])
            #expect(killed.stdout == "143\n", "\(killed)")
            let forwarded = ns.exec(["sh", "-c", "\(run) sleep 60 & p=$!; sleep 0.5; kill -TERM $p; wait $p; echo $?"])
            #expect(forwarded.stdout == "143\n", "\(forwarded)")
        }
    }

    /// The state letter of process `pid` (/proc/PID/stat: R, S, T…), nil when gone.
    static func state(_ pid: String) -> String? {
        (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: ")").last?
            .split(separator: " ").first.map(String.init)
    }

    /// Job control in root's interactive shell (bash, in tmux) with CMD in a session of its
    /// own, where the terminal's signals reach run only: Ctrl-Z stops CMD and run, and the
    /// shell sees the job stopped by SIGTSTP (status 148); `fg` continues both; Ctrl-C
    /// reaches CMD (its handler exits 5), and run exits as CMD did.
    @Test(arguments: [[], ["--intercept"]])
    func ctrlZFgAndCtrlCReachAnotherUsersCMD(_ options: [String]) throws {
        try Self.withFolder { folder in
            #expect(chmod(folder, 0o777) == 0)
            let tick = folder + "/tick"
            // A loop that never forks: a shell's `sleep` is a vfork, and a Ctrl-Z that lands
            // between it and the child's exec stops the child while the shell waits for it
            // in D: the shell never stops, so neither run nor a plain terminal's job does
            // (seen once in an emulated guest, where that window is long).
            let cmd = #"import itertools, os, signal, time; open("\#(folder)/pid", "w").write(str(os.getpid()) + "\n"); "#
                + #"signal.signal(signal.SIGINT, lambda *_: os._exit(5)); "#
                + #"[(open("\#(tick)", "w").write(str(i)), time.sleep(0.05)) for i in itertools.count(1)]"#
            let tmux = try TmuxSession("exec bash --norc --noprofile -i", environment: ["PS1": "$ "])
            let line = ([Shell.mptcpctl, "run"] + options + ["--user", "nobody", "--", "/usr/bin/python3", "-c", "'\(cmd)'"]).joined(separator: " ")
            tmux.send(line + "; echo $? > \(folder)/stopped", "Enter")
            let pid = try #require(Self.line(of: folder + "/pid"), "\(tmux.screen())")
            func ticks() -> Int { Int((try? String(contentsOfFile: tick, encoding: .utf8))?.split(separator: "\n").first ?? "") ?? 0 }
            func running() -> Bool { let start = ticks(); return waitUntil(seconds: 5, every: 0.05) { ticks() > start } }
            #expect(running(), "CMD does not run: \(tmux.screen())")

            tmux.send("C-z")
            #expect(Self.line(of: folder + "/stopped") == "148", "\(tmux.screen())")
            #expect(waitUntil(seconds: 5, every: 0.05) { Self.state(pid) == "T" }, "CMD is \(Self.state(pid) ?? "gone")")
            #expect(tmux.screen().contains { $0.hasPrefix("[1]+  Stopped") }, "\(tmux.screen())")

            tmux.send("fg; echo $? > \(folder)/ended", "Enter")
            #expect(running(), "CMD was not continued: \(tmux.screen())")
            tmux.send("C-c")
            #expect(Self.line(of: folder + "/ended") == "5", "\(tmux.screen())")
            #expect(waitUntil(seconds: 5, every: 0.05) { Self.state(pid) == nil }, "CMD is still there")
        }
    }
}
