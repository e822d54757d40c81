/// A JSON value with ordered object members, and its writer. (Small on purpose:
/// Foundation's encoder costs start-up time and reorders keys.) Not `indirect`: the
/// arrays already hold the nested values out of line, and a boxed case would cost an
/// allocation per value (`top -j` builds some 40,000 a second over 1,000 connections).
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number of seconds with three decimals (milliseconds): 0.421.
    case seconds(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    static func == (a: JSON, b: JSON) -> Bool { a.rendered() == b.rendered() }

    /// Seconds as "0.421" (three decimals, no exponent; negative and non-finite as 0).
    static func seconds(_ value: Double) -> String {
        let millis = value.isFinite && value > 0 ? Int64(min(value, 1e12) * 1000 + 0.5) : 0
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Compact on one line, or `pretty` with four-space indents as `ip -j -p` does.
    func rendered(pretty: Bool = false) -> String {
        var writer = JSONWriter(pretty: pretty)
        write(to: &writer)
        return writer.out.text
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case let .bool(value): writer.bool(value)
        case let .int(value): writer.int(value)
        case let .seconds(value): writer.number(Self.seconds(value))
        case let .string(value): writer.string(value)
        case let .array(items):
            writer.openArray()
            for item in items {
                writer.item()
                item.write(to: &writer)
            }
            writer.closeArray()
        case let .object(members):
            writer.openObject()
            for (key, value) in members {
                writer.key(quoting: key)
                value.write(to: &writer)
            }
            writer.closeObject()
        }
    }

    /// `text` as a JSON string, appended to `out`.
    static func quote(_ text: String, into out: inout String) {
        var writer = JSONWriter(pretty: false)
        writer.quote(text)
        out += writer.out.text
    }
}
