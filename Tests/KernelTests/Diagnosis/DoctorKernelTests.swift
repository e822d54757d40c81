import Foundation
import Testing

/// Each `doctor` finding produced by a real configuration, and gone once fixed.
struct DoctorKernelTests {
    /// The finding names doctor reports for the namespace, and its exit code.
    func findings(_ ns: TestNamespace) throws -> (checks: [String], status: Int32) {
        let result = ns.mptcpctl("doctor -j")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
        let list = try #require(json["findings"] as? [[String: String]])
        return (list.compactMap { $0["check"] }, result.status)
    }

    /// Expects `checks`, then the findings every namespace has on this kernel
    /// (`RunningKernel.standingFindings`: the least severe, so last).
    func expectFindings(_ ns: TestNamespace, _ checks: [String], status: Int32,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = try findings(ns)
        #expect(found.checks == checks + RunningKernel.standingFindings, sourceLocation: sourceLocation)
        #expect(found.status == status, sourceLocation: sourceLocation)
    }

    /// The INFO a kernel without address endpoints (before Linux 6.18) adds to every
    /// namespace's text, or nothing.
    static var standingText: String {
        RunningKernel.hasAddressEndpoints ? "" : """
              INFO address-counter-unavailable: the kernel does not report the address-endpoint counter in MPTCP_INFO \
            (a kernel older than Linux 6.18): address endpoints are not supported
                fix: run Linux 6.18 or later

            """
    }

    /// Without address endpoints (before Linux 6.18): refused, and a subflow endpoint
    /// instead, which leaves only the finding that the kernel lacks them.
    @Test func aCleanNamespaceHasNoFindings() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            let address = ns.expectEndpointAdded("10.0.2.1 address")
            if !address { ns.expectSuccess("endpoint add 10.0.2.1 subflow") }
            ns.expectSuccess("limits set add_addr_accepted 1")
            ns.expectSuccess("doctor", output: address ? "namespace \(ns.name): no findings\n" : "namespace \(ns.name):\n" + Self.standingText)
        }
    }

    @Test func addressEndpointsWithNoAcceptedAnnouncements() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            guard ns.expectEndpointAdded("10.0.2.1 address") else { return }   // the refusal, asserted
            let result = ns.mptcpctl("doctor")
            #expect(result == CommandResult(status: 5, stdout: """
                namespace \(ns.name):
                  ERROR address-ignored: 1 address endpoint(s) but add_addr_accepted is 0: the peer's announced addresses are ignored, so the address endpoints are never used
                    fix: mptcpctl -n \(ns.name) limits set add_addr_accepted 1

                """, stderr: "mptcpctl: doctor: 1 error(s) found; each says what to run to fix it\n"))
            ns.expectSuccess("limits set add_addr_accepted 1")
            try expectFindings(ns, [], status: 0)
        }
    }

    /// An endpoint whose address no subflow can use, as `ip` adds it: one finding, with
    /// its fix, and nothing more about it; gone once fixed.
    @Test func anUnusableAddress() throws {
        try TestNamespace.with { ns in
            #expect(ns.ip("mptcp endpoint add 224.0.0.1 id 4 signal").status == 0)
            let result = ns.mptcpctl("doctor")
            #expect(result == CommandResult(status: 0, stdout: """
                namespace \(ns.name):
                  WARNING unusable-address: endpoint 4: 224.0.0.1 is a multicast address: no subflow can start from it or reach it, \
                so the endpoint adds no path
                    fix: mptcpctl -n \(ns.name) endpoint delete id 4

                """ + Self.standingText, stderr: ""))
            ns.expectSuccess("endpoint delete id 4")
            try expectFindings(ns, [], status: 0)
        }
    }

    @Test func moreAddressEndpointsThanSubflows() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            for n in 2...3 { ns.ip("address add 10.0.2.\(n)/24 dev v0 nodad") }
            // Without address endpoints (before Linux 6.18): the refusal, and nothing to diagnose.
            guard ns.expectEndpointAdded("10.0.2.1 address") else { return }
            for n in 2...3 { ns.expectSuccess("endpoint add 10.0.2.\(n) address") }
            ns.expectSuccess("limits set add_addr_accepted 3")
            try expectFindings(ns, ["address-over-subflows"], status: 0)
            ns.expectSuccess("limits set subflows 3")
            try expectFindings(ns, [], status: 0)
        }
    }

    @Test func fullmeshTakesPrecedence() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.ip("address add 10.0.2.2/24 dev v0 nodad")
            // Without address endpoints (before Linux 6.18): the refusal; fullmesh has
            // nothing to take precedence over.
            guard ns.expectEndpointAdded("10.0.2.1 id 1 address") else { return }
            ns.expectSuccess("endpoint add 10.0.2.2 id 2 subflow fullmesh")
            ns.expectSuccess("limits set add_addr_accepted 1")
            try expectFindings(ns, ["fullmesh-precedence"], status: 0)
            #expect(ns.mptcpctl("doctor").stdout.contains("fix: mptcpctl -n \(ns.name) endpoint change id 2 nofullmesh"))
            ns.expectSuccess("endpoint change id 2 nofullmesh")
            try expectFindings(ns, [], status: 0)
        }
    }

    @Test func anAddressNotConfiguredAndADeviceThatIsGone() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.9 id 9 subflow")
            try expectFindings(ns, ["address-not-configured"], status: 0)
            ns.ip("address add 10.0.2.9/24 dev v0 nodad")
            try expectFindings(ns, [], status: 0)
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 subflow dev v0")
            try expectFindings(ns, [], status: 0)
            ns.ip("link delete v0")
            let gone = try findings(ns)
            #expect(gone.status == 5)
            #expect(gone.checks.filter { $0 == "device-missing" }.count == 1)
            ns.expectSuccess("endpoint flush")
            try expectFindings(ns, [], status: 0)
        }
    }

    @Test func mptcpDisabledOrAUserspacePathManager() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            // Neither has the standing findings: with MPTCP off or another path manager,
            // MPTCP_INFO says nothing.
            #expect(ns.exec(["sysctl", "-qw", "net.mptcp.enabled=0"]).status == 0)
            var found = try findings(ns)
            #expect(found.checks == ["mptcp-disabled"] && found.status == 5)
            #expect(ns.exec(["sysctl", "-qw", "net.mptcp.enabled=1"]).status == 0)
            // net.mptcp.path_manager (Linux 6.15), pm_type before; the fix is the running kernel's.
            #expect(ns.exec(["sysctl", "-qw", RunningKernel.pathManagerSysctl(userspace: true)]).status == 0)
            found = try findings(ns)
            #expect(found.checks == ["userspace-path-manager"] && found.status == 5)
            #expect(ns.mptcpctl("doctor").stdout.contains(
                "fix: ip netns exec \(ns.name) sysctl -w \(RunningKernel.pathManagerSysctl(userspace: false))\n"))
            #expect(ns.exec(["sysctl", "-qw", RunningKernel.pathManagerSysctl(userspace: false)]).status == 0)
            try expectFindings(ns, [], status: 0)
        }
    }

    // MARK: live problems (issue 30)

    /// Waits (up to 15 s, times the patience) until `done` says yes of `line`'s result.
    static func waitFor(_ ns: TestNamespace, _ line: String, _ done: (CommandResult) -> Bool) -> CommandResult {
        var result = CommandResult(status: -1, stdout: "", stderr: "")
        waitUntil(seconds: 15, every: 0.1) {
            result = ns.mptcpctl(line)
            return done(result)
        }
        return result
    }

    /// A lost path: a client with a `subflow` endpoint on each link; the connection's
    /// subflow over b killed (`ss -K`, as a reset would): the kernel never opens it
    /// again, doctor says so (exit 5) with the fix, and the fix — the endpoint deleted
    /// and added again — brings it back.
    @Test func aLostPathAndItsFix() throws {
        try Topology.with(links: ["a", "b"]) { t in
            let ca = Topology.client("a"), cb = Topology.client("b"), sa = Topology.server("a")
            t.server.expectSuccess("limits set subflows 2")
            t.client.expectSuccess("limits set subflows 2")
            t.client.expectSuccess("endpoint add \(ca) dev ca id 4 subflow")
            t.client.expectSuccess("endpoint add \(cb) dev cb id 5 subflow")
            let server = try t.startServer()
            let client = try Background(["ip", "netns", "exec", t.client.name, Topology.peer, "client", sa, "8080", "--bytes", "1000",
                                         "--hold", String(Int(60_000 * Background.patience)), "--stdin"], input: true)
            defer {
                client.closeInput()
                _ = client.waitForExit(seconds: 10)
                _ = server.waitForExit(seconds: 5)
            }
            #expect(Self.waitFor(t.client, "check live_subflows==2") { $0.status == 0 }.status == 0)
            try expectFindings(t.client, [], status: 0)
            let killed = t.client.exec(["ss", "-K", "-t", "src", cb])
            try #require(killed.status == 0, "ss -K: \(killed)")
            let doctor = Self.waitFor(t.client, "doctor") { $0.status == 5 }
            let tool = "mptcpctl -n \(t.client.name)"
            #expect(doctor.status == 5 && doctor.stdout.contains("  ERROR lost-path: 1 connection(s) (token ")
                && doctor.stdout.contains(") have no subflow from endpoint 5 (\(cb)) though cb is up: the path was lost, "
                    + "and the kernel never opens it again\n    fix: \(tool) endpoint delete id 5; \(tool) endpoint add \(cb) dev cb id 5 subflow"),
                    "\(doctor)")
            #expect(doctor.stderr == "mptcpctl: doctor: 1 error(s) found; each says what to run to fix it\n")
            // The fix, as doctor words it.
            t.client.expectSuccess("endpoint delete id 5")
            t.client.expectSuccess("endpoint add \(cb) dev cb id 5 subflow")
            #expect(Self.waitFor(t.client, "check live_subflows==2") { $0.status == 0 }.status == 0)
            try expectFindings(t.client, [], status: 0)
        }
    }

    /// A server that announces S(b) while it listens on S(a) only refuses every join to
    /// S(b): doctor says so (exit 5); listening on every address fixes it.
    @Test func aSignalEndpointNoListenerAccepts() throws {
        try Topology.with(links: ["a", "b"]) { t in
            let sa = Topology.server("a"), sb = Topology.server("b")
            t.server.expectSuccess("endpoint add \(sb) id 1 signal")
            let bound = try t.startServer(listen: sa)
            try expectFindings(t.server, ["signal-without-listener"], status: 5)
            let doctor = t.server.mptcpctl("doctor")
            #expect(doctor.stdout.hasPrefix("""
                namespace \(t.server.name):
                  ERROR signal-without-listener: signal endpoint 1 (\(sb)) is announced, but the MPTCP listener(s) on port 8080 \
                accept only \(sa): every join to \(sb) is refused
                    fix: make the server on port 8080 listen on 0.0.0.0 (every address), or on \(sb) too
                """), "\(doctor)")
            // (A server ends once it served a connection: SIGTERM does not reach it here.)
            t.connect()
            _ = bound.waitForExit(seconds: 5)
            let everywhere = try t.startServer(listen: "0.0.0.0")
            try expectFindings(t.server, [], status: 0)
            t.connect()
            _ = everywhere.waitForExit(seconds: 5)
        }
    }

    /// A black hole on b during an upload (b's acknowledgements dropped in the client's
    /// namespace): its only subflow there is stalled, while the link is up. A warning
    /// with the probe to run; and the recipe (an endpoint on b only) cannot reopen the
    /// initial path over a.
    @Test func aStalledPathAndAnInitialPathNothingReopens() throws {
        try TopKernelTests.withUpload(settled: false) { t, _ in
            let ca = Topology.client("a"), sb = Topology.server("b")
            let clean = try findings(t.client)
            #expect(clean.checks == ["initial-path-unhealable"] + RunningKernel.standingFindings && clean.status == 0, "\(clean)")
            try #require(t.client.exec(["iptables", "-A", "INPUT", "-i", "cb", "-j", "DROP"]).status == 0)
            let doctor = Self.waitFor(t.client, "doctor") { $0.stdout.contains("stalled-path") }
            #expect(doctor.status == 0 && doctor.stdout.contains("  WARNING stalled-path: 1 connection(s) have no working subflow on cb: "
                + "their subflows there are stalled ("), "\(doctor)")
            #expect(doctor.stdout.contains("    fix: ip netns exec \(t.client.name) ping -c 3 -I cb \(sb); once it answers: "), "\(doctor)")
            #expect(doctor.stdout.contains("  WARNING initial-path-unhealable: 1 connection(s) began from \(ca) (ca), which no subflow "
                + "endpoint has: when that initial path fails, nothing can open it again\n    fix: mptcpctl -n \(t.client.name) endpoint add "
                + "\(ca) dev ca subflow"), "\(doctor)")
            _ = t.client.exec(["iptables", "-F", "INPUT"])
        }
    }
}
