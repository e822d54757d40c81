/// A batch file (`mptcpctl -b FILE`), as `ip -batch` reads one: one command line per
/// line without the program name, `#` comments and blank lines skipped.
enum Batch {
    /// One command line of the file and where it stands.
    struct Line: Sendable, Equatable {
        /// 1-based, as editors count.
        var number: Int
        var words: [String]

        init(number: Int, words: [String]) {
            self.number = number
            self.words = words
        }
    }

    /// The command lines of `text`; a line whose quotes do not close is an error
    /// naming it.
    static func lines(_ text: String, file: String) throws(CLIError) -> [Line] {
        var result: [Line] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let words = split(line) else {
                throw .usage("\(file):\(index + 1): unterminated quote")
            }
            if !words.isEmpty { result.append(Line(number: index + 1, words: words)) }
        }
        return result
    }

    /// Splits a line into words as a shell would for the simple cases a batch file has:
    /// blanks separate words, quotes ('…' or "…") keep blanks inside one, a backslash
    /// escapes the next character, `#` at the start of a word begins a comment. nil
    /// when a quote does not close.
    static func split<S: StringProtocol>(_ line: S) -> [String]? {
        var words: [String] = []
        var word = "", inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                word.append(character); escaped = false; inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\\" {
                escaped = true
            } else if character == "'" || character == "\"" {
                quote = character; inWord = true
            } else if character == " " || character == "\t" || character == "\r" {
                if inWord { words.append(word); word = ""; inWord = false }
            } else if character == "#", !inWord {
                break
            } else {
                word.append(character); inWord = true
            }
        }
        if quote != nil { return nil }
        if inWord { words.append(word) }
        return words
    }
}
