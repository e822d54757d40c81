/// An address configured on an interface, with what says whether it is usable yet.
public struct InterfaceAddress: Sendable, Equatable, Hashable {
    public var interfaceIndex: Int32
    public var address: IPAddress
    public var prefixLength: Int
    /// IPv6 duplicate address detection has not finished (IFA_F_TENTATIVE): not
    /// usable as a source yet.
    public var isTentative: Bool
    /// Duplicate address detection found the address in use elsewhere (IFA_F_DADFAILED).
    public var dadFailed: Bool
    /// Its preferred lifetime is over (IFA_F_DEPRECATED): kept for existing
    /// connections, not to be used for new ones.
    public var isDeprecated: Bool
    /// RT_SCOPE_HOST (254) or RT_SCOPE_LINK (253); 0 is universe (global).
    public var scope: Int32

    public init(interfaceIndex: Int32, address: IPAddress, prefixLength: Int = 0, isTentative: Bool = false,
                dadFailed: Bool = false, isDeprecated: Bool = false, scope: Int32 = 0) {
        self.interfaceIndex = interfaceIndex
        self.address = address
        self.prefixLength = prefixLength
        self.isTentative = isTentative
        self.dadFailed = dadFailed
        self.isDeprecated = isDeprecated
        self.scope = scope
    }

    /// fe80::/10.
    public var isIPv6LinkLocal: Bool {
        guard case let .v6(bytes) = address else { return false }
        return bytes[0] == 0xfe && bytes[1] & 0xc0 == 0x80
    }

    /// 169.254.0.0/16.
    public var isIPv4LinkLocal: Bool {
        guard case let .v4(bytes) = address else { return false }
        return bytes[0] == 169 && bytes[1] == 254
    }

    /// 127.0.0.0/8 or ::1.
    public var isLoopbackAddress: Bool {
        switch address {
        case let .v4(bytes): return bytes[0] == 127
        case let .v6(bytes): return bytes == [UInt8](repeating: 0, count: 15) + [1]
        }
    }
}
