import MPTCPKit
import StateFile
import Testing

/// `heal:` in state files: off, the defaults, every key, and every mistake at once.
struct HealSettingsTests {
    @Test func offOnAndTheDefaults() throws {
        #expect(try DesiredState.parse("heal: false", file: "f").namespaces.first?.heal == .off)
        #expect(try DesiredState.parse("heal: true", file: "f").namespaces.first?.heal == .standard)
        #expect(try DesiredState.parse("heal:", file: "f").namespaces.first?.heal == .standard)
        #expect(try DesiredState.parse("endpoints: []", file: "f").namespaces.first?.heal == nil, "absent: sync's defaults")
        let named = try DesiredState.parse(#"{"namespaces": {"ns1": {"heal": false}}}"#, file: "f")
        #expect(named.namespaces.first?.heal == .off)
    }

    @Test func everyKey() throws {
        let state = try DesiredState.parse("""
            interfaces:
              - {name: "eth*", flags: [subflow]}
            heal:
              probe_interval: 0.5
              dead_after: 2
              grace: 0.3
              hold: 600
              repair_backoff: [2, 30]
              probes:
                - {name: wwan0, target: 192.0.2.1}
                - {name: ["eth*", "en*"], target: "203.0.113.7:443"}
                - {name: lan0, target: "[2001:db8::7]:8443"}
                - {name: lab0, target: none}
            """, file: "f")
        let heal = try #require(state.namespaces.first?.heal)
        #expect(heal == HealingSettings(probeInterval: 0.5, deadAfter: 2, grace: 0.3, hold: 600, repairBackoff: (2, 30), probes: [
            ProbeRule(names: ["wwan0"], target: .echo(IPAddress("192.0.2.1")!), position: "f:10:7"),
            ProbeRule(names: ["eth*", "en*"], target: .connect(IPAddress("203.0.113.7")!, port: 443), position: "f:11:7"),
            ProbeRule(names: ["lan0"], target: .connect(IPAddress("2001:db8::7")!, port: 8443), position: "f:12:7"),
            ProbeRule(names: ["lab0"], target: .none, position: "f:13:7"),
        ]))
        #expect(heal.probeTarget(interface: "en1") == .connect(IPAddress("203.0.113.7")!, port: 443))
        #expect(heal.probeTarget(interface: "wlan0") == .peers)
    }

    @Test func everyMistakeWithItsPosition() {
        let text = """
            heal:
              probe_interval: 0
              dead_after: fast
              grace: 100
              repair_backoff: [30, 2]
              colour: red
              probes:
                - {name: eth0, target: "10.0.0.1:0"}
                - {target: example.org}
                - name: "eth 1"
                  target: none
            """
        #expect(throws: StateFileError(problems: [
            "f:6:3: unknown key 'colour' in heal: expected probe_interval, dead_after, grace, hold, repair_backoff or probes",
            "f:2:19: bad probe_interval '0': a number of seconds from 0.05 to 60",
            "f:3:15: bad dead_after 'fast': a number of seconds from 0.1 to 3600",
            "f:4:10: bad grace '100': a number of seconds from 0 to 60",
            "f:8:28: bad target '10.0.0.1:0': an address (ICMP echo), ADDRESS:PORT or [IPV6]:PORT (a TCP connection), or none",
            "f:9:7: a probe rule needs 'name' (an interface name or glob, or a list of them)",
            "f:9:16: bad target 'example.org': an address (ICMP echo), ADDRESS:PORT or [IPV6]:PORT (a TCP connection), or none",
            "f:10:13: bad interface name or glob 'eth 1': e.g. eth0, 'eth*', 'wlan[0-9]'",
            "f:5:19: repair_backoff: the most (2 s) is below the first wait (30 s)",
        ])) { try DesiredState.parse(text, file: "f") }
        #expect(throws: StateFileError(problems: [
            "f:1:7: heal: expected false, true or a mapping of probe_interval, dead_after, grace, hold, repair_backoff or probes",
        ])) { try DesiredState.parse("heal: sometimes", file: "f") }
        #expect(throws: StateFileError(problems: [
            "f:1:41: dead_after (0.3 s) must be at least two probe intervals (1 s): one lost probe would kill a path",
        ])) { try DesiredState.parse("heal: {probe_interval: 0.5, dead_after: 0.3}", file: "f") }
    }
}
