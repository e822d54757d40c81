/// What `enable` reads of a systemd unit file or drop-in: the `[Service]` lines that
/// decide a service's environment, read as systemd reads them (systemd.syntax(7), and
/// its own read_line and config_parse): a line ends at '\n', '\r' or NUL (or a run of
/// them with no kind twice: "\r\n" is one end, "\n\n" two), comments start with '#' or
/// ';', a line ending in an unescaped '\' goes on with the next (the backslash becomes
/// a blank; comment lines inside are skipped), a line that is not UTF-8 is ignored, and
/// a value's words are split at blanks, with double or single quotes and C escapes.
///
/// Values are kept in the file's specifier form: `%i` and `%%` stay as written, since
/// systemd expands them when it loads the unit, and what `enable` writes back goes
/// through the same expansion.
struct UnitFile: Equatable {
    /// The most a unit file or drop-in may be: 64 MiB − 1, the most systemd reads of a
    /// file in one go (READ_FULL_BYTES_MAX). A larger one is refused, not read.
    static let sizeLimit = 64 * 1024 * 1024 - 1
    /// systemd's LONG_LINE_MAX, 1 MiB: a line must be shorter, and its continuation
    /// lines joined no longer, or systemd refuses the whole file; so does this.
    static let lineLimit = 1024 * 1024

    /// Why a file cannot be read as systemd reads it.
    enum Problem: Error, Equatable {
        /// The line (1 for the first, continuation lines counted) is too long for systemd.
        case lineTooLong(line: Int)
    }

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

    init(parsing text: String) throws(Problem) {
        try self.init(parsing: Array(text.utf8))
    }

    init(parsing bytes: [UInt8]) throws(Problem) {
        for (section, key, value) in try Self.lines(bytes) where section == "Service" {
            switch key {
            case "Environment":
                // Only an empty value resets (`Environment=""` sets nothing).
                if value.isEmpty { environment.append(.reset); continue }
                for word in Self.words(value) {
                    // Words that are not NAME=VALUE are ignored by systemd too.
                    guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { continue }
                    environment.append(.set(name: String(word[..<equals]), value: String(word[word.index(after: equals)...])))
                }
            case "EnvironmentFile": environmentFiles.append(value)
            case "PassEnvironment":
                passedEnvironment += value.isEmpty ? [""] : Self.words(value)
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
    static func lines(_ bytes: [UInt8]) throws(Problem) -> [(section: String, key: String, value: String)] {
        var result: [(section: String, key: String, value: String)] = []
        var section = ""
        var pending: [UInt8]?
        var byteOrderMarkSeen = false
        func assignment(_ line: [UInt8]) {
            // systemd ignores a line that is not UTF-8.
            guard let whole = String(validating: line, as: UTF8.self).map(Self.trimmed), !whole.isEmpty else { return }
            if whole.hasPrefix("["), whole.hasSuffix("]") {
                section = String(whole.dropFirst().dropLast())
                return
            }
            guard let equals = whole.firstIndex(of: "=") else { return }
            result.append((section, Self.trimmed(String(whole[..<equals])), Self.trimmed(String(whole[whole.index(after: equals)...]))))
        }
        for (number, raw) in Self.physicalLines(bytes).enumerated() {
            if raw.count >= lineLimit { throw .lineTooLong(line: number + 1) }
            let first = raw.firstIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            if let first, raw[first] == UInt8(ascii: "#") || raw[first] == UInt8(ascii: ";") { continue }
            var line = Array(raw)
            if !byteOrderMarkSeen, line.starts(with: [0xEF, 0xBB, 0xBF]) {
                line.removeFirst(3)
                byteOrderMarkSeen = true
            }
            if let joined = pending, joined.count + line.count > lineLimit { throw .lineTooLong(line: number + 1) }
            // An odd run of backslashes at the end: the last one is not escaped.
            let backslashes = line.reversed().prefix { $0 == UInt8(ascii: "\\") }.count
            if backslashes % 2 == 1 {
                line[line.count - 1] = UInt8(ascii: " ")
                pending = (pending ?? []) + line
                continue
            }
            assignment((pending ?? []) + line)
            pending = nil
        }
        if let pending { assignment(pending) }
        return result
    }

    /// `bytes` cut into lines where systemd's read_line cuts them: at '\n', '\r' or NUL,
    /// a run of them being one end while no kind comes twice and no NUL came.
    static func physicalLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        func kind(_ byte: UInt8) -> UInt8 {
            switch byte {
            case 0: return 1
            case UInt8(ascii: "\n"): return 2
            case UInt8(ascii: "\r"): return 4
            default: return 0
            }
        }
        var lines: [ArraySlice<UInt8>] = []
        var start = 0, index = 0
        while index < bytes.count {
            var seen = kind(bytes[index])
            guard seen != 0 else { index += 1; continue }
            lines.append(bytes[start..<index])
            index += 1
            while index < bytes.count, seen & 1 == 0, kind(bytes[index]) != 0, seen & kind(bytes[index]) == 0 {
                seen |= kind(bytes[index])
                index += 1
            }
            start = index
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    /// A value split into words: blanks separate them, quotes ('"' or '\'') group
    /// blanks into one and may stand inside a word (`A="b c"` is `A=b c`), and a
    /// backslash escape is undone (`\"`, `\\`, `\n`, `\t`, `\s`, `\xNN`). A word
    /// that is not UTF-8 once undone is left out, as systemd ignores it.
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
                if inWord, let text = String(validating: word, as: UTF8.self) { words.append(text) }
                word = []
                inWord = false
            } else {
                word.append(byte)
                inWord = true
            }
        }
        if inWord, let text = String(validating: word, as: UTF8.self) { words.append(text) }
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
