import MPTCPKit

/// How `connections` shows connections and their subflows: a block per connection
/// with an aligned subflow table under it, or JSON with `monitor -j`'s key names.
struct ConnectionsView {
    /// `--all-netns`: name the namespace of each connection.
    let showNetns: Bool
    /// `--processes`: the processes holding each connection's socket; nil when not
    /// asked for (nothing about processes is shown).
    var owners: SocketOwners? = nil

    /// TCP_* states by number, in the words `ss` uses (lower case).
    static func state(_ state: UInt8) -> String {
        Int(state) < stateNames.count ? stateNames[Int(state)] : "state-\(state)"
    }

    private static let stateNames = ["unknown", "established", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2", "time-wait",
                                     "closed", "close-wait", "last-ack", "listen", "closing", "new-syn-recv"]

    /// "10.0.1.1:8080", "[fd00:1::1]:8080".
    static func address(_ address: IPAddress, _ port: UInt16) -> String {
        EventView.endpoint(address, port) ?? "-"
    }

    /// How many bytes of a listing are gathered before they are handed on to be written:
    /// ten thousand connections are written as they are rendered, never held whole
    /// (their JSON is 4 MB), in writes of this size.
    static let piece = 64 * 1024

    /// nil when there is nothing to show (no connection anywhere); else the listing,
    /// ending in a newline.
    func text(_ namespaces: [(netns: String?, connections: [Connection])]) -> String? {
        var whole: String?
        writeText(namespaces, piece: nil) { whole = $0.text }
        return whole
    }

    /// The listing `text` gives, handed to `emit` in pieces of about `piece` bytes
    /// (nil: whole, in one); nothing when there is no connection anywhere.
    func writeText(_ namespaces: [(netns: String?, connections: [Connection])], piece: Int? = Self.piece,
                   to emit: (borrowing TextBuffer) -> Void) {
        let total = namespaces.reduce(0) { $0 + $1.connections.count }
        var out = TextBuffer(capacity: piece.map { $0 + $0 / 4 } ?? 256 * total)
        var first = true
        for (netns, connections) in namespaces {
            for connection in connections {
                if !first { out.append("\n\n") }
                first = false
                if showNetns {
                    out.append("namespace ")
                    out.append(CountersView.label(netns))
                    out.append(byte: 0x0A)
                }
                header(connection, into: &out)
                if !connection.isListening {
                    var table = Table(header: ["local", "remote", "loc_id", "rem_id", "backup", "dev", "state", "endpoint"])
                    for s in connection.subflows {
                        table.add([Self.address(s.local, s.localPort), Self.address(s.remote, s.remotePort),
                                   String(s.localID), String(s.remoteID), s.isBackup ? "1" : "0", s.interfaceName ?? "-",
                                   Self.state(s.state), s.endpoint.map { String($0) } ?? "-"])
                    }
                    out.append(byte: 0x0A)
                    table.render(into: &out, indent: "  ")
                }
                if let piece, out.count >= piece {
                    emit(out)
                    out.removeAll()
                }
            }
        }
        if first { return }
        out.append(byte: 0x0A)
        emit(out)
    }

    private func header(_ c: Connection, into out: inout TextBuffer) {
        if c.isListening {
            out.append("listen  ")
            out.append(Self.address(c.local, c.localPort))
            processes(of: c, into: &out)
            return
        }
        out.append("token ")
        out.append(EventView.hex(c.token))
        out.append("  ")
        out.append(Self.address(c.local, c.localPort))
        out.append(" -> ")
        out.append(Self.address(c.remote, c.remotePort))
        out.append("  ")
        out.append(Self.state(c.state))
        // Closed by its program: what the kernel still winds down is no connection of anyone's.
        if c.isOrphan { out.append("  orphan") }
        if let info = c.info {
            if info.fallback { out.append("  fallback") }
            if let sent = info.bytesSent {
                out.append("  sent ")
                out.append(sent)
            }
            if let received = info.bytesReceived {
                out.append("  received ")
                out.append(received)
            }
        }
        processes(of: c, into: &out)
    }

    /// With `--processes`, at the end of a connection's line: each process holding its
    /// socket ("process curl pid 4242 fd 5"), or "process -" when none is known. The
    /// process owns the MPTCP socket, the line's; its subflows are the kernel's own.
    private func processes(of c: Connection, into out: inout TextBuffer) {
        guard let owners else { return }
        let found = owners[inode: c.inode]
        if found.isEmpty { out.append("  process -") }
        for owner in found {
            out.append("  process ")
            out.append(owner.name)
            out.append(" pid ")
            out.append(Int64(owner.pid))
            out.append(" fd ")
            out.append(Int64(owner.fd))
        }
    }

    /// The connections as a JSON array (`monitor -j`'s key names), written value by
    /// value; ends in a newline.
    func json(_ namespaces: [(netns: String?, connections: [Connection])], pretty: Bool) -> String {
        var whole = ""
        writeJSON(namespaces, pretty: pretty, piece: nil) { whole = $0.text }
        return whole
    }

    /// The array `json` gives, handed to `emit` in pieces of about `piece` bytes (nil:
    /// whole, in one).
    func writeJSON(_ namespaces: [(netns: String?, connections: [Connection])], pretty: Bool, piece: Int? = Self.piece,
                   to emit: (borrowing TextBuffer) -> Void) {
        let total = namespaces.reduce(0) { $0 + $1.connections.count }
        var writer = JSONWriter(pretty: pretty, capacity: piece.map { $0 + $0 / 4 } ?? (pretty ? 1024 : 512) * total)
        writer.openArray()
        for (netns, connections) in namespaces {
            for connection in connections {
                writer.item()
                json(connection, netns: netns, into: &writer)
                if let piece { writer.handOn(over: piece, to: emit) }
            }
        }
        writer.closeArray()
        writer.newline()
        writer.handOn(over: 0, to: emit)
    }

    private func json(_ c: Connection, netns: String?, into w: inout JSONWriter) {
        w.openObject()
        if showNetns { w.member("netns", netns) }
        Self.ends(of: c, into: &w)
        w.member("orphan", c.isOrphan)
        if let info = c.info {
            w.member("fallback", info.fallback)
            Self.byteCounters(info, into: &w)
        }
        if let owners {
            w.key("processes")
            w.array(owners[inode: c.inode]) { w, owner in
                w.openObject()
                w.member("pid", Int64(owner.pid))
                w.member("name", owner.name)
                w.member("fd", Int64(owner.fd))
                w.closeObject()
            }
        }
        w.key("subflows")
        w.array(c.subflows) { w, s in json(s, into: &w) }
        w.closeObject()
    }

    /// A connection's token, ends and state, as `connections -j` and `top -j` name them.
    static func ends(of c: Connection, into w: inout JSONWriter) {
        w.member("token", hex: c.token)
        w.member("saddr", address: c.local)
        w.member("daddr", address: c.remote)
        w.member("sport", Int64(c.localPort))
        w.member("dport", Int64(c.remotePort))
        w.member("state", Self.state(c.state))
    }

    /// A subflow's ends and the ids of its endpoints at each, as `connections -j` and
    /// `top -j` name them.
    static func ends(of s: Subflow, into w: inout JSONWriter) {
        w.member("saddr", address: s.local)
        w.member("daddr", address: s.remote)
        w.member("sport", Int64(s.localPort))
        w.member("dport", Int64(s.remotePort))
        w.member("loc_id", Int64(s.localID))
        w.member("rem_id", Int64(s.remoteID))
    }

    /// A subflow's health judged from its `tcp_info`, as `connections -j` and `top -j`
    /// name it: `health`, `stall` (why, or null), `idle_ms` (null without tcp_info).
    static func health(of s: Subflow, into w: inout JSONWriter) {
        let health = s.health()
        w.member("health", health.word)
        w.member("stall", health.stallWord)
        w.member("idle_ms", health.idleTime.map { Int64($0) })
    }

    /// `mptcp_info`'s byte counters, those the kernel has (Linux 6.x).
    static func byteCounters(_ info: Connection.Info, into w: inout JSONWriter) {
        if let v = info.bytesSent { w.member("bytes_sent", Int64(clamping: v)) }
        if let v = info.bytesReceived { w.member("bytes_received", Int64(clamping: v)) }
        if let v = info.bytesAcked { w.member("bytes_acked", Int64(clamping: v)) }
    }

    private func json(_ s: Subflow, into w: inout JSONWriter) {
        w.openObject()
        Self.ends(of: s, into: &w)
        w.member("backup", Int64(s.isBackup ? 1 : 0))
        w.member("dev", s.interfaceName)
        w.member("state", Self.state(s.state))
        w.member("flags", Int64(s.flags))
        w.member("endpoint", s.endpoint.map { Int64($0) })
        Self.health(of: s, into: &w)
        w.closeObject()
    }
}
