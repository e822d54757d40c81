import MPTCPKit

/// How `connections` shows connections and their subflows: a block per connection
/// with an aligned subflow table under it, or JSON with `monitor -j`'s key names.
struct ConnectionsView {
    /// `--all-netns`: name the namespace of each connection.
    let showNetns: Bool

    /// TCP_* states by number, in the words `ss` uses (lower case).
    static func state(_ state: UInt8) -> String {
        let names = ["unknown", "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait",
                     "closed", "close-wait", "last-ack", "listen", "closing", "new-syn-recv"]
        return Int(state) < names.count ? names[Int(state)] : "state-\(state)"
    }

    /// "10.0.1.1:8080", "[fd00:1::1]:8080".
    static func address(_ address: IPAddress, _ port: UInt16) -> String {
        EventView.endpoint(address, port) ?? "-"
    }

    /// nil when there is nothing to show (no connection anywhere).
    func text(_ namespaces: [(netns: String?, connections: [Connection])]) -> String? {
        // One string for the whole listing: a thousand connections make a thousand blocks.
        var out = ""
        var first = true
        for (netns, connections) in namespaces {
            for connection in connections {
                if !first { out += "\n\n" }
                first = false
                if showNetns { out += "namespace \(CountersView.label(netns))\n" }
                header(connection, into: &out)
                if !connection.isListening {
                    var table = Table(header: ["local", "remote", "loc_id", "rem_id", "backup", "dev", "state", "endpoint"])
                    for s in connection.subflows {
                        table.add([Self.address(s.local, s.localPort), Self.address(s.remote, s.remotePort),
                                   String(s.localID), String(s.remoteID), s.isBackup ? "1" : "0", s.interfaceName ?? "-",
                                   Self.state(s.state), s.endpoint.map { String($0) } ?? "-"])
                    }
                    out += "\n"
                    table.render(into: &out, indent: "  ")
                }
            }
        }
        return first ? nil : out
    }

    private func header(_ c: Connection, into out: inout String) {
        if c.isListening {
            out += "listen  " + Self.address(c.local, c.localPort)
            return
        }
        out += "token " + EventView.hex(c.token) + "  " + Self.address(c.local, c.localPort) + " -> "
            + Self.address(c.remote, c.remotePort) + "  " + Self.state(c.state)
        if let info = c.info {
            if info.fallback { out += "  fallback" }
            if let sent = info.bytesSent { out += "  sent " + String(sent) }
            if let received = info.bytesReceived { out += "  received " + String(received) }
        }
    }

    func json(_ namespaces: [(netns: String?, connections: [Connection])]) -> JSON {
        var items: [JSON] = []
        for (netns, connections) in namespaces {
            for connection in connections { items.append(json(connection, netns: netns)) }
        }
        return .array(items)
    }

    private func json(_ c: Connection, netns: String?) -> JSON {
        var members: [(String, JSON)] = []
        if showNetns { members.append(("netns", netns.map(JSON.string) ?? .null)) }
        members += [("token", .string(EventView.hex(c.token))), ("saddr", .string(c.local.description)),
                    ("daddr", .string(c.remote.description)), ("sport", .int(Int64(c.localPort))),
                    ("dport", .int(Int64(c.remotePort))), ("state", .string(Self.state(c.state)))]
        if let info = c.info {
            members.append(("fallback", .bool(info.fallback)))
            if let v = info.bytesSent { members.append(("bytes_sent", .int(Int64(clamping: v)))) }
            if let v = info.bytesReceived { members.append(("bytes_received", .int(Int64(clamping: v)))) }
            if let v = info.bytesAcked { members.append(("bytes_acked", .int(Int64(clamping: v)))) }
        }
        members.append(("subflows", .array(c.subflows.map(json))))
        return .object(members)
    }

    private func json(_ s: Subflow) -> JSON {
        .object([
            ("saddr", .string(s.local.description)), ("daddr", .string(s.remote.description)),
            ("sport", .int(Int64(s.localPort))), ("dport", .int(Int64(s.remotePort))),
            ("loc_id", .int(Int64(s.localID))), ("rem_id", .int(Int64(s.remoteID))),
            ("backup", .int(s.isBackup ? 1 : 0)), ("dev", s.interfaceName.map(JSON.string) ?? .null),
            ("state", .string(Self.state(s.state))), ("flags", .int(Int64(s.flags))),
            ("endpoint", s.endpoint.map { .int(Int64($0)) } ?? .null),
        ])
    }
}
