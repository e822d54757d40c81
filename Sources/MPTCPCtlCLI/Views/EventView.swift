import MPTCPKit

/// How events are printed: one aligned line for people, one JSON object per line
/// (NDJSON) for scripts.
package struct EventView {
    /// The interface name of an index, in the monitored namespace.
    var interfaceName: (Int32) -> String?

    init(interfaceName: @escaping (Int32) -> String?) {
        self.interfaceName = interfaceName
    }

    /// The event names, as `--event` takes them and both forms print them: the uapi
    /// name in lower case without its prefix ("sub_established").
    package static func name(_ kind: PathManagerEvent.Kind) -> String {
        guard let uapiName = kind.uapiName else { return "unknown_\(kind.command)" }
        return uapiName.dropFirst("MPTCP_EVENT_".count).lowercased()
    }

    /// The name `ip mptcp monitor` prints for an event ("[SF_ESTABLISHED]").
    static func ipName(_ kind: PathManagerEvent.Kind) -> String {
        switch kind {
        case .subflowEstablished: "SF_ESTABLISHED"
        case .subflowClosed: "SF_CLOSED"
        case .subflowPriority: "SF_PRIO"
        default: name(kind).uppercased()
        }
    }

    /// The kind `--event NAME` names (ours or `ip`'s, in any case), nil for a name no
    /// event has.
    static func kind(named name: String) -> PathManagerEvent.Kind? {
        let lower = name.lowercased()
        return PathManagerEvent.Kind.known.first { Self.name($0) == lower || ipName($0).lowercased() == lower }
    }

    static func hex(_ token: UInt32) -> String {
        let digits = String(token, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    static func endpoint(_ address: IPAddress?, _ port: UInt16?) -> String? {
        guard let address else { return port.map { ":\($0)" } }
        let host = address.isIPv4 ? address.description : "[\(address)]"
        return port.map { "\(host):\($0)" } ?? host
    }

    func text(_ event: PathManagerEvent, time: Timestamp) -> String {
        var fields = [time.clock, Self.name(event.kind).padding(16), event.token.map { "token \(Self.hex($0))" } ?? ""]
        let source = Self.endpoint(event.saddr, event.sport), destination = Self.endpoint(event.daddr, event.dport)
        if source != nil || destination != nil { fields.append("\(source ?? "-") -> \(destination ?? "-")") }
        var extra: [String] = []
        if let v = event.localID { extra.append("loc_id \(v)") }
        if let v = event.remoteID { extra.append("rem_id \(v)") }
        if let v = event.backup { extra.append("backup \(v)") }
        if let v = event.interfaceIndex { extra.append("dev \(interfaceName(v) ?? "#\(v)")") }
        if let v = event.error { extra.append("error \(v)") }
        if let v = event.flags { extra.append("flags 0x\(String(v, radix: 16))") }
        if let v = event.timeout { extra.append("timeout \(v)") }
        if let v = event.resetReason { extra.append("reset_reason \(v)") }
        if let v = event.resetFlags { extra.append("reset_flags 0x\(String(v, radix: 16))") }
        if let v = event.serverSide { extra.append("server_side \(v)") }
        fields.append(extra.joined(separator: " "))
        var line = fields.filter { !$0.isEmpty }.joined(separator: "  ")
        while line.last == " " { line.removeLast() }
        return line
    }

    func json(_ event: PathManagerEvent, time: Timestamp) -> JSON {
        var members: [(String, JSON)] = [("type", .string(Self.name(event.kind)))]
        func add(_ key: String, _ value: JSON?) { if let value { members.append((key, value)) } }
        func number<T: BinaryInteger>(_ value: T?) -> JSON? { value.map { .int(Int64($0)) } }
        add("token", event.token.map { .string(Self.hex($0)) })
        add("saddr", event.saddr.map { .string($0.description) })
        add("daddr", event.daddr.map { .string($0.description) })
        add("sport", number(event.sport))
        add("dport", number(event.dport))
        add("loc_id", number(event.localID))
        add("rem_id", number(event.remoteID))
        add("backup", number(event.backup))
        add("error", number(event.error))
        add("flags", number(event.flags))
        add("timeout", number(event.timeout))
        add("ifindex", number(event.interfaceIndex))
        add("dev", event.interfaceIndex.flatMap(interfaceName).map(JSON.string))
        add("reset_reason", number(event.resetReason))
        add("reset_flags", number(event.resetFlags))
        add("server_side", number(event.serverSide))
        members.append(("time", .string(time.rfc3339)))
        return .object(members)
    }

    /// The warning for an event with an attribute of the wrong size, printed without it.
    static func malformed(_ event: PathManagerEvent) -> String? {
        event.malformed.map { "\(name(event.kind)) event: \(CLIError.describe($0)): shown without it" }
    }

    /// `{"type":"lost","count":N,"time":…}`: events the kernel dropped (count unknown: no count).
    static func lost(_ count: Int?, time: Timestamp) -> JSON {
        var members: [(String, JSON)] = [("type", .string("lost"))]
        if let count { members.append(("count", .int(Int64(count)))) }
        members.append(("time", .string(time.rfc3339)))
        return .object(members)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
