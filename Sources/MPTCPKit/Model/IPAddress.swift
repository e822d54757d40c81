import Glibc

/// An IPv4 or IPv6 address in network byte order.
public enum IPAddress: Sendable, Hashable, CustomStringConvertible {
    case v4([UInt8])
    case v6([UInt8])

    /// Parses the textual forms inet_pton accepts; nil otherwise.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self = .v4(withUnsafeBytes(of: &v4) { Array($0) })
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            self = .v6(withUnsafeBytes(of: &v6) { Array($0) })
            return
        }
        return nil
    }

    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// AF_INET or AF_INET6.
    public var family: UInt16 {
        switch self {
        case .v4: UInt16(AF_INET)
        case .v6: UInt16(AF_INET6)
        }
    }

    public var bytes: [UInt8] {
        switch self {
        case let .v4(bytes), let .v6(bytes): bytes
        }
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = Int32(self.family)
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension IPAddress {
    /// Why no endpoint can have this address: nil for a unicast address.
    public enum Unusable: Sendable, Equatable {
        /// 0.0.0.0 or ::
        case unspecified
        /// 224.0.0.0/4 or ff00::/8
        case multicast
        /// 255.255.255.255
        case limitedBroadcast
        /// ::ffff:a.b.c.d: the IPv4 address is the one to give.
        case ipv4Mapped(IPAddress)
    }

    /// Whether the address could never be a local endpoint's, and why.
    public var unusable: Unusable? {
        let b = bytes
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        switch self {
        case .v4:
            if b.allSatisfy({ $0 == 255 }) { return .limitedBroadcast }
            if b[0] & 0xF0 == 0xE0 { return .multicast }
        case .v6:
            if b[0] == 0xFF { return .multicast }
            if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF { return .ipv4Mapped(.v4(Array(b[12...]))) }
        }
        return nil
    }
}
