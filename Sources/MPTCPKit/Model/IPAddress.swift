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
        var text = ""
        withText { text = String(decoding: $0, as: UTF8.self) }
        return text
    }

    /// The address's text, as `description` has it, in a buffer on the stack for the
    /// length of `body`: a listing writes thousands of addresses, without a string each.
    /// (Not generic: a generic one, called from another module, looks its types up at
    /// run time on each call.)
    public func withText(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        switch self {
        case let .v4(b) where b.count == 4:
            Self.dottedQuad(b, body)
        default:
            let family = Int32(self.family), length = Int(INET6_ADDRSTRLEN)
            withUnsafeTemporaryAllocation(of: CChar.self, capacity: length) { buffer in
                let written = bytes.withUnsafeBytes { raw in
                    inet_ntop(family, raw.baseAddress, buffer.baseAddress, socklen_t(length)) != nil
                }
                guard written else { return Self.unknown.withUnsafeBufferPointer(body) }
                buffer.withMemoryRebound(to: UInt8.self) { text in
                    body(UnsafeBufferPointer(rebasing: text[..<strlen(buffer.baseAddress!)]))
                }
            }
        }
    }

    private static let unknown: [UInt8] = [0x3F]  // "?"

    /// "10.0.1.1", written here: glibc's inet_ntop formats IPv4 through sprintf, which
    /// was a tenth of the time a listing of a thousand connections spent in user space.
    private static func dottedQuad(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 15) { text in
            var end = 0
            for (index, byte) in bytes.enumerated() {
                if index > 0 { text[end] = 0x2E; end += 1 }
                if byte >= 100 { text[end] = 0x30 + byte / 100; end += 1 }
                if byte >= 10 { text[end] = 0x30 + byte / 10 % 10; end += 1 }
                text[end] = 0x30 + byte % 10
                end += 1
            }
            body(UnsafeBufferPointer(rebasing: text[..<end]))
        }
    }
}

extension IPAddress {
    /// Why no subflow can start from this address or reach it. The kernel takes an
    /// endpoint with such an address all the same (a subflow endpoint then opens its
    /// subflow from whatever source routing picks; the peer cannot join a signal one).
    public enum Unusable: Sendable, Equatable {
        /// 0.0.0.0 or ::
        case unspecified
        /// 224.0.0.0/4 or ff00::/8
        case multicast
        /// 255.255.255.255
        case limitedBroadcast
    }

    /// Whether no subflow could use the address, and why; nil for a unicast address.
    /// (An IPv4-mapped IPv6 address, ::ffff:a.b.c.d, is usable: the kernel's own tests
    /// use such endpoints.)
    public var unusable: Unusable? {
        let b = bytes
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        switch self {
        case .v4:
            if b.allSatisfy({ $0 == 255 }) { return .limitedBroadcast }
            if b[0] & 0xF0 == 0xE0 { return .multicast }
        case .v6:
            if b[0] == 0xFF { return .multicast }
        }
        return nil
    }

    /// Whether the kernel takes the two for the same endpoint address: equal, or an IPv4
    /// address and its IPv4-mapped IPv6 form (10.0.3.2 and ::ffff:10.0.3.2). The kernel
    /// keeps each as written, but refuses the second as a duplicate (EEXIST) and finds
    /// either when asked for the other.
    public func isKernelEqual(to other: IPAddress) -> Bool {
        if self == other { return true }
        switch (self, other) {
        case let (.v4(v4), .v6(v6)), let (.v6(v6), .v4(v4)):
            return v6[0..<10].allSatisfy { $0 == 0 } && v6[10] == 0xFF && v6[11] == 0xFF && Array(v6[12...]) == v4
        default:
            return false
        }
    }
}
