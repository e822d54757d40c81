import MPTCPKit
import StateFile
import Testing

/// Reading apply files: YAML and JSON, one namespace or several, every problem at once.
struct DesiredStateTests {
    @Test func oneNamespaceInYAML() throws {
        let state = try DesiredState.parse("""
            limits:
              subflows: 4
            endpoints:
              - address: 10.0.2.1
                id: 3
                flags: [subflow, backup]
              - address: "2001:db8::1"
                port: 10100
                dev: eth1
                flags: signal
            """, file: "f")
        #expect(!state.named)
        #expect(state.namespaces == [DesiredState.Namespace(name: nil, limits: LimitsChange(subflows: 4), endpoints: [
            .init(EndpointSpec(address: IPAddress("10.0.2.1")!, id: 3, flags: [.subflow, .backup]), position: "f:4:5"),
            .init(EndpointSpec(address: IPAddress("2001:db8::1")!, port: 10100, flags: .signal, device: "eth1"), position: "f:7:5"),
        ])])
    }

    @Test func severalNamespacesInJSON() throws {
        let state = try DesiredState.parse(#"{"namespaces": {"ns1": {"endpoints": []}, "ns2": {"limits": {"add_addr_accepted": 8}}}}"#, file: "f")
        #expect(state.named)
        #expect(state.namespaces == [DesiredState.Namespace(name: "ns1", endpoints: []),
                                     DesiredState.Namespace(name: "ns2", limits: LimitsChange(addAddrAccepted: 8))])
    }

    @Test func everyProblemIsReportedWithItsPosition() {
        let text = """
            limits: {subflows: -1}
            color: blue
            endpoints:
              - address: 10.0.2.300
              - address: 10.0.2.2
                id: 2
                flags: [signal, fullmesh]
              - address: 10.0.2.2
                id: 2
                port: 0
                flags: [implicit]
            """
        #expect(throws: StateFileError(problems: [
            "f:2:1: unknown key 'color' in the file: expected namespaces, limits, endpoints, interfaces, sysctl or heal",
            "f:1:20: bad subflows '-1': a limit is a whole number from 0 to 4294967295",
            "f:4:14: bad address '10.0.2.300': expected an IPv4 or IPv6 address",
            "f:7:12: 'signal' cannot go with 'fullmesh': an endpoint is not both signal and fullmesh",
            "f:10:11: bad port '0': a port is a number from 1 to 65535",
            "f:11:13: 'implicit' cannot be requested: the kernel makes implicit endpoints itself",
            "f:8:5: duplicate address 10.0.2.2: already at f:5:5",
            "f:8:5: duplicate id 2: already at f:5:5",
        ])) { try DesiredState.parse(text, file: "f") }
    }

    /// What `ip` and the kernel take, a file takes: id 0 (the kernel picks, as without
    /// an id) and any address; 10.0.3.2 beside ::ffff:10.0.3.2 the kernel refuses.
    @Test func whatIPAndTheKernelTakeIsTaken() throws {
        let state = try DesiredState.parse("""
            endpoints:
              - {address: "::ffff:10.0.3.2", id: 0, flags: subflow}
              - {address: 224.0.0.1, flags: signal}
              - {address: "::", flags: subflow}
            """, file: "f")
        #expect(state.namespaces.first?.endpoints?.map(\.spec) == [
            EndpointSpec(address: IPAddress("::ffff:10.0.3.2")!, flags: .subflow),
            EndpointSpec(address: IPAddress("224.0.0.1")!, flags: .signal),
            EndpointSpec(address: IPAddress("::")!, flags: .subflow),
        ])
        #expect(throws: StateFileError(problems: [
            "f:3:5: duplicate address 10.0.3.2 (the kernel holds it and ::ffff:10.0.3.2 as one address): already at f:2:5",
        ])) { try DesiredState.parse("endpoints:\n  - {address: \"::ffff:10.0.3.2\"}\n  - {address: 10.0.3.2}\n", file: "f") }
    }

    @Test func moreThanEightEndpointsAndBadYAML() throws {
        let nine = "endpoints:\n" + (1...9).map { "  - address: 10.0.2.\($0)\n" }.joined()
        // How many endpoints a namespace holds is the running kernel's to say (8 on 6.18).
        #expect(try DesiredState.parse(nine, file: "f").namespaces.first?.endpoints?.count == 9)
        #expect(throws: StateFileError(problems: ["f: empty: expected limits:, endpoints:, interfaces: or namespaces:"])) {
            try DesiredState.parse("", file: "f")
        }
        // One rule for interface names, the command line's: '.' and '..' are none.
        #expect(throws: StateFileError(problems: ["f:1:38: bad interface name '..'"])) {
            try DesiredState.parse("endpoints: [{address: 10.0.2.1, dev: '..'}]", file: "f")
        }
    }

    /// An export writes an endpoint whose interface has gone as `ifindex`; apply reads it.
    @Test func anIfindexStandsForAVanishedInterface() throws {
        let state = try DesiredState.parse("endpoints: [{address: 10.0.2.1, ifindex: 7, flags: [subflow]}]", file: "f")
        #expect(state.namespaces.first?.endpoints?.first?.spec.interfaceIndex == 7)
        #expect(throws: StateFileError(problems: ["f:1:53: 'ifindex' and 'dev' cannot go together: give one"])) {
            try DesiredState.parse("endpoints: [{address: 10.0.2.1, dev: eth0, ifindex: 7}]", file: "f")
        }
        #expect(throws: StateFileError(problems: ["f:1:42: bad ifindex '0': an ifindex is a number from 1 to 2147483647"])) {
            try DesiredState.parse("endpoints: [{address: 10.0.2.1, ifindex: 0}]", file: "f")
        }
    }
}
