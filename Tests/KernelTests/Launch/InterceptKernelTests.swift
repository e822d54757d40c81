import Foundation
import Testing

/// `mptcpctl run --intercept` with static programs the preload library cannot reach:
/// Debian's busybox-static `wget` as the client, and its `httpd` as the server, each
/// through `run --intercept`. MPTCP is read from the kernel's MIB counters (`nstat`), the
/// owner from a real `iptables -m owner` rule.
struct InterceptKernelTests {
    static let url = "http://\(Topology.server("a")):8080/"
    static let wget = ["busybox", "wget", "-q", "-O", "/dev/null", url]
    /// CMD with an empty signal mask: the test process's blocked signals reach the
    /// programs it starts through Foundation's spawn, and run passes the mask on to CMD.
    static let cleanMask = ["python3", "-c", "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); "
        + "os.execvp(sys.argv[1], sys.argv[1:])"]

    /// busybox's web server through `run --intercept` (its listener an MPTCP socket) on
    /// S(a):8080, serving a page from a folder of its own; `body` runs once it answers.
    static func withStaticWebServer(_ t: Topology, _ body: () throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("intercept-www-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(FileManager.default.createFile(atPath: folder + "/index.html", contents: Data("hello\n".utf8)))
        let httpd = ["busybox", "httpd", "-f", "-p", "\(Topology.server("a")):8080", "-h", folder]
        let server = try Background(["ip", "netns", "exec", t.server.name, Shell.mptcpctl, "run", "--intercept", "--"] + httpd)
        // httpd gets the test's blocked signals (run passes its mask on): SIGKILL it, by
        // pid (run's child named busybox; the other child is the supervisor), and run and
        // the supervisor leave after it.
        defer {
            let run = server.process.processIdentifier
            for child in Shell.run("pgrep", ["-P", String(run)]).stdout.split(separator: "\n").compactMap({ pid_t($0) })
            where (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) == "busybox\n" {
                kill(child, SIGKILL)
            }
            _ = server.stop()
        }
        // Answering: a TCP connect (without run, so no client counter moves) gets the page.
        let answered = waitUntil(seconds: 10, every: 0.05) {
            t.client.exec(["curl", "-s", "-o", "/dev/null", "http://\(Topology.server("a")):8080/"]).status == 0
        }
        try #require(answered, "busybox httpd did not answer through run --intercept")
        try body()
    }

    /// `reaper + [SECONDS] + words`: runs the words as a child subreaper
    /// (PR_SET_CHILD_SUBREAPER) that reaps every orphan of the tree, says how its child
    /// ended and whether within SECONDS, and returns when the last process of the tree has.
    static let reaper = ["python3", "-c", """
        import ctypes, os, sys, time
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.execvp(sys.argv[2], sys.argv[2:])
        status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        print("run:", status, "within" if time.monotonic() - start < float(sys.argv[1]) else "after", sys.argv[1], "s", flush=True)
        while True:
            try:
                os.wait()
            except ChildProcessError:
                break
        """]

    static func intercepted(_ t: Topology, _ words: [String]) -> CommandResult {
        RunKernelTests.run(t.client, ["--intercept"] + words)
    }

    static func sent(_ t: Topology) -> Int { RunKernelTests.counter(t.client, "MPTcpExtMPCapableSYNTX") }

    /// The supervisors (`mptcpctl __supervise-sockets`) running in `ns`'s network
    /// namespace, where `run` starts them: others on the machine are not this test's.
    static func supervisors(in ns: TestNamespace) -> Int {
        let inside = ns.exec(["readlink", "/proc/self/ns/net"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return Shell.run("pgrep", ["-f", "__supervise-sockets"]).stdout.split(separator: "\n").filter { pid in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/net")) == inside
        }.count
    }


    @Test func aStaticProgramThroughInterceptSpeaksMPTCPAndWithoutItTCP() throws {
        #expect(Shell.run("file", ["-L", "/usr/bin/busybox"]).stdout.contains("statically linked"))
        try Topology.with(links: ["a"]) { t in
            try Self.withStaticWebServer(t) {
                let sent = Self.sent(t), received = RunKernelTests.counter(t.server, "MPTcpExtMPCapableSYNRX")
                try #require(sent >= 0 && received >= 0)

                let through = Self.intercepted(t, Self.wget)
                #expect(through == CommandResult(status: 0, stdout: "", stderr: ""), "\(through)")
                #expect(Self.sent(t) == sent + 1)
                #expect(RunKernelTests.counter(t.server, "MPTcpExtMPCapableSYNRX") == received + 1)

                // Afterwards the same program stays TCP: plainly, and through run without
                // --intercept, as the preload library cannot reach a static program.
                let plain = t.client.exec(Self.wget)
                #expect(plain.status == 0, "\(plain)")
                let preloaded = RunKernelTests.run(t.client, Self.wget)
                #expect(preloaded.status == 0, "\(preloaded)")
                #expect(Self.sent(t) == sent + 1)
                #expect(RunKernelTests.counter(t.server, "MPTcpExtMPCapableSYNRX") == received + 1)
                #expect(waitUntil(seconds: 5, every: 0.05) { Self.supervisors(in: t.client) == 0 }, "a supervisor stayed behind")
            }
        }
    }

    /// Only CMD and its children: a program started beside a running CMD stays TCP; a
    /// grandchild that outlives CMD is still served, and the supervisor leaves after it.
    @Test func onlyCMDsTreeIsInterceptedAndTheSupervisorLeavesWithItsLastProcess() throws {
        try Topology.with(links: ["a"]) { t in
            try Self.withStaticWebServer(t) {
                let flag = FileManager.default.temporaryDirectory.appendingPathComponent("intercept-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
                defer { try? FileManager.default.removeItem(atPath: flag) }
                let sent = Self.sent(t)
                let cmd = try Background(["ip", "netns", "exec", t.client.name, Shell.mptcpctl, "run", "--intercept", "--", "sh", "-c",
                                          "while [ ! -e \(flag) ]; do sleep 0.05; done; exec " + Self.wget.joined(separator: " ")])
                defer { kill(cmd.process.processIdentifier, SIGKILL); _ = cmd.stop() }
                #expect(waitUntil(seconds: 10, every: 0.05) { Self.supervisors(in: t.client) == 1 }, "no supervisor started")
                let beside = t.client.exec(Self.wget)
                #expect(beside.status == 0, "\(beside)")
                #expect(Self.sent(t) == sent, "a program outside CMD's tree was intercepted")
                #expect(FileManager.default.createFile(atPath: flag, contents: nil))
                // Bounded: a CMD that never ends fails the test with the processes left.
                let ended = waitUntil(seconds: 30, every: 0.05) { !cmd.process.isRunning }
                #expect(ended, "CMD did not end: \(Shell.run("ps", ["-eo", "pid,ppid,stat,wchan:32,args"]).stdout)")
                if !ended { return }
                #expect(cmd.process.terminationStatus == 0)
                #expect(Self.sent(t) == sent + 1)
                #expect(waitUntil(seconds: 5, every: 0.05) { Self.supervisors(in: t.client) == 0 }, "the supervisor stayed after CMD")

                // CMD leaves a grandchild behind and ends at once; the grandchild's socket a
                // second later is MPTCP, and then the supervisor leaves too. Under a reaper of
                // the test's own: on 6.1 a process holds the filter until it is reaped, and
                // the guests' init never reaps orphans.
                let delay = String(Int(2 * Background.patience))
                let quick = t.client.exec(Self.reaper + [delay, Shell.mptcpctl, "run", "--intercept", "--", "sh", "-c",
                                                         "(sleep \(delay); " + Self.wget.joined(separator: " ") + ") >/dev/null 2>&1 </dev/null &"])
                #expect(quick == CommandResult(status: 0, stdout: "run: 0 within \(delay) s\n", stderr: ""), "\(quick)")
                #expect(Self.sent(t) == sent + 2, "the grandchild's connection was not MPTCP")
                #expect(waitUntil(seconds: 5, every: 0.05) { Self.supervisors(in: t.client) == 0 }, "the supervisor stayed after the grandchild")
            }
        }
    }

    /// Adds an `iptables -m owner` rule for each match to the client's OUTPUT toward port
    /// 8080, counting only (no target: each rule sees every packet); what reads their
    /// packet counts, in that order.
    static func ownerRules(_ t: Topology, _ matches: [[String]]) throws -> () -> [Int] {
        for match in matches {
            let rule = t.client.exec(["iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", "8080", "-m", "owner"] + match)
            try #require(rule.status == 0, "\(rule)")
        }
        return {
            t.client.exec(["iptables", "-L", "OUTPUT", "-v", "-n", "-x"]).stdout.split(separator: "\n")
                .filter { $0.contains(" owner ") }.compactMap { Int($0.split(separator: " ")[0]) }
        }
    }

    /// The socket is CMD's user's in the kernel's eyes: `iptables -m owner` counts it for
    /// nobody (65534), not for root, whose supervisor made it.
    @Test func anInterceptedSocketIsOwnedByCMDsUser() throws {
        try Topology.with(links: ["a"]) { t in
            let packets = try Self.ownerRules(t, [["--uid-owner", "65534"], ["--uid-owner", "0"]])
            try Self.withStaticWebServer(t) {
                let sent = Self.sent(t)
                // Zeroed: the readiness check before this (root's curl) counted.
                try #require(t.client.exec(["iptables", "-Z", "OUTPUT"]).status == 0)
                try #require(packets() == [0, 0], "\(packets())")
                let fetched = Self.intercepted(t, ["--user", "nobody", "--"] + Self.wget)
                #expect(fetched == CommandResult(status: 0, stdout: "", stderr: ""), "\(fetched)")
                #expect(Self.sent(t) == sent + 1)
                let counted = packets()
                #expect(counted.count == 2 && counted[0] > 0 && counted[1] == 0, "nobody's and root's packets: \(counted)")
            }
        }
    }

    /// A CMD in 3,000 supplementary groups, whose /proc/TID/status is over 20 KiB: its
    /// socket carries every one of them, the last included, as `iptables -m owner
    /// --suppl-groups` sees (the supervisor read 16 KiB: the list was cut near the 2,300th
    /// group and the socket got the groups before, and a bogus one of the cut digits).
    /// A group CMD is not in counts none.
    @Test func anInterceptedSocketCarriesAllOfCMDsGroups() throws {
        let groups = (0..<3000).map { String(100_000 + $0) }
        let watched = [groups[0], groups[2999], "99999"]
        try Topology.with(links: ["a"]) { t in
            let packets = try Self.ownerRules(t, watched.map { ["--gid-owner", $0, "--suppl-groups"] })
            try Self.withStaticWebServer(t) {
                let sent = Self.sent(t)
                try #require(t.client.exec(["iptables", "-Z", "OUTPUT"]).status == 0)
                // setpriv (util-linux) gives CMD the groups, then becomes the static wget.
                let fetched = Self.intercepted(t, ["--", "setpriv", "--groups", groups.joined(separator: ",")] + Self.wget)
                #expect(fetched == CommandResult(status: 0, stdout: "", stderr: ""), "\(fetched)")
                #expect(Self.sent(t) == sent + 1)
                let counted = packets()
                #expect(counted.count == 3 && counted[0] > 0 && counted[1] > 0 && counted[2] == 0,
                        "packets of groups \(watched): \(counted)")
            }
        }
    }

    /// A process of CMD's tree that moves to another cgroup (v2, in a hierarchy mounted
    /// for the test) before its socket(): the supervisor would make the socket in its own
    /// cgroup, so it leaves the call to the kernel as TCP and warns once; with
    /// --no-fallback the call fails with EPERM. CMD's next run, not moved, is MPTCP.
    @Test func aProcessInAnotherCgroupStaysTCPWithAWarning() throws {
        let tag = "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("mptcpctl-test-cgroup2-\(tag)").path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { rmdir(mountPoint) }
        let mounted = Shell.run("mount", ["-t", "cgroup2", "none", mountPoint])
        try #require(mounted.status == 0, "cannot mount cgroup2: \(mounted)")
        defer { _ = Shell.run("umount", [mountPoint]) }
        let cgroup = mountPoint + "/mptcpctl-test-\(tag)"
        try #require(mkdir(cgroup, 0o755) == 0, "mkdir \(cgroup): \(errno)")
        defer { rmdir(cgroup) }
        let moved = ["sh", "-c", "echo $$ > \(cgroup)/cgroup.procs && exec " + Self.wget.joined(separator: " ")]
        let warning = ": the thread moved to another cgroup, and a socket made by the supervisor would carry the supervisor's\n"
        try Topology.with(links: ["a"]) { t in
            try Self.withStaticWebServer(t) {
                let sent = Self.sent(t)
                let stayed = Self.intercepted(t, ["--"] + moved)
                #expect(stayed.status == 0 && stayed.stdout == "" && stayed.stderr.hasPrefix("mptcpctl: warning: run --intercept: a socket of thread ")
                    && stayed.stderr.hasSuffix(" stayed TCP" + warning) && stayed.stderr.filter { $0 == "\n" }.count == 1, "\(stayed)")
                #expect(Self.sent(t) == sent, "the moved process's socket was MPTCP")
                let refused = Self.intercepted(t, ["--no-fallback", "--"] + moved)
                // Two writers, the supervisor and wget: their lines in either order.
                let lines = refused.stderr.split(separator: "\n").map { String($0) + "\n" }
                #expect(refused.status == 1 && lines.count == 2 && lines.contains("wget: socket: Operation not permitted\n")
                    && lines.contains { $0.hasPrefix("mptcpctl: warning: run --intercept: a socket of thread ")
                        && $0.hasSuffix(" failed (EPERM, --no-fallback)" + warning) }, "\(refused)")
                #expect(Self.sent(t) == sent)
                let stayedHome = Self.intercepted(t, Self.wget)
                #expect(stayedHome == CommandResult(status: 0, stdout: "", stderr: ""), "\(stayedHome)")
                #expect(Self.sent(t) == sent + 1)
            }
        }
    }

    /// run started with standard streams closed (`<&- >&-`): its own descriptors then take
    /// the lowest numbers, and the supervisor must still get the listener, not /dev/null
    /// (it failed with ENOTTY, and wget's socket() with ENOSYS). CMD's socket is MPTCP, and
    /// CMD gets the streams as they were given: closed.
    @Test func closedStandardStreamsStillHandTheListenerOver() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("intercept-fds-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // CMD notes which of 0, 1 and 2 it has (by path: opening nothing first, which would
        // take a closed one's number), then becomes the static wget.
        let cmd = ["python3", "-c", "import os, sys; open_ = ' '.join(str(fd) for fd in (0, 1, 2) "
            + "if os.path.exists(f'/proc/self/fd/{fd}')); open(sys.argv[1], 'w').write(open_); "
            + "os.execvp('busybox', ['busybox', 'wget', '-q', '-O', '/dev/null', sys.argv[2]])"]
        try Topology.with(links: ["a"]) { t in
            try Self.withStaticWebServer(t) {
                for (index, (closed, open)) in [("<&- >&-", "2"), ("2>&-", "0 1"), ("<&- >&- 2>&-", "")].enumerated() {
                    let sent = Self.sent(t), file = folder + "/fds-\(index)"
                    let result = t.client.exec(["sh", "-c", "\"$@\" \(closed); echo $?", "sh", Shell.mptcpctl, "run", "--intercept", "--"]
                                               + cmd + [file, Self.url])
                    #expect(result == CommandResult(status: 0, stdout: "0\n", stderr: ""), "\(closed): \(result)")
                    #expect(Self.sent(t) == sent + 1, "\(closed): not MPTCP")
                    #expect((try? String(contentsOfFile: file, encoding: .utf8)) == open, "\(closed): CMD's open streams")
                }
                #expect(waitUntil(seconds: 5, every: 0.05) { Self.supervisors(in: t.client) == 0 }, "a supervisor stayed behind")
            }
        }
    }

    /// net.mptcp.enabled=0: the static program falls back to TCP; with --no-fallback its
    /// socket() fails with the kernel's ENOPROTOOPT ("Protocol not available").
    @Test func fallbackToTCPAndNoFallbackUnderIntercept() throws {
        try Topology.with(links: ["a"]) { t in
            #expect(t.client.exec(["sysctl", "-q", "-w", "net.mptcp.enabled=0"]).status == 0)
            try Self.withStaticWebServer(t) {
                let fallback = Self.intercepted(t, Self.wget)
                #expect(fallback == CommandResult(status: 0, stdout: "", stderr: ""), "\(fallback)")
                let refused = Self.intercepted(t, ["--no-fallback"] + Self.wget)
                #expect(refused == CommandResult(status: 1, stdout: "", stderr: "wget: socket: Protocol not available\n"), "\(refused)")
                #expect(Self.sent(t) == 0)
            }
        }
    }

    /// run exits as CMD does (its status, or its signal), passes SIGTERM on, and refuses
    /// a second filter (EBUSY) with exit 3.
    @Test func statusSignalsAndRefusals() throws {
        try TestNamespace.with { ns in
            let status = RunKernelTests.run(ns, ["--intercept", "sh", "-c", "exit 7"])
            #expect(status == CommandResult(status: 7, stdout: "", stderr: ""), "\(status)")
            let own = RunKernelTests.run(ns, ["--intercept", "sh", "-c", "echo \"$0 $1\"", "-s", "--help"])
            #expect(own == CommandResult(status: 0, stdout: "-s --help\n", stderr: ""), "\(own)")
            let killed = ns.exec(["sh", "-c", "\(Shell.mptcpctl) run --intercept -- \(Self.cleanMask.map { "'\($0)'" }.joined(separator: " ")) "
                                  + "sh -c 'kill -TERM $$'; echo $?"])
            #expect(killed.stdout == "143\n", "\(killed)")
            let forwarded = ns.exec(["sh", "-c", "\(Shell.mptcpctl) run --intercept -- \(Self.cleanMask.map { "'\($0)'" }.joined(separator: " ")) "
                                     + "sleep 60 & p=$!; sleep 0.5; kill -TERM $p; wait $p; echo $?"])
            #expect(forwarded.stdout == "143\n", "\(forwarded)")
            let missing = RunKernelTests.run(ns, ["--intercept", "no-such-program-here"])
            #expect(missing == CommandResult(status: 127, stdout: "", stderr: "mptcpctl: run: no-such-program-here: command not found\n"))
            let nested = RunKernelTests.run(ns, ["--intercept", Shell.mptcpctl, "run", "--intercept", "true"])
            #expect(nested == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: run --intercept: the kernel refused the seccomp "
                + "filter (EBUSY): mptcpctl already runs under a seccomp listener (a container runtime's, or another 'run "
                + "--intercept'); run without --intercept\n"), "\(nested)")
            #expect(waitUntil(seconds: 5, every: 0.05) { Self.supervisors(in: ns) == 0 }, "a supervisor stayed behind")
        }
    }
}
