import Foundation
import Testing

/// State written by one client and read by the other: Debian's `ip` (iproute2 6.1,
/// which predates the address flag and shows it as `rawflags 20`) and mptcpctl.
struct CrossCheckKernelTests {
    @Test func whatMptcpctlWritesIpReads() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 subflow backup")
            // Without address endpoints (before Linux 6.18): refused, and a signal endpoint instead.
            let address = ns.expectEndpointAdded("10.0.2.2 id 2 address")
            if !address { ns.expectSuccess("endpoint add 10.0.2.2 id 2 signal") }
            ns.expectSuccess("endpoint add 10.0.5.1 id 3 signal port 10100 dev v0")
            ns.expectSuccess("endpoint add 2001:db8::4 id 4 subflow fullmesh")
            ns.expectSuccess("limits set subflows 5 add_addr_accepted 3")
            #expect(ns.ip("mptcp endpoint show").stdout == """
                10.0.2.1 id 1 subflow backup \n10.0.2.2 id 2 \(address ? "rawflags 20" : "signal") \n\
                10.0.5.1 port 10100 id 3 signal dev v0 \n2001:db8::4 id 4 subflow fullmesh \n
                """)
            #expect(ns.ip("mptcp limits show").stdout == "add_addr_accepted 3 subflows 5 \n")
        }
    }

    @Test func whatIpWritesMptcpctlReads() throws {
        try TestNamespace.with { ns in
            ns.ip("mptcp endpoint add 10.0.2.1 id 7 subflow backup")
            ns.ip("mptcp endpoint add 2001:db8::8 signal")
            ns.ip("mptcp limits set subflows 1 add_addr_accepted 6")
            ns.expectSuccess("endpoint show", output: """
                ID  ADDRESS      PORT  FLAGS           DEV
                7   10.0.2.1     -     subflow,backup  -
                8   2001:db8::8  -     signal          -

                endpoints  2: signal 1  subflow 1  address 0  fullmesh 0  backup 1
                limits     subflows 1  add_addr_accepted 6

                """)
        }
    }

    /// A script written for `ip -j mptcp endpoint show` finds every key and value it
    /// knows in mptcpctl's JSON.
    @Test func ipJSONIsASubsetOfOurs() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 subflow backup dev v0")
            ns.expectSuccess("endpoint add 10.0.5.1 signal port 10100")
            ns.expectSuccess("endpoint add 2001:db8::3 subflow fullmesh")
            let theirs = try JSONSerialization.jsonObject(with: Data(ns.ip("-j mptcp endpoint show").stdout.utf8)) as? [[String: Any]]
            let ours = try JSONSerialization.jsonObject(with: Data(ns.mptcpctl("-j endpoint show").stdout.utf8)) as? [[String: Any]]
            let ipRows = try #require(theirs)
            let ourRows = try #require(ours)
            #expect(ipRows.count == 3 && ourRows.count == 3)
            for (ip, us) in zip(ipRows, ourRows) {
                for (key, value) in ip {
                    #expect("\(us[key] ?? "missing")" == "\(value)", "key \(key)")
                }
            }
        }
    }
}
