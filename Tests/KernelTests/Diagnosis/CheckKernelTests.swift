import Foundation
import Testing

/// `check` against real namespaces: every operator, true and false.
struct CheckKernelTests {
    /// Without address endpoints (before Linux 6.18), 2001:db8::2 is refused as one and
    /// added as a signal endpoint instead: the same operators, on what the kernel has.
    @Test func everyOperatorTrueAndFalse() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 subflow backup")
            let address = ns.expectEndpointAdded("2001:db8::2 address")
            if !address { ns.expectSuccess("endpoint add 2001:db8::2 signal") }
            let (flag, count) = address ? ("address", 1) : ("signal", 0)
            ns.expectSuccess("limits set subflows 4 add_addr_accepted 2")
            ns.expectSuccess("check endpoints==2 address!=\(1 - count) subflow>=1 backup<=1 subflows>3 add_addr_accepted<3 "
                + "signal==\(count == 1 ? 0 : 1) fullmesh==0 implicit==0 endpoint=10.0.2.1:subflow,backup endpoint=2001:db8::2:\(flag) "
                + "endpoint=2001:db8::2")
            let result = ns.mptcpctl("check endpoints==1 address!=\(count) subflow>=2 backup<=0 subflows>4 add_addr_accepted<2 "
                + "endpoint=10.0.2.1:subflow endpoint=10.9.9.9 signal==\(count == 1 ? 0 : 1)")
            #expect(result == CommandResult(status: 5, stdout: """
                check failed: endpoints==1: found endpoints=2
                check failed: address!=\(count): found address=\(count)
                check failed: subflow>=2: found subflow=1
                check failed: backup<=0: found backup=1
                check failed: subflows>4: found subflows=4
                check failed: add_addr_accepted<2: found add_addr_accepted=2
                check failed: endpoint=10.0.2.1:subflow: found 10.0.2.1 (id 1) with flags subflow,backup
                check failed: endpoint=10.9.9.9: found no endpoint with address 10.9.9.9

                """, stderr: "mptcpctl: check: 8 of 9 expectation(s) do not hold\n"))
        }
    }

    @Test func jsonResultsAndBadExpectations() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("check -j address==0", output:
                #"[{"netns":"\#(ns.name)","expectation":"address==0","holds":true,"found":"address=0"}]"# + "\n")
            ns.expectFailure("check address=1", status: 2, message: "check: bad operator in 'address=1': use ==, !=, >=, <=, > or <")
            ns.expectFailure("check", status: 2, message: "check: missing EXPECTATION: e.g. 'address>=1' or endpoint=10.0.2.1:address")
        }
    }

    @Test func everyNamespace() throws {
        try TestNamespace.with { a in
            try TestNamespace.with { b in
                // Without address endpoints: refused, and a subflow endpoint to check for instead.
                let flag = a.expectEndpointAdded("10.0.2.1 address") ? "address" : "subflow"
                if flag == "subflow" { a.expectSuccess("endpoint add 10.0.2.1 subflow") }
                let result = Shell.run(Shell.mptcpctl, ["check", "--all-netns", "\(flag)==1"])
                #expect(result.status == 5)
                #expect(result.stdout.contains("check failed in \(b.name): \(flag)==1: found \(flag)=0\n"))
                #expect(!result.stdout.contains("in \(a.name):"))
            }
        }
    }

    /// program=NAME matches the name the kernel keeps, 15 bytes: mptcp-peer started as
    /// "mptcp-peer-client-long" (a link to it) is "mptcp-peer-clie" in /proc/PID/comm;
    /// the long name and those 15 bytes match, shorter prefixes do not.
    @Test func programMatchesTheNameTheKernelKeeps() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let link = directory + "/mptcp-peer-client-long"
        #expect(symlink(Topology.peer, link) == 0)
        try Topology.with(links: ["a"]) { t in
            #expect(t.client.mptcpctl("check program=mptcp-peer-client-long")
                == CommandResult(status: 5, stdout: "check failed: program=mptcp-peer-client-long: found no MPTCP connection\n",
                                 stderr: "mptcpctl: check: 1 of 1 expectation(s) do not hold\n"))
            let server = try t.startServer()
            let client = try Background(["ip", "netns", "exec", t.client.name, link, "client", Topology.server("a"), "8080",
                                         "--connections", "1", "--bytes", "10000", "--hold", String(Int(60_000 * Background.patience)),
                                         "--stdin"], input: true)
            defer {
                client.closeInput()
                _ = client.waitForExit(seconds: 10)
                _ = server.waitForExit(seconds: 5)
            }
            waitUntil(seconds: 10, every: 0.05) { t.client.mptcpctl("check program=mptcp-peer-client-long").status == 0 }
            #expect(t.client.mptcpctl("check program=mptcp-peer-client-long program=mptcp-peer-clie")
                == CommandResult(status: 0, stdout: "", stderr: ""))
            let found = "found MPTCP connections held by mptcp-peer-clie (pid \(client.process.processIdentifier))"
            #expect(t.client.mptcpctl("check program=mptcp-peer-cli program=mptcp-peer") == CommandResult(status: 5, stdout: """
                check failed: program=mptcp-peer-cli: \(found)
                check failed: program=mptcp-peer: \(found)

                """, stderr: "mptcpctl: check: 2 of 2 expectation(s) do not hold\n"))
        }
    }

    /// `path=` and `stalled_subflows` on real traffic (TopKernelTests' shaped upload over
    /// a and b): a black hole on b (its acknowledgements dropped in the client's
    /// namespace) leaves b's subflow established but stalled, so `path=C(b)>S(b)` fails
    /// while `path=C(a)>S(a)` holds. Then, everything black-holed, the client is killed:
    /// its connection, which the kernel still winds down and no process holds, is marked
    /// orphan by `connections` and not counted by `connections==0`.
    @Test func aBlackHoledPathIsNoPathAndAClosedConnectionNoConnection() throws {
        try TopKernelTests.withUpload(settled: false) { t, upload in
            let ca = Topology.client("a"), cb = Topology.client("b"), sa = Topology.server("a"), sb = Topology.server("b")
            func resultOnceItHolds(_ line: String, holds: Bool = true) -> CommandResult {
                var result = CommandResult(status: -1, stdout: "", stderr: "")
                waitUntil(seconds: 15, every: 0.1) {
                    result = t.client.mptcpctl(line)
                    return (result.status == 0) == holds
                }
                return result
            }
            let both = "check path=\(cb)>\(sb) path=\(ca)>\(sa) live_subflows==2 connections==1"
            #expect(resultOnceItHolds(both + " stalled_subflows==0") == CommandResult(status: 0, stdout: "", stderr: ""))
            try #require(t.client.exec(["iptables", "-A", "INPUT", "-i", "cb", "-j", "DROP"]).status == 0)
            #expect(resultOnceItHolds("check stalled_subflows==1").status == 0)
            let failed = t.client.mptcpctl(both)
            #expect(failed.status == 5 && failed.stderr == "mptcpctl: check: 1 of 4 expectation(s) do not hold\n", "\(failed)")
            #expect(failed.stdout.hasPrefix("check failed: path=\(cb)>\(sb): found established subflows ")
                && failed.stdout.contains("\(cb)>\(sb) (stalled/") && failed.stdout.components(separatedBy: "\n").count == 2, "\(failed)")

            try #require(t.client.exec(["iptables", "-A", "INPUT", "-i", "ca", "-j", "DROP"]).status == 0)
            kill(upload.process.processIdentifier, SIGKILL)
            _ = upload.waitForExit(seconds: 10)
            let orphan = resultOnceItHolds("check connections==0")
            #expect(orphan == CommandResult(status: 0, stdout: "", stderr: ""), "\(orphan)")
            let listed = t.client.mptcpctl("connections")
            #expect(listed.status == 0 && listed.stdout.hasPrefix("token ") && listed.stdout.contains("  orphan"), "\(listed)")
            #expect(t.client.mptcpctl("-j connections").stdout.contains(#""orphan":true"#))
            // Let the kernel finish it: the server reads to the end and exits.
            _ = t.client.exec(["iptables", "-F", "INPUT"])
        }
    }
}
