import MPTCPKit

/// How endpoints are shown: the aligned table people read, and JSON objects that are
/// a superset of `ip -j mptcp endpoint show`'s.
struct EndpointView {
    /// Resolves an interface index to its name in the endpoint's namespace.
    var interfaceName: (Int32) -> String?

    init(interfaceName: @escaping (Int32) -> String?) {
        self.interfaceName = interfaceName
    }

    func table(_ endpoints: [Endpoint]) -> String {
        var table = Table(header: ["ID", "ADDRESS", "PORT", "FLAGS", "DEV"])
        for endpoint in endpoints {
            let words = endpoint.flags.words
            table.add([
                String(endpoint.id),
                endpoint.address.description,
                endpoint.port == 0 ? "-" : String(endpoint.port),
                words.isEmpty ? "-" : words.joined(separator: ","),
                device(endpoint) ?? "-",
            ])
        }
        return table.rendered()
    }

    /// The keys `ip -j` prints, in its order, then ours: `ifindex` and `flags`.
    func json(_ endpoint: Endpoint) -> JSON {
        var members: [(String, JSON)] = [("address", .string(endpoint.address.description))]
        if endpoint.port != 0 { members.append(("port", .int(Int64(endpoint.port)))) }
        members.append(("id", .int(Int64(endpoint.id))))
        for name in EndpointFlags.names where endpoint.flags.contains(name.flag) {
            members.append((name.iprouteKey, .bool(true)))
        }
        if endpoint.flags.unknownBits != 0 {
            let hex = String(endpoint.flags.unknownBits, radix: 16)
            members.append(("rawflags", .string(hex.count < 2 ? "0" + hex : hex)))
        }
        if endpoint.interfaceIndex != 0, let name = interfaceName(endpoint.interfaceIndex) {
            members.append(("dev", .string(name)))
        }
        members.append(("ifindex", .int(Int64(endpoint.interfaceIndex))))
        members.append(("flags", .array(endpoint.flags.words.map(JSON.string))))
        return .object(members)
    }

    /// The interface name, or "#INDEX" when the index names no interface (the kernel
    /// does not check the index it is given).
    func device(_ endpoint: Endpoint) -> String? {
        guard endpoint.interfaceIndex != 0 else { return nil }
        return interfaceName(endpoint.interfaceIndex) ?? "#\(endpoint.interfaceIndex)"
    }

    /// Why an endpoint's address adds no path ("224.0.0.1 is a multicast address: …"):
    /// the warning when one is added, and `doctor`'s finding.
    static func unusable(_ address: IPAddress, _ reason: IPAddress.Unusable) -> String {
        let what = switch reason {
        case .unspecified: "the unspecified address"
        case .multicast: "a multicast address"
        case .limitedBroadcast: "the limited broadcast address"
        }
        return "\(address) is \(what): no subflow can start from it or reach it, so the endpoint adds no path"
    }

    /// The counters and limits lines printed under `endpoint show`. No maximum: no
    /// read-only request tells the running kernel's, and 8 is only Linux 6.18's.
    static func summary(_ c: EndpointCounts, limits: Limits) -> String {
        var types = "signal \(c.signal)  subflow \(c.subflow)  address \(c.address)  fullmesh \(c.fullmesh)  backup \(c.backup)"
        if c.implicit > 0 { types += "  implicit \(c.implicit)" }
        return """
            endpoints  \(c.total): \(types)
            limits     subflows \(limits.subflows)  add_addr_accepted \(limits.addAddrAccepted)
            """
    }
}
