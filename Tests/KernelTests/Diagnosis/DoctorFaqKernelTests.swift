import Foundation
import Testing

/// The `doctor` findings for what people hit most (the mptcp_net-next FAQ issues): each
/// produced by a real configuration, and gone once its own `fix` command has run.
struct DoctorFaqKernelTests {
    /// The findings doctor reports (check names and fix commands), and its exit code.
    func findings(_ ns: TestNamespace) throws -> (checks: [String], fixes: [String], status: Int32) {
        let result = ns.mptcpctl("doctor -j")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result)")
        let list = try #require(json["findings"] as? [[String: String]])
        return (list.compactMap { $0["check"] }, list.compactMap { $0["fix"] }, result.status)
    }

    /// Runs a fix as a user would paste it: commands separated by "; ".
    func run(fix: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for command in fix.components(separatedBy: "; ") {
            var words = Shell.words(command)
            let program = words.removeFirst()
            let result = Shell.run(program == "mptcpctl" ? Shell.mptcpctl : program, words)
            #expect(result.status == 0, "\(command): \(result)", sourceLocation: sourceLocation)
        }
    }

    /// Expects exactly `check` with `fix`, runs the fix, and expects no finding after;
    /// besides the ones every namespace has on this kernel (`RunningKernel.standingFindings`,
    /// the least severe, so last).
    func expectFixed(_ ns: TestNamespace, _ check: String, status: Int32, fix: String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try findings(ns)
        #expect(before.checks == [check] + RunningKernel.standingFindings, sourceLocation: sourceLocation)
        #expect(before.fixes == [fix] + RunningKernel.standingFixes, sourceLocation: sourceLocation)
        #expect(before.status == status, sourceLocation: sourceLocation)
        run(fix: fix, sourceLocation: sourceLocation)
        let after = try findings(ns)
        #expect(after.checks == RunningKernel.standingFindings, sourceLocation: sourceLocation)
        #expect(after.status == 0, sourceLocation: sourceLocation)
    }

    /// A second veth pair w0/w1, up, with `address` on w0 (extra words after it).
    func addSecondInterface(_ ns: TestNamespace, address: String) {
        ns.ip("link add w0 type veth peer name w1")
        ns.ip("link set w0 up")
        ns.ip("link set w1 up")
        ns.ip("address add \(address) dev w0 nodad")
    }

    @Test func subflowsLimitZeroKillsEveryEndpointType() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            ns.expectSuccess("limits set subflows 0")
            let text = ns.mptcpctl("doctor")
            #expect(text.stdout.contains("ERROR subflows-limit-zero: the subflows limit is 0: none of the 1 endpoint(s) can add a subflow, and no join is accepted\n"))
            try expectFixed(ns, "subflows-limit-zero", status: 5, fix: "mptcpctl -n \(ns.name) limits set subflows 1")
        }
    }

    @Test func strictReversePathFilterOnTheEndpointsInterface() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            ns.exec(["sysctl", "-qw", "net.ipv4.conf.v0.rp_filter=1"])
            try expectFixed(ns, "strict-rp-filter", status: 0, fix: "ip netns exec \(ns.name) sysctl -w net.ipv4.conf.v0.rp_filter=2")
        }
    }

    @Test func anEndpointBoundToAnotherInterfaceThanItsAddress() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            addSecondInterface(ns, address: "10.0.3.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 dev w0 id 4 subflow backup")
            try expectFixed(ns, "address-on-other-interface", status: 0, fix: "mptcpctl -n \(ns.name) endpoint delete id 4; "
                + "mptcpctl -n \(ns.name) endpoint add 10.0.2.1 dev v0 id 4 subflow backup")
            #expect(ns.mptcpctl("-j endpoint show").stdout.contains(#""dev":"v0""#))
        }
    }

    @Test func aLinkLocalEndpointWithoutDevice() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.ip("address add fe80::1234/64 dev v0 nodad")
            ns.expectSuccess("endpoint add fe80::1234 id 2 subflow")
            try expectFixed(ns, "link-local-without-dev", status: 5, fix: "mptcpctl -n \(ns.name) endpoint delete id 2; "
                + "mptcpctl -n \(ns.name) endpoint add fe80::1234 dev v0 id 2 subflow")
        }
    }

    @Test func theEndpointsInterfaceIsDown() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            ns.ip("link set v0 down")
            try expectFixed(ns, "interface-down", status: 5, fix: "ip -n \(ns.name) link set v0 up")
        }
    }

    @Test func noRouteLeavesByTheEndpointsInterface() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            addSecondInterface(ns, address: "10.0.4.1/24 noprefixroute")
            ns.expectSuccess("endpoint add 10.0.4.1 subflow")
            let found = try findings(ns)
            #expect(found.checks == ["no-route"] + RunningKernel.standingFindings)
            #expect(found.fixes == ["ip -n \(ns.name) route add NETWORK dev w0 src 10.0.4.1"] + RunningKernel.standingFixes)
            ns.ip("route add 10.0.4.0/24 dev w0 src 10.0.4.1")
            #expect(try findings(ns).checks == RunningKernel.standingFindings)
        }
    }

    /// A process named mptcpd in the namespace (a copy of sleep standing in for it); one
    /// in another namespace does not count.
    @Test func anotherManagerRunsInTheNamespace() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mptcpctl-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let fake = directory.appendingPathComponent("mptcpd").path
            try FileManager.default.copyItem(atPath: "/bin/sleep", toPath: fake)
            let elsewhere = try Background([fake, "8"])
            #expect(try findings(ns).checks == RunningKernel.standingFindings)
            let daemon = try Background(["ip", "netns", "exec", ns.name, fake, "8"])
            var found: (checks: [String], fixes: [String], status: Int32) = ([], [], -1)
            try waitUntil(seconds: 5, every: 0.02) {
                found = try findings(ns)
                return found.checks != RunningKernel.standingFindings
            }
            #expect(found.checks == ["other-manager"] + RunningKernel.standingFindings)
            #expect(found.fixes == ["systemctl stop mptcpd (or let mptcpd own the endpoints)"] + RunningKernel.standingFixes)
            #expect(found.status == 0)
            let text = ns.mptcpctl("doctor").stdout
            #expect(text.contains("WARNING other-manager: mptcpd (pid \(daemon.process.processIdentifier)) runs in this namespace"), "\(text)")
            _ = daemon.stop()
            _ = elsewhere.stop()
            #expect(try findings(ns).checks == RunningKernel.standingFindings)
        }
    }
}
