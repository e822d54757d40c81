/// What `enable` reads of a systemd unit file or drop-in: the `[Service]` lines that
/// decide a service's environment, with systemd's syntax (see systemd.syntax(7)):
/// comments start with '#' or ';', a line ending in '\' goes on with the next (the
/// backslash becomes a blank; comment lines inside are skipped), and a value's words
/// are split at blanks, with double or single quotes and C escapes.
///
/// Values are kept in the file's specifier form: `%i` and `%%` stay as written, since
/// systemd expands them when it loads the unit, and what `enable` writes back goes
/// through the same expansion.
struct UnitFile: Equatable {
    /// The most a unit file or drop-in may be: 64 MiB − 1, the most systemd reads of a
    /// file in one go (READ_FULL_BYTES_MAX). A larger one is refused, not read.
    static let sizeLimit = 64 * 1024 * 1024 - 1

    /// One word of `Environment=`, in order: a variable set, or (an empty value) every
    /// assignment before it forgotten.
    enum Assignment: Equatable {
        case set(name: String, value: String)
        case reset
    }

    var environment: [Assignment] = []
    /// `EnvironmentFile=` values as written ('-' for optional kept); "" resets.
    var environmentFiles: [String] = []
    /// `PassEnvironment=` names; "" resets.
    var passedEnvironment: [String] = []

    init(parsing text: String) {
        for (section, key, value) in Self.lines(text) where section == "Service" {
            switch key {
            case "Environment":
                let words = Self.words(value)
                if words.isEmpty { environment.append(.reset); continue }
                for word in words {
                    // Words that are not NAME=VALUE are ignored by systemd too.
                    guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { continue }
                    environment.append(.set(name: String(word[..<equals]), value: String(word[word.index(after: equals)...])))
                }
            case "EnvironmentFile": environmentFiles.append(value)
            case "PassEnvironment":
                let words = Self.words(value)
                passedEnvironment += words.isEmpty ? [""] : words
            default: continue
            }
        }
    }

    /// The last value `environment` leaves `name`, nil when unset or reset since.
    func value(of name: String) -> String? {
        var found: String?
        for assignment in environment {
            switch assignment {
            case .reset: found = nil
            case let .set(set, value) where set == name: found = value
            case .set: continue
            }
        }
        return found
    }

    /// Whether this file changes `name`: sets it, or resets every variable.
    func changes(_ name: String) -> Bool {
        environment.contains { assignment in
            switch assignment {
            case .reset: return true
            case let .set(set, _): return set == name
            }
        }
    }

    /// The `(section, key, value)` of each assignment, continuation lines joined.
    static func lines(_ text: String) -> [(section: String, key: String, value: String)] {
        var result: [(section: String, key: String, value: String)] = []
        var section = ""
        var pending: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            let trimmed = Self.trimmed(line)
            if trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasSuffix("\\") {
                pending = (pending ?? "") + String(line.dropLast()) + " "
                continue
            }
            let whole = Self.trimmed((pending ?? "") + line)
            pending = nil
            if whole.isEmpty { continue }
            if whole.hasPrefix("["), whole.hasSuffix("]") {
                section = String(whole.dropFirst().dropLast())
                continue
            }
            guard let equals = whole.firstIndex(of: "=") else { continue }
            result.append((section, Self.trimmed(String(whole[..<equals])), Self.trimmed(String(whole[whole.index(after: equals)...]))))
        }
        return result
    }

    /// A value split into words: blanks separate them, quotes ('"' or '\'') group
    /// blanks into one and may stand inside a word (`A="b c"` is `A=b c`), and a
    /// backslash escape is undone (`\"`, `\\`, `\n`, `\t`, `\s`, `\xNN`).
    static func words(_ value: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        var inWord = false
        var quote: UInt8?
        let bytes = Array(value.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\\"), index < bytes.count {
                let (decoded, used) = Self.unescape(bytes, at: index)
                word += decoded
                index += used
                inWord = true
                continue
            }
            if let open = quote {
                if byte == open { quote = nil } else { word.append(byte) }
                continue
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
                inWord = true
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                if inWord { words.append(String(decoding: word, as: UTF8.self)) }
                word = []
                inWord = false
            } else {
                word.append(byte)
                inWord = true
            }
        }
        if inWord { words.append(String(decoding: word, as: UTF8.self)) }
        return words
    }

    /// The bytes the escape after a backslash at `index` stands for, and how many bytes
    /// it took. An unknown escape stands for its character.
    private static func unescape(_ bytes: [UInt8], at index: Int) -> ([UInt8], Int) {
        switch bytes[index] {
        case UInt8(ascii: "n"): return ([0x0A], 1)
        case UInt8(ascii: "t"): return ([0x09], 1)
        case UInt8(ascii: "r"): return ([0x0D], 1)
        case UInt8(ascii: "s"): return ([0x20], 1)
        case UInt8(ascii: "x") where index + 2 < bytes.count:
            let hex = String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self)
            if let value = UInt8(hex, radix: 16) { return ([value], 3) }
            return ([bytes[index]], 1)
        default: return ([bytes[index]], 1)
        }
    }

    private static func trimmed(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
