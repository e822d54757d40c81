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
}
