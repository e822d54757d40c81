import MPTCPKit
import StateFile
import Testing

/// `interfaces:` rules in apply files: the forms they take and every mistake at once.
struct InterfaceRulesTests {
    @Test func rulesBesideTheFixedEndpoints() throws {
        let state = try DesiredState.parse("""
            limits: {subflows: 2, add_addr_accepted: 2}
            endpoints:
              - {address: 10.0.9.1, flags: [signal]}
            interfaces:
              - name: "eth*"
                flags: [subflow]
              - name: [wlan0, wwan0]
                flags: [address]
                families: [ipv4]
            """, file: "f")
        #expect(state.followsInterfaces)
        #expect(state.namespaces.first?.interfaces == [
            InterfaceRule(names: ["eth*"], flags: .subflow, families: .both, position: "f:5:5"),
            InterfaceRule(names: ["wlan0", "wwan0"], flags: .address, families: .ipv4, position: "f:7:5"),
        ])
    }

    @Test func aFileWithoutRulesFollowsNothing() throws {
        let state = try DesiredState.parse("endpoints: []", file: "f")
        #expect(!state.followsInterfaces)
        #expect(state.namespaces.first?.interfaces == nil)
        let named = try DesiredState.parse(#"{"namespaces": {"ns1": {"interfaces": [{"name": "v0", "flags": "subflow"}]}}}"#, file: "f")
        #expect(named.namespaces.first?.interfaces == [InterfaceRule(names: ["v0"], flags: .subflow, position: "f:1:40")])
    }

    @Test func everyMistakeWithItsPosition() {
        let text = """
            interfaces:
              - flags: [subflow]
              - name: "eth 0"
                flags: [signal, fullmesh]
              - name: eth1
                flags: [sideways]
                families: [ipv5]
              - name: []
              - name: eth2
                colour: red
            """
        #expect(throws: StateFileError(problems: [
            "f:2:5: an interface rule needs 'name' (an interface name or glob, or a list of them)",
            "f:3:11: bad interface name or glob 'eth 0': e.g. eth0, 'eth*', 'wlan[0-9]'",
            "f:4:12: 'signal' cannot go with 'fullmesh': an endpoint is not both signal and fullmesh",
            "f:6:13: unknown flag 'sideways': expected signal, subflow, address (or laminar), backup or fullmesh",
            "f:7:16: unknown family 'ipv5': expected ipv4 or ipv6",
            "f:8:11: name: an empty list matches no interface",
            "f:10:5: unknown key 'colour' in an interface rule: expected name, flags or families",
        ])) {
            try DesiredState.parse(text, file: "f")
        }
        #expect(throws: StateFileError(problems: ["f:1:13: interfaces must be a list (one '- name: …' rule per entry)"])) {
            try DesiredState.parse("interfaces: eth0", file: "f")
        }
    }
}
