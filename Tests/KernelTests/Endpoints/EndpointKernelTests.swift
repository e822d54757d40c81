import Foundation
import Testing

/// Every endpoint command against the real kernel, in throwaway namespaces.
struct EndpointKernelTests {
    @Test func aNewNamespaceShowsNoEndpointsAndTheDefaultLimits() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint show", output: """
                no endpoints

                endpoints  0: signal 0  subflow 0  address 0  fullmesh 0  backup 0
                limits     subflows 2  add_addr_accepted 0

                """)
            ns.expectSuccess("endpoint show -j", output: "[]\n")
            ns.expectSuccess("endpoint", output: ns.mptcpctl("endpoint show").stdout)
        }
    }

    /// Without address endpoints (before Linux 6.18) both address lines are refused,
    /// and the others are added as on 6.18.
    @Test func everyFlagIsAddedShownAndCounted() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 signal")
            ns.expectSuccess("endpoint add 10.0.2.2 subflow")
            ns.expectSuccess("endpoint add 10.0.2.3 subflow backup")
            ns.expectSuccess("endpoint add 10.0.2.4 subflow fullmesh")
            let address = ns.expectEndpointAdded("10.0.2.5 address")
            if address {
                ns.expectSuccess("endpoint add 2001:db8::6 laminar")
            } else {
                ns.expectNoAddressEndpoints("endpoint add 2001:db8::6 laminar")
            }
            ns.expectSuccess("endpoint add 10.0.2.7")
            ns.expectSuccess("endpoint add 10.0.2.8 signal backup nofullmesh")
            guard address else {
                ns.expectSuccess("endpoint show", output: """
                    ID  ADDRESS   PORT  FLAGS             DEV
                    1   10.0.2.1  -     signal            -
                    2   10.0.2.2  -     subflow           -
                    3   10.0.2.3  -     subflow,backup    -
                    4   10.0.2.4  -     subflow,fullmesh  -
                    5   10.0.2.7  -     -                 -
                    6   10.0.2.8  -     signal,backup     -

                    endpoints  6: signal 2  subflow 3  address 0  fullmesh 1  backup 2
                    limits     subflows 2  add_addr_accepted 0

                    """)
                return
            }
            ns.expectSuccess("endpoint show", output: """
                ID  ADDRESS      PORT  FLAGS             DEV
                1   10.0.2.1     -     signal            -
                2   10.0.2.2     -     subflow           -
                3   10.0.2.3     -     subflow,backup    -
                4   10.0.2.4     -     subflow,fullmesh  -
                5   10.0.2.5     -     address           -
                6   2001:db8::6  -     address           -
                7   10.0.2.7     -     -                 -
                8   10.0.2.8     -     signal,backup     -

                endpoints  8: signal 2  subflow 3  address 2  fullmesh 1  backup 2
                limits     subflows 2  add_addr_accepted 0

                """)
            ns.expectSuccess("endpoint show -j", output: "["
                + #"{"address":"10.0.2.1","id":1,"signal":true,"ifindex":0,"flags":["signal"]},"#
                + #"{"address":"10.0.2.2","id":2,"subflow":true,"ifindex":0,"flags":["subflow"]},"#
                + #"{"address":"10.0.2.3","id":3,"subflow":true,"backup":true,"ifindex":0,"flags":["subflow","backup"]},"#
                + #"{"address":"10.0.2.4","id":4,"subflow":true,"fullmesh":true,"ifindex":0,"flags":["subflow","fullmesh"]},"#
                + #"{"address":"10.0.2.5","id":5,"laminar":true,"ifindex":0,"flags":["address"]},"#
                + #"{"address":"2001:db8::6","id":6,"laminar":true,"ifindex":0,"flags":["address"]},"#
                + #"{"address":"10.0.2.7","id":7,"ifindex":0,"flags":[]},"#
                + #"{"address":"10.0.2.8","id":8,"signal":true,"backup":true,"ifindex":0,"flags":["signal","backup"]}"#
                + "]\n")
        }
    }

    @Test func idPortAndDevice() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.5.1 dev v0 id 42 port 10100 signal")
            let index = try #require(Int(ns.ip("-o link show v0").stdout.split(separator: ":").first ?? ""))
            ns.expectSuccess("endpoint show id 42", output: """
                ID  ADDRESS   PORT   FLAGS   DEV
                42  10.0.5.1  10100  signal  v0

                """)
            ns.expectSuccess("-j endpoint show id 42", output:
                #"[{"address":"10.0.5.1","port":10100,"id":42,"signal":true,"dev":"v0","ifindex":\#(index),"flags":["signal"]}]"#
                + "\n")
            #expect(ns.ip("mptcp endpoint show").stdout == "10.0.5.1 port 10100 id 42 signal dev v0 \n")
        }
    }

    @Test func showOneByIdOrByAddress() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 id 3 subflow")
            // Without address endpoints (before Linux 6.18): refused, and a signal endpoint instead.
            let address = ns.expectEndpointAdded("2001:db8::1 id 9 address")
            if !address { ns.expectSuccess("endpoint add 2001:db8::1 id 9 signal") }
            let one = address ? "ID  ADDRESS      PORT  FLAGS    DEV\n9   2001:db8::1  -     address  -\n"
                : "ID  ADDRESS      PORT  FLAGS   DEV\n9   2001:db8::1  -     signal  -\n"
            ns.expectSuccess("endpoint show id 9", output: one)
            ns.expectSuccess("endpoint show 2001:db8::1", output: one)
            ns.expectSuccess("endpoint show 2001:db8:0::1 -j", output: (address
                ? #"[{"address":"2001:db8::1","id":9,"laminar":true,"ifindex":0,"flags":["address"]}]"#
                : #"[{"address":"2001:db8::1","id":9,"signal":true,"ifindex":0,"flags":["signal"]}]"#) + "\n")
            ns.expectFailure("endpoint show id 4", status: 1,
                             message: "endpoint show id 4: no endpoint has id 4; see 'mptcpctl endpoint show'")
            ns.expectFailure("endpoint show 10.9.9.9", status: 1,
                             message: "endpoint show 10.9.9.9: no endpoint has address 10.9.9.9; see 'mptcpctl endpoint show'")
        }
    }

    @Test func deleteByIdByAddressAndByBoth() throws {
        try TestNamespace.with { ns in
            for n in 1...4 { ns.expectSuccess("endpoint add 10.0.2.\(n) id \(n) subflow") }
            ns.expectSuccess("endpoint delete id 1")
            ns.expectSuccess("endpoint delete 10.0.2.2")
            ns.expectFailure("endpoint delete id 3 10.0.2.4", status: 1,
                             message: "endpoint delete id 3 10.0.2.4: endpoint id 3 has address 10.0.2.3, not 10.0.2.4: nothing deleted")
            ns.expectSuccess("endpoint delete id 3 10.0.2.3")
            #expect(ns.ip("mptcp endpoint show").stdout == "10.0.2.4 id 4 subflow \n")
            ns.expectFailure("endpoint delete 10.0.2.1", status: 1,
                             message: "endpoint delete 10.0.2.1: no endpoint has address 10.0.2.1; see 'mptcpctl endpoint show'")
        }
    }

    @Test func changeSetsAndClearsOnlyTheFlagsNamed() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 subflow fullmesh")
            ns.expectSuccess("endpoint change id 1 backup")
            #expect(ns.ip("mptcp endpoint show id 1").stdout == "10.0.2.1 id 1 subflow backup fullmesh \n")
            ns.expectSuccess("endpoint change 10.0.2.1 nofullmesh")
            #expect(ns.ip("mptcp endpoint show id 1").stdout == "10.0.2.1 id 1 subflow backup \n")
            ns.expectSuccess("endpoint change id 1 nobackup fullmesh")
            #expect(ns.ip("mptcp endpoint show id 1").stdout == "10.0.2.1 id 1 subflow fullmesh \n")
            ns.expectSuccess("endpoint change id 1 10.0.2.1 nofullmesh")
            #expect(ns.ip("mptcp endpoint show id 1").stdout == "10.0.2.1 id 1 subflow \n")
        }
    }

    @Test func flushRemovesEveryEndpointAndKeepsTheLimits() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("limits set subflows 3")
            for n in 1...3 { ns.expectSuccess("endpoint add 10.0.2.\(n) subflow") }
            ns.expectSuccess("endpoint flush")
            #expect(ns.state == "--\nadd_addr_accepted 0 subflows 3 \n")
        }
    }

    @Test func limitsShowAndSet() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("limits show", output: "LIMIT              VALUE\nsubflows           2\nadd_addr_accepted  0\n")
            ns.expectSuccess("limits set subflows 4 add_addr_accepted 4")
            ns.expectSuccess("limits show -j", output: #"{"subflows":4,"add_addr_accepted":4}"# + "\n")
            ns.expectSuccess("limits set add_addr_accepted 1")
            ns.expectSuccess("limits -j -p", output: "{\n    \"subflows\": 4,\n    \"add_addr_accepted\": 1\n}\n")
            ns.expectSuccess("limits set subflows 0x8 add_addr_accepted 0")
            #expect(ns.ip("mptcp limits show").stdout == "add_addr_accepted 0 subflows 8 \n")
        }
    }

    @Test func abbreviationsAndOptionsAnywhere() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("e a 10.0.2.1 i 3 subflow")
            ns.expectSuccess("l s s 3 a 2")
            let shown = #"[{"address":"10.0.2.1","id":3,"subflow":true,"ifindex":0,"flags":["subflow"]}]"# + "\n"
            ns.expectSuccess("e s i 3 -j", output: shown)
            #expect(Shell.run(Shell.mptcpctl, ["endpoint", "-n", ns.name, "show", "-j"]).stdout == shown)
            #expect(Shell.run(Shell.mptcpctl, ["-j", "endpoint", "show", "--netns", ns.name]).stdout == shown)
            #expect(ns.ip("mptcp limits").stdout == "add_addr_accepted 2 subflows 3 \n")
            ns.expectSuccess("e c i 3 backup")
            ns.expectSuccess("e d i 3")
            ns.expectSuccess("e a 10.0.2.2")
            ns.expectSuccess("e f")
            #expect(ns.ip("mptcp endpoint show").stdout == "")
        }
    }

    @Test func everyIpMptcpCommandLineWorksUnderMptcpctl() throws {
        // The grammar of iproute2's ip-mptcp(8), one line per form.
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            for line in [
                "endpoint add 10.0.2.1 dev v0 id 4 subflow backup",
                "endpoint add 10.0.2.2 id 5 signal",
                "endpoint add 10.0.2.1 port 10100 signal",
                "endpoint add 10.0.2.3 fullmesh subflow",
                "endpoint show",
                "endpoint show id 4",
                "endpoint change id 4 nobackup",
                "endpoint change id 4 fullmesh",
                "endpoint change 10.0.2.2 backup",
                "endpoint change 10.0.2.1 port 10100 backup",
                "endpoint delete id 5",
                "endpoint delete id 6 10.0.2.1",
                "limits set subflows 4 add_addr_accepted 4",
                "limits set subflows 1",
                "limits show",
                "endpoint flush",
            ] {
                let result = ns.mptcpctl(line)
                #expect(result.status == 0 && result.stderr == "", "\(line)\n\(result)")
            }
            #expect(ns.state == "--\nadd_addr_accepted 4 subflows 1 \n")
        }
    }
}
