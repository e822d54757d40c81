import MPTCPKit

/// The words of one command line, read left to right as `ip` reads them: a keyword takes
/// the word after it as its value. The values that endpoint and userspace lines share
/// (id, dev, port) are read here, with one set of rules and words for both.
struct WordCursor {
    let words: [String]
    /// The command, for messages ("endpoint add").
    let context: String
    private var index = -1

    init(_ words: [String], context: String) {
        self.words = words
        self.context = context
    }

    /// The next word, nil after the last.
    mutating func next() -> String? {
        index += 1
        return index < words.count ? words[index] : nil
    }

    /// Where the current word stands in `words`.
    var position: Int { index }

    /// The word after the current one, nil after the last (not taken).
    var peek: String? { index + 1 < words.count ? words[index + 1] : nil }

    /// The value of `keyword`, the current word: the next word, taken.
    mutating func value(after keyword: String) throws(CLIError) -> String {
        guard let value = next() else { throw .usage("\(context): '\(keyword)' needs a value") }
        return value
    }

    /// An id word (0 lets the kernel pick, as with `ip`).
    func id(_ text: String) throws(CLIError) -> UInt8 {
        guard let number = UnsignedNumber.parse(text, max: 255) else {
            throw .usage("\(context): bad id '\(text)': an id is a number from 1 to 255")
        }
        return UInt8(number)
    }

    /// An interface name word.
    func device(_ text: String) throws(CLIError) -> String {
        guard EndpointSpec.isValidDeviceName(text) else { throw .usage("\(context): bad interface name '\(text)'") }
        return text
    }

    /// A port word.
    func port(_ text: String) throws(CLIError) -> UInt16 {
        guard let number = UnsignedNumber.parse(text, max: 65535), number > 0 else {
            throw .usage("\(context): bad port '\(text)': a port is a number from 1 to 65535")
        }
        return UInt16(number)
    }
}
