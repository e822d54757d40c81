import MPTCPCtlCLI
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
            limits: {subflows: 9}
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
            "f:2:1: unknown key 'color' in the file: expected namespaces, limits, endpoints or interfaces",
            "f:1:20: bad subflows '9': a limit is a number from 0 to 8",
            "f:4:14: bad address '10.0.2.300': expected an IPv4 or IPv6 address",
            "f:7:12: 'signal' cannot go with 'fullmesh': an endpoint is not both signal and fullmesh",
            "f:10:11: bad port '0': a port is a number from 1 to 65535",
            "f:11:13: 'implicit' cannot be requested: the kernel makes implicit endpoints itself",
            "f:8:5: duplicate address 10.0.2.2: already at f:5:5",
            "f:8:5: duplicate id 2: already at f:5:5",
        ])) { try DesiredState.parse(text, file: "f") }
    }

    @Test func moreThanEightEndpointsAndBadYAML() {
        let nine = "endpoints:\n" + (1...9).map { "  - address: 10.0.2.\($0)\n" }.joined()
        #expect(throws: StateFileError(problems: ["f:2:3: 9 endpoints: a namespace holds at most 8"])) {
            try DesiredState.parse(nine, file: "f")
        }
        #expect(throws: StateFileError(problems: ["f: empty: expected limits:, endpoints:, interfaces: or namespaces:"])) {
            try DesiredState.parse("", file: "f")
        }
        // One rule for interface names, the command line's: '.' and '..' are none.
        #expect(throws: StateFileError(problems: ["f:1:38: bad interface name '..'"])) {
            try DesiredState.parse("endpoints: [{address: 10.0.2.1, dev: '..'}]", file: "f")
        }
    }
}
