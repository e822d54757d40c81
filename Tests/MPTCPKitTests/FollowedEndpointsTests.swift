import MPTCPKit
import MPTCPKitTesting
import Testing

/// Which addresses get endpoints: the usable-address filter, the first matching rule,
/// and the fixed choice when they do not all fit.
struct FollowedEndpointsTests {
    static let up = [
        NetworkInterface(index: 1, name: "lo", isUp: true, isRunning: true, isLoopback: true),
        NetworkInterface(index: 2, name: "eth0", isUp: true, isRunning: true),
        NetworkInterface(index: 3, name: "eth1", isUp: true, isRunning: false),
        NetworkInterface(index: 4, name: "wlan0", isUp: true, isRunning: true),
        NetworkInterface(index: 5, name: "docker0", isUp: true, isRunning: true),
    ]

    static func address(_ text: String, on index: Int32, tentative: Bool = false, dadFailed: Bool = false,
                        deprecated: Bool = false, scope: Int32 = 0) -> InterfaceAddress {
        InterfaceAddress(interfaceIndex: index, address: IPAddress(text)!, isTentative: tentative, dadFailed: dadFailed,
                         isDeprecated: deprecated, scope: scope)
    }

    static let rules = [
        InterfaceRule(names: ["eth*"], flags: .subflow),
        InterfaceRule(names: ["wlan0", "eth0"], flags: [.address, .backup], families: .ipv4),
    ]

    func chosen(_ addresses: [InterfaceAddress], capacity: Int = 8, excluding: Set<IPAddress> = []) -> [String] {
        FollowedEndpoints.select(rules: Self.rules, snapshot: InterfaceSnapshot(interfaces: Self.up, addresses: addresses),
                                 excluding: excluding, capacity: capacity)
            .chosen.map { "\($0.spec.address) \($0.interface) \($0.spec.flags.rawValue) \($0.spec.interfaceIndex ?? 0)" }
    }

    @Test func onlyUsableAddressesOfMatchingRunningInterfaces() {
        let addresses = [
            Self.address("127.0.0.1", on: 1), Self.address("::1", on: 1),
            Self.address("10.0.0.1", on: 2), Self.address("fe80::1", on: 2, scope: 253), Self.address("2001:db8::1", on: 2),
            Self.address("2001:db8::2", on: 2, tentative: true), Self.address("2001:db8::3", on: 2, dadFailed: true),
            Self.address("2001:db8::4", on: 2, deprecated: true), Self.address("169.254.1.1", on: 2),
            Self.address("10.1.0.1", on: 3), // eth1 has no carrier
            Self.address("10.2.0.1", on: 4), Self.address("2001:db8:4::1", on: 4), // wlan0: IPv4 only
            Self.address("10.3.0.1", on: 5), // docker0: no rule
        ]
        #expect(chosen(addresses) == ["10.0.0.1 eth0 2 2", "2001:db8::1 eth0 2 2", "10.2.0.1 wlan0 36 4"])
    }

    @Test func theChoiceDependsOnTheInterfacesNotTheOrderTheyCame() {
        let addresses = (1...9).map { Self.address("10.0.0.\($0)", on: 2) } + [Self.address("10.2.0.1", on: 4)]
        let first = chosen(addresses, capacity: 5)
        #expect(first == ["10.0.0.1 eth0 2 2", "10.0.0.2 eth0 2 2", "10.0.0.3 eth0 2 2", "10.0.0.4 eth0 2 2", "10.0.0.5 eth0 2 2"])
        #expect(chosen(addresses.reversed(), capacity: 5) == first)
        #expect(chosen(addresses.shuffled(), capacity: 5) == first)
        let selection = FollowedEndpoints.select(rules: Self.rules, snapshot: InterfaceSnapshot(interfaces: Self.up, addresses: addresses),
                                                 capacity: 5)
        #expect(selection.leftOut.map(\.spec.address.description) == ["10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9", "10.2.0.1"])
    }

    @Test func fixedEndpointsKeepTheirAddressesAndTheRoomIsWhatTheKernelLeaves() {
        let addresses = (1...9).map { Self.address("10.0.0.\($0)", on: 2) }
        #expect(chosen(addresses, capacity: 2, excluding: [IPAddress("10.0.0.1")!]) == ["10.0.0.2 eth0 2 2", "10.0.0.3 eth0 2 2"])
        let fixed = [EndpointSpec(address: IPAddress("10.9.9.9")!, flags: .signal)]
        let implicit = Endpoint(id: 9, address: IPAddress("10.8.8.8")!, flags: .implicit)
        let followed = Apply.follow(Self.rules, snapshot: InterfaceSnapshot(interfaces: Self.up, addresses: addresses),
                                    fixed: fixed, current: [implicit], keepUnlisted: false, capacity: 8)
        #expect(followed.chosen.count == 6)
        #expect(followed.leftOut.count == 3)
    }

    @Test func globs() {
        let rule = InterfaceRule(names: ["eth[0-3]", "wl*"], flags: [])
        #expect(rule.matches(interface: "eth2"))
        #expect(!rule.matches(interface: "eth4"))
        #expect(rule.matches(interface: "wlp3s0"))
        #expect(!rule.matches(interface: "veth0"))
    }
}
