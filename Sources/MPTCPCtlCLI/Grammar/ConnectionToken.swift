/// A connection's token as mptcpctl reads it wherever one is given (`userspace … token`,
/// `top --token`, `monitor --token`): up to 8 hex digits, with or without 0x, so the
/// eight digits `monitor` and `connections` print and the `0x…` of `ip -j mptcp monitor`
/// are both taken.
enum ConnectionToken {
    /// nil when `word` is not such a token.
    static func parse(_ word: String) -> UInt32? {
        var digits = Substring(word)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.count <= 8, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        return UInt32(digits, radix: 16)
    }
}
