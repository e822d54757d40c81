/// A JSON value with ordered object members, and its writer. (Small on purpose:
/// Foundation's encoder costs start-up time and reorders keys.)
indirect enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (a: JSON, b: JSON) -> Bool { a.rendered() == b.rendered() }

    /// Compact on one line, or `pretty` with four-space indents as `ip -j -p` does.
    func rendered(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, depth: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, depth: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(value): out += value ? "true" : "false"
        case let .int(value): out += String(value)
        case let .string(value): JSON.quote(value, into: &out)
        case let .array(items):
            writeList(items.map { (nil, $0) }, open: "[", close: "]", into: &out, pretty: pretty, depth: depth)
        case let .object(members):
            writeList(members.map { ($0.0, $0.1) }, open: "{", close: "}", into: &out, pretty: pretty, depth: depth)
        }
    }

    private func writeList(_ items: [(String?, JSON)], open: String, close: String,
                           into out: inout String, pretty: Bool, depth: Int) {
        out += open
        guard !items.isEmpty else { out += close; return }
        let indent = pretty ? "\n" + String(repeating: " ", count: 4 * (depth + 1)) : ""
        for (index, (key, value)) in items.enumerated() {
            if index > 0 { out += "," }
            out += indent
            if let key {
                JSON.quote(key, into: &out)
                out += pretty ? ": " : ":"
            }
            value.write(to: &out, pretty: pretty, depth: depth + 1)
        }
        if pretty { out += "\n" + String(repeating: " ", count: 4 * depth) }
        out += close
    }

    static func quote(_ text: String, into out: inout String) {
        out += "\""
        // Most strings (addresses, words) need no escape: append them whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5c }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let s where s.value < 0x20:
                let hex = String(s.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
