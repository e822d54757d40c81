import MPTCPKit

/// `--format ip monitor`: what iproute2 7.1's `ip mptcp monitor` prints, byte for byte, so
/// a script written for `ip` reads mptcpctl's output unchanged. Text: one line per event,
/// the name right-aligned in brackets, then `key=value` fields in ip's order. `-j`: one
/// JSON array, opened with the first event, an object written as each event comes, closed
/// (`end`) when the monitor stops; `-j -p` as ip's own writer indents it. The field
/// order, spellings and framing are those of ip/ipmptcp.c and lib/json_writer.c (7.1).
struct IPMonitorView {
    /// How the events are written.
    enum Form: Equatable { case text, json, prettyJSON }

    let form: Form
    let timestamps: MonitorOptions.Timestamps?
    /// The interface name of an index, in the monitored namespace.
    private let interfaceName: (Int32) -> String?
    /// Names as first found: `ip` keeps the name it found for an index for the rest of its run.
    private var names: [Int32: String] = [:]
    /// Events written so far (the array's first opens it).
    private var written = 0

    init(form: Form, timestamps: MonitorOptions.Timestamps?, interfaceName: @escaping (Int32) -> String?) {
        self.form = form
        self.timestamps = timestamps
        self.interfaceName = interfaceName
    }

    init(_ format: OutputFormat, timestamps: MonitorOptions.Timestamps?, interfaceName: @escaping (Int32) -> String?) {
        self.init(form: !format.json ? .text : format.pretty ? .prettyJSON : .json, timestamps: timestamps,
                  interfaceName: interfaceName)
    }

    /// A JSON value as `ip` writes it: a string (escaped), or a number or `true` as it stands.
    enum Value: Equatable {
        case string(String)
        case literal(String)
    }

    /// One printed field: its text (" token=0711c4a7") and its JSON member.
    struct Field: Equatable {
        var key: String
        var text: String
        var value: Value
    }

    /// What to write for `event`, received at `time`: its line, or its object with the
    /// array's opening bracket or the comma before it.
    mutating func render(_ event: PathManagerEvent, time: Timestamp) -> String {
        let fields = fields(event, time: time)
        defer { written += 1 }
        switch form {
        case .text:
            var line = ""
            for field in fields { line += field.text }
            return line + "\n"
        case .json, .prettyJSON:
            let pretty = form == .prettyJSON
            var text = written == 0 ? (pretty ? "[ {" : "[{") : ",{"
            for (index, field) in fields.enumerated() {
                if index > 0 { text += "," }
                if pretty { text += "\n        " }
                text += Self.quoted(field.key) + (pretty ? ": " : ":")
                switch field.value {
                case let .string(string): text += Self.quoted(string)
                case let .literal(literal): text += literal
                }
            }
            return text + (pretty ? "\n    }" : "}")
        }
    }

    /// What to write when the monitor stops: the JSON array's end (nothing for text).
    var end: String {
        switch form {
        case .text: ""
        case .json: written == 0 ? "[]\n" : "]\n"
        case .prettyJSON: written == 0 ? "[ ]\n" : " ]\n"
        }
    }

    /// The fields of one event in ip's order: the timestamp (`-t`, `-ts`), the event's
    /// name, then each attribute the kernel sent. An event ip does not know is its number
    /// alone.
    mutating func fields(_ event: PathManagerEvent, time: Timestamp) -> [Field] {
        var fields: [Field] = []
        switch timestamps {
        case .full:
            let stamp = Timestamp.ipFull(time.local, microseconds: time.microseconds)
            fields.append(Field(key: "timestamp", text: "Timestamp: \(stamp)\n", value: .string(stamp)))
        case .short:
            let stamp = Timestamp.ipShort(time.local, microseconds: time.microseconds)
            fields.append(Field(key: "timestamp_short", text: "[\(stamp)] ", value: .string(stamp)))
        case nil:
            break
        }
        guard case .unknown = event.kind else {
            let name = EventView.ipName(event.kind)
            let padded = String(repeating: " ", count: max(0, 16 - name.utf8.count)) + name
            fields.append(Field(key: "event", text: "[\(padded)]", value: .string(name)))
            appendAttributes(of: event, to: &fields)
            return fields
        }
        let name = "UNKNOWN \(event.kind.command)"
        fields.append(Field(key: "event", text: "[\(name)]", value: .string(name)))
        return fields
    }

    private mutating func appendAttributes(of event: PathManagerEvent, to fields: inout [Field]) {
        func number(_ key: String, _ value: (some BinaryInteger)?) {
            if let value { fields.append(Field(key: key, text: " \(key)=\(value)", value: .literal("\(value)"))) }
        }
        func address(_ key: String, _ value: IPAddress?, ipv4: Bool) {
            if let value, value.isIPv4 == ipv4 {
                fields.append(Field(key: key, text: " \(key)=\(value)", value: .string(value.description)))
            }
        }
        if let token = event.token {
            // Eight digits in the text; C's "%#x" in JSON: no padding, and "0" for 0.
            fields.append(Field(key: "token", text: " token=\(EventView.hex(token))", value: .string(Self.alternateHex(token))))
        }
        number("remid", event.remoteID)
        number("locid", event.localID)
        address("saddr4", event.saddr, ipv4: true)
        address("daddr4", event.daddr, ipv4: true)
        address("saddr6", event.saddr, ipv4: false)
        address("daddr6", event.daddr, ipv4: false)
        number("sport", event.sport)
        number("dport", event.dport)
        number("backup", event.backup)
        number("error", event.error)
        number("timeout", event.timeout)
        if let index = event.interfaceIndex {
            number("ifindex", index)
            if index != 0 {
                let name = deviceName(index)
                fields.append(Field(key: "dev", text: " dev=\(name)", value: .string(name)))
            }
        }
        number("reset_reason", event.resetReason)
        if let flags = event.resetFlags {
            let text = Self.alternateHex(flags)
            fields.append(Field(key: "reset_flags", text: " reset_flags=\(text)", value: .string(text)))
        }
        // server_side from the flags (newer kernels) or its own attribute (older ones);
        // deny_join_id0 from the flags; what is left of the flags as a number.
        var flags = event.flags ?? 0
        if flags & Self.serverSideFlag != 0 || (event.serverSide ?? 0) != 0 {
            flags &= ~Self.serverSideFlag
            fields.append(Field(key: "server_side", text: " server_side", value: .literal("true")))
        }
        if flags & Self.denyJoinID0Flag != 0 {
            flags &= ~Self.denyJoinID0Flag
            fields.append(Field(key: "deny_join_id0", text: " deny_join_id0", value: .literal("true")))
        }
        if flags != 0 {
            let text = Self.alternateHex(UInt32(flags))
            fields.append(Field(key: "flags", text: " flags=\(text)", value: .string(text)))
        }
    }

    /// MPTCP_PM_EV_FLAG_DENY_JOIN_ID0 and MPTCP_PM_EV_FLAG_SERVER_SIDE (uapi linux/mptcp.h).
    static let denyJoinID0Flag: UInt16 = 1 << 0
    static let serverSideFlag: UInt16 = 1 << 1

    /// The name `ip` prints for an interface index: the one it first found, or "ifN" for an
    /// index without an interface (N unsigned, as ll_index_to_name writes it).
    private mutating func deviceName(_ index: Int32) -> String {
        if let known = names[index] { return known }
        guard let name = interfaceName(index) else { return "if\(UInt32(bitPattern: index))" }
        names[index] = name
        return name
    }

    /// C's "%#x": "0x" and the hex digits, but "0" alone for zero.
    static func alternateHex(_ value: UInt32) -> String {
        value == 0 ? "0" : "0x" + String(value, radix: 16)
    }

    /// A JSON string as `ip`'s writer escapes it: the short escapes for tab, newline,
    /// return, form feed, backspace, backslash and quote, \u00XX for the other control
    /// characters and DEL, every other byte as it is.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\u{0C}": out += "\\f"
            case "\u{08}": out += "\\b"
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let digits = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
