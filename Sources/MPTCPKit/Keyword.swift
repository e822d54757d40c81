/// `ip`-style keyword matching: a word names a keyword when it is a non-empty prefix
/// of it, tried in the order given (so "d" is "dev", as with `ip`).
public enum Keyword {
    /// The first of `keywords` that `word` abbreviates, or nil.
    public static func match(_ word: String, in keywords: [String]) -> String? {
        guard !word.isEmpty else { return nil }
        return keywords.first { $0.hasPrefix(word) }
    }

    /// Parses an unsigned number as strtoul(…, 0) does for `ip`: decimal, 0x-hex or
    /// 0-octal, nothing else around it. nil when it is not such a number or exceeds `max`.
    public static func number(_ word: String, max: UInt64) -> UInt64? {
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
