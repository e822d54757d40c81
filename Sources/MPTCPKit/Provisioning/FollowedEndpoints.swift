/// The endpoints that a namespace's `interfaces:` rules ask for, given its interfaces
/// and addresses at one moment: a pure function of values, so the same interfaces
/// always give the same endpoints, whatever order their changes came in.
public struct FollowedEndpoints: Sendable, Equatable {
    /// An address a rule took: its endpoint, the rule and the interface.
    public struct Candidate: Sendable, Equatable {
        public var spec: EndpointSpec
        public var rule: Int
        public var interface: String
    }

    /// Why an address is not usable for an endpoint.
    public enum Unusable: Sendable, Equatable {
        case interfaceDown, loopback, linkLocal, tentative, dadFailed, deprecated, hostOrLinkScope
    }

    /// The endpoints to have, in the order of choice.
    public var chosen: [Candidate]
    /// Usable, matched addresses that did not fit beside the others (the kernel holds
    /// a limited number of endpoints): the last in the order of choice.
    public var leftOut: [Candidate]

    /// Why `address` cannot carry an endpoint, nil when it can.
    public static func unusable(_ address: InterfaceAddress, on interface: NetworkInterface) -> Unusable? {
        if !interface.isUp || !interface.isRunning { return .interfaceDown }
        if interface.isLoopback || address.isLoopbackAddress { return .loopback }
        if address.isIPv6LinkLocal || address.isIPv4LinkLocal { return .linkLocal }
        if address.dadFailed { return .dadFailed }
        if address.isTentative { return .tentative }
        if address.isDeprecated { return .deprecated }
        if address.scope >= 200 { return .hostOrLinkScope }
        return nil
    }

    /// Chooses the endpoints: each usable address of an interface goes to the first rule
    /// that matches its interface's name and its family. Addresses in `excluding` (the
    /// file's fixed endpoints) are left to those. When more are matched than `capacity`,
    /// the first `capacity` are kept in this order: the rule's place in the file, the
    /// interface name, IPv4 before IPv6, the address's bytes. The order depends on the
    /// interfaces alone, never on when an address came, so the choice cannot flap.
    public static func select(rules: [InterfaceRule], snapshot: InterfaceSnapshot,
                              excluding: Set<IPAddress> = [], capacity: Int) -> FollowedEndpoints {
        var candidates: [Candidate] = []
        var seen = excluding
        for address in snapshot.addresses {
            guard let interface = snapshot.interface(index: address.interfaceIndex),
                  unusable(address, on: interface) == nil,
                  let rule = rules.firstIndex(where: { $0.matches(interface: interface.name, address: address.address) })
            else { continue }
            let spec = EndpointSpec(address: address.address, flags: rules[rule].flags, device: interface.name,
                                    interfaceIndex: interface.index)
            candidates.append(Candidate(spec: spec, rule: rule, interface: interface.name))
        }
        candidates.sort(by: precedes)
        // One endpoint per address: the first in the order wins a duplicate.
        candidates = candidates.filter { seen.insert($0.spec.address).inserted }
        let kept = max(0, capacity)
        return FollowedEndpoints(chosen: Array(candidates.prefix(kept)), leftOut: Array(candidates.dropFirst(kept)))
    }

    /// The order of choice.
    static func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.rule != b.rule { return a.rule < b.rule }
        if a.interface != b.interface { return a.interface.utf8.lexicographicallyPrecedes(b.interface.utf8) }
        let (x, y) = (a.spec.address, b.spec.address)
        if x.isIPv4 != y.isIPv4 { return x.isIPv4 }
        return x.bytes.lexicographicallyPrecedes(y.bytes)
    }
}
