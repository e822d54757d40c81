/// `ip`-style keyword matching: a word names a keyword when it is a non-empty prefix
/// of it, tried in the order given (so "d" is "dev", as with `ip`).
enum Keyword {
    /// The first of `keywords` that `word` abbreviates, or nil.
    static func match(_ word: String, in keywords: [String]) -> String? {
        guard !word.isEmpty else { return nil }
        return keywords.first { $0.hasPrefix(word) }
    }
}
