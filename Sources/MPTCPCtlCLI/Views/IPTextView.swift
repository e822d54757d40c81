import MPTCPKit

/// `--format ip`: the text of iproute2 7.1's `ip mptcp endpoint show` and `limits show`,
/// byte for byte, so a script written against `ip` reads mptcpctl's output unchanged:
/// one line per endpoint, each field followed by one blank (the trailing one included),
/// bit 0x20 as `laminar`, nothing at all when there are no endpoints.
struct IPTextView {
    /// The interface name of an index, in the endpoint's namespace.
    var interfaceName: (Int32) -> String?

    init(interfaceName: @escaping (Int32) -> String?) {
        self.interfaceName = interfaceName
    }

    /// `ADDRESS [port P ]id N FLAG... [rawflags HEX ][dev NAME ]`
    func line(_ endpoint: Endpoint) -> String {
        var text = endpoint.address.description + " "
        if endpoint.port != 0 { text += "port \(endpoint.port) " }
        if endpoint.id != 0 { text += "id \(endpoint.id) " }
        for name in EndpointFlags.names where endpoint.flags.contains(name.flag) {
            text += name.iprouteKey + " "
        }
        if endpoint.flags.unknownBits != 0 { text += "rawflags \(String(endpoint.flags.unknownBits, radix: 16)) " }
        if endpoint.interfaceIndex != 0 {
            // `ip` names an index without an interface "ifN" (ll_index_to_name).
            text += "dev \(interfaceName(endpoint.interfaceIndex) ?? "if\(endpoint.interfaceIndex)") "
        }
        return text
    }

    /// The lines of `endpoint show`, nil when there are none (`ip` prints nothing).
    func lines(_ endpoints: [Endpoint]) -> String? {
        guard !endpoints.isEmpty else { return nil }
        var text = ""
        for endpoint in endpoints { text += (text.isEmpty ? "" : "\n") + line(endpoint) }
        return text
    }

    /// `add_addr_accepted N subflows N `
    static func limits(_ limits: Limits) -> String {
        "add_addr_accepted \(limits.addAddrAccepted) subflows \(limits.subflows) "
    }
}
