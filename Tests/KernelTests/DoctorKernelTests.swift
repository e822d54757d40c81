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

    func expectFindings(_ ns: TestNamespace, _ checks: [String], status: Int32,
                        sourceLocation: SourceLocation = #_sourceLocation) throws {
        let found = try findings(ns)
        #expect(found.checks == checks, sourceLocation: sourceLocation)
        #expect(found.status == status, sourceLocation: sourceLocation)
    }

    @Test func aCleanNamespaceHasNoFindings() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 address")
            ns.expectSuccess("limits set add_addr_accepted 1")
            ns.expectSuccess("doctor", output: "namespace \(ns.name): no findings\n")
        }
    }

    @Test func addressEndpointsWithNoAcceptedAnnouncements() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 address")
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

                """, stderr: ""))
            ns.expectSuccess("endpoint delete id 4")
            try expectFindings(ns, [], status: 0)
        }
    }

    @Test func moreAddressEndpointsThanSubflows() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            for n in 2...3 { ns.ip("address add 10.0.2.\(n)/24 dev v0 nodad") }
            for n in 1...3 { ns.expectSuccess("endpoint add 10.0.2.\(n) address") }
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
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 address")
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
            ns.exec(["sysctl", "-qw", "net.mptcp.enabled=0"])
            try expectFindings(ns, ["mptcp-disabled"], status: 5)
            ns.exec(["sysctl", "-qw", "net.mptcp.enabled=1"])
            ns.exec(["sysctl", "-qw", "net.mptcp.path_manager=userspace"])
            try expectFindings(ns, ["userspace-path-manager"], status: 5)
            ns.exec(["sysctl", "-qw", "net.mptcp.path_manager=kernel"])
            try expectFindings(ns, [], status: 0)
        }
    }
}
