import Foundation
import Testing

/// `sync` against the real kernel: endpoints that follow addresses as they come and go,
/// the faults, and the writers' lock. Each test runs the daemon in a throwaway namespace
/// with veth interfaces and checks the kernel's endpoints with `ip`.
@Suite(.serialized) struct SyncKernelTests {
    static let addressRules = """
        limits: {subflows: 2, add_addr_accepted: 2}
        endpoints:
          - {address: 10.0.9.1, id: 1, flags: [signal]}
        interfaces:
          - name: "v*"
            flags: [subflow]
          - name: [w0]
            flags: [address, backup]
            families: [ipv4]
        """

    /// The rules: w0's endpoints are `address` ones where the kernel has them (Linux
    /// 6.18); elsewhere `subflow` ones (addressRulesAreRefusedWhereTheKernelLacksThem
    /// asserts the refusal of the others there).
    static var rules: String {
        RunningKernel.hasAddressEndpoints ? addressRules : addressRules.replacingOccurrences(of: "[address, backup]", with: "[subflow, backup]")
    }

    /// w0's endpoint as ip shows it (ip 6.1 prints flag 0x20 as rawflags 20), and as
    /// mptcpctl's plan names it.
    static var w0: String { RunningKernel.hasAddressEndpoints ? "10.2.0.1 backup rawflags 20 dev w0" : "10.2.0.1 subflow backup dev w0" }
    static var w0Added: String { RunningKernel.hasAddressEndpoints ? "add 10.2.0.1 dev w0 backup address" : "add 10.2.0.1 dev w0 subflow backup" }

    /// A private file (sync refuses one others can write).
    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "mptcpctl-sync-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    /// Veth pairs v0/v1, w0/w1 and x0/x1 (all up) and lo up.
    func interfaces(_ ns: TestNamespace) {
        ns.ip("link set lo up")
        for name in ["v", "w", "x"] {
            ns.ip("link add \(name)0 type veth peer name \(name)1")
            ns.ip("link set \(name)0 up")
            ns.ip("link set \(name)1 up")
        }
    }

    /// The endpoints as `ip` lists them, one per line, without ids (the kernel picks them).
    func endpoints(_ ns: TestNamespace) -> [String] {
        ns.ip("mptcp endpoint show").stdout.split(separator: "\n").map { line in
            line.replacing(#/ id \d+/#, with: "").trimmingCharacters(in: .whitespaces)
        }.sorted()
    }

    /// Waits up to `seconds` (times the patience) until the endpoints are `expected`; true if they became so.
    @discardableResult
    func waitFor(_ ns: TestNamespace, _ expected: [String], seconds: Double = 5) -> Bool {
        waitUntil(seconds: seconds, every: 0.005) { endpoints(ns) == expected.sorted() }
    }

    /// Starts `sync` with healing off: these tests pin how the endpoints follow the
    /// interfaces, which is all `--no-heal` does (HealKernelTests has the rest: with
    /// healing, an `address` endpoint is kept while its interface is gone).
    func start(_ ns: TestNamespace, _ file: String, _ options: [String] = [], interval: Int = 30) throws -> Background {
        try Background([Shell.mptcpctl, "-n", ns.name, "sync", "--no-heal", "--interval", String(interval)] + options + [file],
                       readyOn: .stderr, line: "mptcpctl: sync: ready: namespace \(ns.name) follows \(file) (2 interface rule(s)); "
                           + "full check every \(interval) s; healing off")
    }

    static let fixed = "10.0.9.1 signal"

    @Test func addressesComeAndGoWithTheirEndpointsAndFixedEndpointsStay() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sync = try start(ns, file)
            #expect(endpoints(ns) == [Self.fixed])
            ns.ip("address add 10.1.0.1/24 dev v0")
            #expect(waitFor(ns, [Self.fixed, "10.1.0.1 subflow dev v0"]))
            // IPv6: the global address is used, the link-local one (fe80::, made by the kernel) is not.
            ns.ip("address add 2001:db8:1::1/64 dev v0 nodad")
            #expect(waitFor(ns, [Self.fixed, "10.1.0.1 subflow dev v0", "2001:db8:1::1 subflow dev v0"]))
            #expect(ns.ip("-6 address show dev v0 scope link").stdout.contains("fe80::"))
            // A rule's families: w0 takes IPv4 only; its flags.
            ns.ip("address add 10.2.0.1/24 dev w0")
            ns.ip("address add 2001:db8:2::1/64 dev w0 nodad")
            // An interface no rule matches is ignored.
            ns.ip("address add 10.3.0.1/24 dev x0")
            #expect(waitFor(ns, [Self.fixed, "10.1.0.1 subflow dev v0", "2001:db8:1::1 subflow dev v0",
                                 Self.w0]))
            ns.ip("address del 10.1.0.1/24 dev v0")
            #expect(waitFor(ns, [Self.fixed, "2001:db8:1::1 subflow dev v0", Self.w0]))
            // Down: its endpoints go; up: they come back.
            ns.ip("link set w0 down")
            #expect(waitFor(ns, [Self.fixed, "2001:db8:1::1 subflow dev v0"]))
            ns.ip("link set w0 up")
            #expect(waitFor(ns, [Self.fixed, "2001:db8:1::1 subflow dev v0", Self.w0]))
            let result = sync.stop()
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n").map { $0.replacing(#/^\S+Z /#, with: "") }
            #expect(lines == [
                "\(ns.name): add 10.0.9.1 id 1 signal",
                "\(ns.name): set limits add_addr_accepted 0 -> 2",
                "\(ns.name): add 10.1.0.1 dev v0 subflow",
                "\(ns.name): add 2001:db8:1::1 dev v0 subflow",
                "\(ns.name): \(Self.w0Added)",
                "\(ns.name): delete id 2 (10.1.0.1)",
                "\(ns.name): delete id 4 (10.2.0.1)",
                "\(ns.name): \(Self.w0Added)",
            ].map { Substring($0) }, "\(result)")
            #expect(result.stderr.hasSuffix("mptcpctl: sync: stopped by SIGTERM; endpoints left as they are\n"), "\(result)")
            // Stopping leaves the endpoints.
            #expect(endpoints(ns) == [Self.fixed, Self.w0, "2001:db8:1::1 subflow dev v0"])
        }
    }

    @Test func startReconcilesAndTentativeAddressesWait() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            ns.ip("address add 10.1.0.1/24 dev v0")
            ns.ip("mptcp endpoint add 10.7.7.7 id 7 subflow")
            // Duplicate address detection that lasts: the address stays tentative for 10 s.
            #expect(ns.exec(["sysctl", "-qw", "net.ipv6.neigh.v0.retrans_time_ms=10000"]).status == 0)
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sync = try start(ns, file, ["-j"])
            #expect(endpoints(ns) == [Self.fixed, "10.1.0.1 subflow dev v0"])
            ns.ip("address add 2001:db8:1::7/64 dev v0")
            #expect(ns.ip("-6 address show dev v0").stdout.contains("tentative"))
            #expect(!waitFor(ns, [Self.fixed, "10.1.0.1 subflow dev v0", "2001:db8:1::7 subflow dev v0"], seconds: 1))
            let result = sync.stop()
            #expect(result.status == 0)
            let lines = try result.stdout.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(lines.map { $0["text"] as? String } == ["delete id 7 (10.7.7.7)", "add 10.0.9.1 id 1 signal",
                                                             "add 10.1.0.1 dev v0 subflow", "set limits add_addr_accepted 0 -> 2"])
            #expect(lines.allSatisfy { $0["netns"] as? String == ns.name })
            #expect(lines.allSatisfy { ($0["time"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil })
            #expect(lines.map { $0["action"] as? String } == ["delete", "add", "add", "set limits"])
        }
    }

    /// systemd's Type=notify: READY=1 on $NOTIFY_SOCKET once the first reconciliation is done.
    @Test func tellsSystemdItIsReadyAfterTheFirstReconciliation() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            ns.ip("address add 10.1.0.1/24 dev v0")
            let file = try Self.write(Self.rules)
            let socketPath = NSTemporaryDirectory() + "mptcpctl-notify-\(getpid()).sock"
            unlink(socketPath)
            defer { try? FileManager.default.removeItem(atPath: file); unlink(socketPath) }
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in socketPath.utf8.enumerated() { raw[i] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(bound == 0)
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let sync = try Background(["NOTIFY_SOCKET=\(socketPath)", Shell.mptcpctl, "-n", ns.name, "sync", file])
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            #expect(count > 0 && String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self) == "READY=1")
            #expect(endpoints(ns) == [Self.fixed, "10.1.0.1 subflow dev v0"])
            #expect(sync.stop().status == 0)
        }
    }

    @Test func anInterfaceDeletedAndCreatedAgainGetsItsEndpointsWithItsNewIndex() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sync = try start(ns, file)
            ns.ip("address add 10.1.0.1/24 dev v0")
            #expect(waitFor(ns, [Self.fixed, "10.1.0.1 subflow dev v0"]))
            let before = ns.ip("-j link show v0").stdout
            ns.ip("link del v0")
            #expect(waitFor(ns, [Self.fixed]))
            ns.ip("link add v0 type veth peer name v1")
            ns.ip("link set v0 up")
            ns.ip("link set v1 up")
            ns.ip("address add 10.1.0.1/24 dev v0")
            #expect(waitFor(ns, [Self.fixed, "10.1.0.1 subflow dev v0"]))
            #expect(ns.ip("-j link show v0").stdout != before)
            let ifindex = ns.ip("-j link show v0").stdout.firstMatch(of: /"ifindex":(\d+)/)?.1
            #expect(ns.ip("mptcp endpoint show").stdout.contains("dev v0"))
            #expect(ifindex != nil)
            #expect(sync.stop().status == 0)
        }
    }

    @Test func aBurstOfAThousandCyclesEndsExact() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sync = try start(ns, file)
            let batch = NSTemporaryDirectory() + "mptcpctl-burst-\(getpid()).txt"
            let cycles = String(repeating: "address add 10.1.0.5/24 dev v0\naddress del 10.1.0.5/24 dev v0\n", count: 1000)
            try (cycles + "address add 10.1.0.6/24 dev v0\n").write(toFile: batch, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: batch) }
            #expect(ns.ip("-batch \(batch)").status == 0)
            #expect(waitFor(ns, [Self.fixed, "10.1.0.6 subflow dev v0"], seconds: 10))
            pause(seconds: 0.3)
            #expect(endpoints(ns) == [Self.fixed, "10.1.0.6 subflow dev v0"])
            let result = sync.stop()
            #expect(result.status == 0)
            #expect(!result.stderr.contains("refused"), "\(result.stderr)")
        }
    }

    @Test func overrunReadsEverythingAgain() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sync = try start(ns, file)
            // Stopped, it reads nothing while thousands of changes overflow its buffer.
            kill(sync.process.processIdentifier, SIGSTOP)
            let batch = NSTemporaryDirectory() + "mptcpctl-overrun-\(getpid()).txt"
            let cycles = (0..<4000).map { n in
                let address = "10.1.\(n / 250).\(n % 250 + 1)/16 dev v0"
                return "address add \(address)\naddress del \(address)\n"
            }.joined()
            try cycles.write(toFile: batch, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: batch) }
            // Until the kernel counts a drop on sync's subscribed socket (the only one in
            // the namespace with multicast groups): how many changes that takes depends on
            // the kernel's accounting, not on mptcpctl.
            func drops() -> Int {
                ns.exec(["cat", "/proc/net/netlink"]).stdout.split(separator: "\n").dropFirst().reduce(0) { total, line in
                    let fields = line.split(separator: " ")
                    guard fields.count > 8, fields[1] == "0", fields[3] != "00000000" else { return total }
                    return total + (Int(fields[8]) ?? 0)
                }
            }
            for _ in 0..<5 where drops() == 0 {
                #expect(ns.ip("-batch \(batch)").status == 0)
            }
            #expect(drops() > 0, "\(ns.exec(["cat", "/proc/net/netlink"]).stdout)")
            ns.ip("address add 10.1.0.9/24 dev v0")
            kill(sync.process.processIdentifier, SIGCONT)
            #expect(waitFor(ns, [Self.fixed, "10.1.0.9 subflow dev v0"], seconds: 10))
            let result = sync.stop()
            #expect(result.status == 0)
            #expect(result.stderr.contains("mptcpctl: warning: sync: interface changes were lost (rtnetlink receive buffer overran): "
                + "reading every interface and address again\n"), "\(result.stderr)")
        }
    }

    /// The room is the running kernel's (8 endpoints until 7.2, more since): one is the
    /// fixed endpoint, the rest go to the lowest addresses, and two are left out.
    @Test func moreAddressesThanEndpointsKeepsAFixedChoiceAndWarnsOnce() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sync = try start(ns, file)
            let room = RunningKernel.endpointMax - 1
            func host(_ n: Int) -> String { "10.1.\(n / 250).\(n % 250 + 1)" }
            // Added highest first, in one batch: the choice does not depend on the order they came in.
            let batch = NSTemporaryDirectory() + "mptcpctl-room-\(getpid()).txt"
            try (0..<room + 2).reversed().map { "address add \(host($0))/16 dev v0\n" }.joined()
                .write(toFile: batch, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: batch) }
            #expect(ns.ip("-batch \(batch)").status == 0)
            let chosen = ([Self.fixed] + (0..<room).map { "\(host($0)) subflow dev v0" }).sorted()
            #expect(waitFor(ns, chosen, seconds: 10))
            ns.ip("address add \(host(room + 2))/16 dev v0")
            pause(seconds: 0.3)
            #expect(endpoints(ns) == chosen)
            let result = sync.stop()
            let warnings = result.stderr.split(separator: "\n").filter { $0.contains("left out") }
            #expect(warnings.count == 1, "\(result.stderr)")
            #expect(warnings.first?.hasPrefix("mptcpctl: warning: sync: matched addresses do not fit in the kernel's "
                + "\(RunningKernel.endpointMax) endpoints: kept: earlier rules first, then interface name, IPv4 before IPv6, "
                + "lower address; left out now: 10.1.") == true, "\(result.stderr)")
        }
    }

    @Test func sighupWithABadFileKeepsTheRulesAndSigtermExitsZeroAtOnce() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let sync = try start(ns, file)
            try "interfaces:\n  - name: v0\n    flags: [sideways]\n".write(toFile: file, atomically: false, encoding: .utf8)
            kill(sync.process.processIdentifier, SIGHUP)
            #expect(sync.waitFor("keeping the rules read before\n", on: .stderr, seconds: 5))
            ns.ip("address add 10.1.0.1/24 dev v0")
            #expect(waitFor(ns, [Self.fixed, "10.1.0.1 subflow dev v0"]))
            // A good file: its rules from now on.
            try "interfaces:\n  - name: v0\n    flags: [signal]\n".write(toFile: file, atomically: false, encoding: .utf8)
            kill(sync.process.processIdentifier, SIGHUP)
            #expect(waitFor(ns, ["10.1.0.1 signal dev v0"]))
            let started = Date()
            kill(sync.process.processIdentifier, SIGTERM)
            let result = try #require(sync.waitForExit(seconds: 1))
            #expect(Date().timeIntervalSince(started) < 1)
            #expect(result.status == 0)
            #expect(result.stderr.contains("\(file):3:13: unknown flag 'sideways': expected signal, subflow, address (or laminar), backup or fullmesh\n"),
                    "\(result.stderr)")
            #expect(result.stderr.contains("mptcpctl: sync: SIGHUP: \(file) is not valid: keeping the rules read before\n"))
            #expect(endpoints(ns) == ["10.1.0.1 signal dev v0"])
        }
    }

    @Test func theNamespaceGoingAwayExitsThree() throws {
        let ns = try TestNamespace()
        interfaces(ns)
        let file = try Self.write(Self.rules)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let sync = try start(ns, file)
        Shell.run("ip", ["netns", "delete", ns.name])
        let result = try #require(sync.waitForExit(seconds: 2))
        #expect(result.status == 3)
        #expect(result.stderr.hasSuffix("mptcpctl: sync: network namespace '\(ns.name)' was deleted (no /run/netns/\(ns.name) "
            + "or another namespace took its name): stopping\n"), "\(result)")
    }

    @Test func refusesAFileOthersCanWriteAndAnotherManager() throws {
        try TestNamespace.with { ns in
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            chmod(file, 0o664)
            ns.expectFailure("sync \(file)", status: 3, message: "sync: \(file) is writable by group or others (mode 664): anyone "
                + "who can write it decides this host's endpoints; fix: 'chmod go-w \(file)'")
            chmod(file, 0o600)
            chown(file, 65534, 0)
            ns.expectFailure("sync \(file)", status: 3, message: "sync: \(file) is owned by uid 65534, not by root or you: anyone "
                + "who can write it decides this host's endpoints; fix: 'chown root \(file)'")
            chown(file, 0, 0)
            // A private file in a directory others may write: they could swap it.
            let open = try ScratchDirectory(mode: 0o770)
            let swappable = try open.write("sync.yaml", Self.rules)
            ns.expectFailure("sync \(swappable)", status: 3, message: "sync: the directory \(open.path) is writable by group or "
                + "others (mode 770, not sticky): anyone who can write there can put another file in place of the one named and "
                + "decide this host's endpoints; fix: 'chmod go-w \(open.path)', or move the file")
            // A program called mptcpd in the namespace.
            let directory = NSTemporaryDirectory() + "mptcpctl-manager-\(getpid())"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: directory + "/mptcpd")
            // Alive well past the checks below, however slow the machine (stopped at the end).
            let manager = try Background(["ip", "netns", "exec", ns.name, directory + "/mptcpd", String(Int(60 * Background.patience))])
            waitUntil(seconds: 5, every: 0.02) { Shell.run("pgrep", ["-x", "mptcpd", "-n"]).status == 0 }
            let pid = try #require(Int32(Shell.run("pgrep", ["-x", "mptcpd", "-n"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            // By its pid: `ip netns exec` outlives a SIGTERM of its own.
            defer {
                kill(pid, SIGKILL)
                _ = manager.stop()
            }
            // Refused at once; were it to start instead, it is stopped and the processes shown.
            let refused = try Background([Shell.mptcpctl, "-n", ns.name, "sync", file])
            guard let result = refused.waitForExit(seconds: 10) else {
                let ran = refused.stop()
                let processes = Shell.run("ps", ["-eo", "pid,netns,comm,args"]).stdout
                Issue.record("sync did not refuse to run beside mptcpd (pid \(pid)): \(ran)\n\(processes)")
                return
            }
            #expect(result == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: sync: mptcpd (pid \(pid)) runs in namespace \(ns.name) "
                + "and manages MPTCP endpoints too; two managers undo each other's endpoints: stop it (or turn its MPTCP handling off), "
                + "or start sync with --ignore-managers\n"))
            let sync = try start(ns, file, ["--ignore-managers"])
            #expect(sync.stop().status == 0)
        }
    }

    @Test func aLoopOfApplyAndSyncNeverInterleave() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            ns.ip("address add 10.1.0.1/24 dev v0")
            let file = try Self.write(Self.rules)
            let other = try Self.write("endpoints:\n  - {address: 10.5.0.1, flags: [signal]}\n  - {address: 10.5.0.2, flags: [subflow]}\n")
            defer { for path in [file, other] { try? FileManager.default.removeItem(atPath: path) } }
            let sync = try start(ns, file, interval: 1)
            let expected = [Self.fixed, "10.1.0.1 subflow dev v0"]
            // Address changes keep sync busy while apply rewrites the namespace.
            let churn = try Background(["sh", "-c", "for i in $(seq 200); do ip -n \(ns.name) address add 10.1.0.2/24 dev v0; "
                + "ip -n \(ns.name) address del 10.1.0.2/24 dev v0; done"])
            for _ in 0..<40 {
                let result = ns.mptcpctl("apply \(other)")
                #expect(result.status == 0, "\(result)")
            }
            _ = churn.waitForExit(seconds: 30)
            // The next full check puts back what sync was asked for.
            #expect(waitFor(ns, expected, seconds: 3))
            let result = sync.stop()
            #expect(result.status == 0)
            #expect(!result.stderr.contains("refused"), "\(result.stderr)")
        }
    }

    @Test func applyWithRulesPlansFromTheAddressesOfTheMoment() throws {
        try TestNamespace.with { ns in
            interfaces(ns)
            ns.ip("address add 10.1.0.1/24 dev v0")
            ns.ip("address add 10.2.0.1/24 dev w0")
            ns.ip("address add 10.3.0.1/24 dev x0")
            ns.ip("mptcp endpoint add 10.7.7.7 id 7 subflow")
            if !RunningKernel.hasAddressEndpoints {
                // Rules that ask for address endpoints: the clean refusal, everything rolled back.
                let file = try Self.write(Self.addressRules)
                defer { try? FileManager.default.removeItem(atPath: file) }
                let before = ns.state
                let refused = ns.mptcpctl("apply \(file)")
                #expect(refused.status == 4 && refused.stdout.contains("\(ns.name): add 10.2.0.1 dev w0 backup address\n"), "\(refused)")
                #expect(refused.stderr == "mptcpctl: apply: \(ns.name): add 10.2.0.1: this kernel lacks address endpoints "
                    + "(it did not keep flag 0x20; Linux 6.18 or later has them); rolled back: \(ns.name) is as it was before apply\n")
                #expect(ns.state == before)
            }
            let file = try Self.write(Self.rules)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let plan = """
                \(ns.name): delete id 7 (10.7.7.7)
                \(ns.name): add 10.0.9.1 id 1 signal
                \(ns.name): add 10.1.0.1 dev v0 subflow
                \(ns.name): \(Self.w0Added)
                \(ns.name): set limits add_addr_accepted 0 -> 2

                """
            let dryRun = ns.mptcpctl("apply --dry-run \(file)")
            #expect(dryRun == CommandResult(status: 6, stdout: plan,
                                            stderr: "mptcpctl: apply --dry-run: 5 change(s) pending; nothing was changed\n"))
            ns.expectSuccess("apply \(file)", output: plan)
            #expect(endpoints(ns) == [Self.fixed, "10.1.0.1 subflow dev v0", Self.w0])
            ns.expectSuccess("apply \(file)", output: "\(ns.name): no changes\n")
            ns.ip("address del 10.1.0.1/24 dev v0")
            ns.expectSuccess("apply --keep-unlisted \(file)", output: "\(ns.name): no changes\n")
            let last = ns.mptcpctl("apply \(file)")
            #expect(last.status == 0 && last.stdout.wholeMatch(of: #/\S+: delete id \d+ \(10\.1\.0\.1\)\n/#) != nil, "\(last)")
        }
    }

    /// Writers wait for the namespace's lock; readers do not.
    @Test func writersWaitForTheLockAndReadersDoNot() throws {
        try TestNamespace.with { ns in
            var info = stat()
            #expect(stat("/run/netns/\(ns.name)", &info) == 0)
            let path = "/run/mptcpctl/net-\(info.st_ino).lock"
            try FileManager.default.createDirectory(atPath: "/run/mptcpctl", withIntermediateDirectories: true)
            // The test holds the lock itself (flock(2) on its own open file), for as long
            // as a slow guest needs to start two mptcpctl: no child process to stop.
            let holder = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            try #require(holder >= 0 && flock(holder, LOCK_EX) == 0, "\(path): \(String(cString: strerror(errno)))")
            var held = true
            func release() {
                if held { close(holder) }
                held = false
            }
            defer { release() }
            ns.expectSuccess("-j endpoint show", output: "[]\n")
            let writer = try Background([Shell.mptcpctl, "-n", ns.name, "endpoint", "add", "10.0.2.1", "subflow"])
            pause(seconds: 0.5 * Background.patience)
            #expect(writer.process.isRunning)
            #expect(endpoints(ns) == [])
            release()
            let result = try #require(writer.waitForExit(seconds: 5))
            #expect(result == CommandResult(status: 0, stdout: "", stderr: ""))
            #expect(endpoints(ns) == ["10.0.2.1 subflow"])
            // Let go, the lock's file is gone: a namespace written leaves nothing in /run/mptcpctl.
            #expect(access(path, F_OK) != 0)
        }
    }

    /// Writers leave no lock file behind, and a writer that waited on a file its holder
    /// removed does not take that for the lock: it opens the path again and waits for
    /// whoever holds the file the path names now (here the test, as a second holder).
    @Test func lockFilesAreRemovedAndAWaiterOnARemovedOneWaitsAgain() throws {
        try TestNamespace.with { ns in
            var info = stat()
            #expect(stat("/run/netns/\(ns.name)", &info) == 0)
            let path = "/run/mptcpctl/net-\(info.st_ino).lock"
            for line in ["endpoint add 10.0.2.1 subflow", "limits set subflows 3", "endpoint flush"] {
                ns.expectSuccess(line)
                #expect(access(path, F_OK) != 0, "\(line) left \(path)")
            }
            try FileManager.default.createDirectory(atPath: "/run/mptcpctl", withIntermediateDirectories: true)
            var first = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600), second: Int32 = -1
            defer {
                for fd in [first, second] where fd >= 0 { close(fd) }
                unlink(path)
            }
            try #require(first >= 0 && flock(first, LOCK_EX) == 0, "\(path): \(String(cString: strerror(errno)))")
            let writer = try Background([Shell.mptcpctl, "-n", ns.name, "endpoint", "add", "10.0.2.2", "subflow"])
            pause(seconds: 0.5 * Background.patience)
            #expect(writer.process.isRunning)
            // As a holder lets go: the file removed, then closed; meanwhile another
            // writer made the file again and holds it.
            unlink(path)
            second = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            try #require(second >= 0 && flock(second, LOCK_EX) == 0)
            close(first)
            first = -1
            pause(seconds: 0.5 * Background.patience)
            #expect(writer.process.isRunning, "the writer took a lock on a removed file")
            #expect(endpoints(ns) == [])
            close(second)
            second = -1
            let result = try #require(writer.waitForExit(seconds: 5))
            #expect(result == CommandResult(status: 0, stdout: "", stderr: ""))
            #expect(endpoints(ns) == ["10.0.2.2 subflow"])
            #expect(access(path, F_OK) != 0)
        }
    }
}
