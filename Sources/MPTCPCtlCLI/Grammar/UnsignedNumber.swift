/// Unsigned numbers as `ip` reads them (strtoul(…, 0)): decimal, 0x-hex or 0-octal,
/// nothing else around them.
enum UnsignedNumber {
    /// nil when `word` is not such a number or exceeds `max`.
    static func parse(_ word: String, max: UInt64) -> UInt64? {
        var digits = Substring(word)
        var radix = 10
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.hasPrefix("0") {
            radix = 8
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }),
              let value = UInt64(digits, radix: radix), value <= max
        else { return nil }
        return value
    }
}
