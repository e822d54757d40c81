/// One path as healing sees it: from a local endpoint's address to one peer address.
/// Both addresses in their plain form (an IPv4-mapped IPv6 address as IPv4), as
/// sock_diag and the path manager's events may give either.
public struct NetworkPath: Sendable, Hashable, CustomStringConvertible {
    public var local: IPAddress
    public var remote: IPAddress

    public init(local: IPAddress, remote: IPAddress) {
        self.local = local.unmapped
        self.remote = remote.unmapped
    }

    public var description: String { "\(local) -> \(remote)" }
}

extension IPAddress {
    /// The address itself, or the IPv4 address an IPv4-mapped IPv6 one stands for
    /// (::ffff:10.0.3.2 is 10.0.3.2).
    public var unmapped: IPAddress {
        guard case let .v6(b) = self, b.count == 16, b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF else {
            return self
        }
        return .v4(Array(b[12...]))
    }
}
