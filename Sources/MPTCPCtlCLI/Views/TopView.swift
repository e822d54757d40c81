import MPTCPKit

/// How `top` shows a sample: what `--token`, `--port` and `--dev` select, in `--sort`'s
/// order, as a scrolling text table or one JSON object (NDJSON) with the key names of
/// `connections -j`.
struct TopView {
    let options: TopOptions
    /// `--all-netns`: name the namespace of each connection.
    let showNetns: Bool

    /// The sample with only what the options select, sorted. `--dev` keeps the subflows
    /// on that interface (a connection without any is left out) and its total.
    func shown(_ sample: TrafficSample) -> TrafficSample {
        var shown = sample
        shown.connections = sample.connections.compactMap { traffic in
            let c = traffic.connection
            if let token = options.token, c.token != token { return nil }
            if let port = options.port, c.localPort != port, c.remotePort != port,
               !c.subflows.contains(where: { $0.localPort == port || $0.remotePort == port }) { return nil }
            var traffic = traffic
            if let device = options.device {
                traffic.subflows = traffic.subflows.filter { $0.subflow.interfaceName == device }
                if traffic.subflows.isEmpty { return nil }
            }
            traffic.subflows = sorted(traffic.subflows, by: subflowKey)
            return traffic
        }
        shown.connections = sorted(shown.connections, by: connectionKey)
        if let device = options.device { shown.interfaces = sample.interfaces.filter { $0.name == device } }
        return shown
    }

    /// Orders `items` by `key` (higher first; nil last), keeping the given order among
    /// equals (so `--sort token` leaves the subflows in the kernel's order).
    private func sorted<T>(_ items: [T], by key: (T) -> Double?) -> [T] {
        items.enumerated().sorted { a, b in
            let x = key(a.element) ?? -.infinity, y = key(b.element) ?? -.infinity
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
    }

    private func subflowKey(_ s: TrafficSample.SubflowTraffic) -> Double? {
        switch options.sort {
        case .send: return s.rates.send
        case .recv: return s.rates.receive
        case .rtt: return s.subflow.tcpInfo?.rtt.map(Double.init)
        case .token: return nil
        }
    }

    private func connectionKey(_ c: TrafficSample.ConnectionTraffic) -> Double? {
        switch options.sort {
        case .send: return c.rates.send
        case .recv: return c.rates.receive
        case .rtt: return c.subflows.compactMap(subflowKey).max()
        // Lowest token first: the higher-first order of its negation.
        case .token: return -Double(c.connection.token)
        }
    }

    /// "0B/s", "812B/s", "487.2kB/s", "1.5MB/s" (decimal units); "-" when not known.
    static func rate(_ bytesPerSecond: Double?) -> String {
        guard let value = bytesPerSecond else { return "-" }
        if value < 999.5 { return "\(Int(value.rounded()))B/s" }
        let (unit, scale) = value < 999_950 ? ("kB/s", 1e3) : value < 999_950_000 ? ("MB/s", 1e6) : ("GB/s", 1e9)
        let tenths = Int((value / scale * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)\(unit)"
    }

    private static func number<T: BinaryInteger>(_ value: T?) -> String { value.map { String($0) } ?? "-" }

    /// A header line (the time, and each interface's totals), then a block per
    /// connection as `connections` prints it, with the rates and the path's numbers.
    func text(_ sample: TrafficSample, time: Timestamp) -> String {
        var out = time.clock
        if sample.interfaces.isEmpty { out += "  no MPTCP subflows" }
        for total in sample.interfaces {
            out += "  \(total.name ?? "-"): send \(Self.rate(total.rates.send)) recv \(Self.rate(total.rates.receive))"
        }
        for traffic in sample.connections {
            let c = traffic.connection
            out += "\n"
            if showNetns { out += "namespace \(CountersView.label(traffic.netns))\n" }
            out += "token " + EventView.hex(c.token) + "  " + ConnectionsView.address(c.local, c.localPort) + " -> "
                + ConnectionsView.address(c.remote, c.remotePort) + "  send " + Self.rate(traffic.rates.send)
                + "  recv " + Self.rate(traffic.rates.receive)
            if let data = traffic.dataRates {
                out += "  data send " + Self.rate(data.send) + "  recv " + Self.rate(data.receive)
            }
            out += "\n"
            var table = Table(header: ["local", "remote", "dev", "endpoint", "backup", "send", "recv", "rtt_us", "cwnd", "retrans"])
            for row in traffic.subflows {
                let s = row.subflow, tcp = s.tcpInfo
                table.add([ConnectionsView.address(s.local, s.localPort), ConnectionsView.address(s.remote, s.remotePort),
                           s.interfaceName ?? "-", s.endpoint.map { String($0) } ?? "-", s.isBackup ? "1" : "0",
                           Self.rate(row.rates.send), Self.rate(row.rates.receive), Self.number(tcp?.rtt),
                           Self.number(tcp?.congestionWindow), Self.number(tcp?.totalRetransmits)])
            }
            table.render(into: &out, indent: "  ")
        }
        return out + "\n"
    }

    /// A rate in whole bytes per second; null when not known.
    private static func json(_ rate: Double?) -> JSON { rate.map { .int(Int64($0.rounded())) } ?? .null }

    /// One sample: `{"time", "connections": [...], "interfaces": [...]}`.
    func json(_ sample: TrafficSample, time: Timestamp) -> JSON {
        .object([
            ("time", .string(time.rfc3339)),
            ("connections", .array(sample.connections.map(json))),
            ("interfaces", .array(sample.interfaces.map { total in
                .object([("dev", total.name.map(JSON.string) ?? .null), ("subflows", .int(Int64(total.subflows))),
                         ("send_rate", Self.json(total.rates.send)), ("recv_rate", Self.json(total.rates.receive))])
            })),
        ])
    }

    private func json(_ traffic: TrafficSample.ConnectionTraffic) -> JSON {
        let c = traffic.connection
        var members: [(String, JSON)] = []
        if showNetns { members.append(("netns", traffic.netns.map(JSON.string) ?? .null)) }
        members += [("token", .string(EventView.hex(c.token))), ("saddr", .string(c.local.description)),
                    ("daddr", .string(c.remote.description)), ("sport", .int(Int64(c.localPort))),
                    ("dport", .int(Int64(c.remotePort))), ("state", .string(ConnectionsView.state(c.state))),
                    ("send_rate", Self.json(traffic.rates.send)), ("recv_rate", Self.json(traffic.rates.receive)),
                    ("data_send_rate", Self.json(traffic.dataRates?.send)), ("data_recv_rate", Self.json(traffic.dataRates?.receive))]
        if let info = c.info {
            if let v = info.bytesSent { members.append(("bytes_sent", .int(Int64(clamping: v)))) }
            if let v = info.bytesReceived { members.append(("bytes_received", .int(Int64(clamping: v)))) }
            if let v = info.bytesAcked { members.append(("bytes_acked", .int(Int64(clamping: v)))) }
        }
        members.append(("subflows", .array(traffic.subflows.map(json))))
        return .object(members)
    }

    private func json(_ row: TrafficSample.SubflowTraffic) -> JSON {
        let s = row.subflow
        var members: [(String, JSON)] = [
            ("saddr", .string(s.local.description)), ("daddr", .string(s.remote.description)),
            ("sport", .int(Int64(s.localPort))), ("dport", .int(Int64(s.remotePort))),
            ("loc_id", .int(Int64(s.localID))), ("rem_id", .int(Int64(s.remoteID))),
            ("dev", s.interfaceName.map(JSON.string) ?? .null), ("endpoint", s.endpoint.map { .int(Int64($0)) } ?? .null),
            ("backup", .int(s.isBackup ? 1 : 0)), ("state", .string(ConnectionsView.state(s.state))),
            ("flags", .int(Int64(s.flags))), ("send_rate", Self.json(row.rates.send)), ("recv_rate", Self.json(row.rates.receive)),
        ]
        if let tcp = s.tcpInfo {
            func add<T: BinaryInteger>(_ key: String, _ value: T?) {
                if let value { members.append((key, .int(Int64(clamping: value)))) }
            }
            add("rtt_us", tcp.rtt)
            add("cwnd", tcp.congestionWindow)
            add("retrans", tcp.totalRetransmits)
            // UInt64.max: not paced; left out as unknown.
            add("pacing_rate", tcp.pacingRate == UInt64.max ? nil : tcp.pacingRate)
            add("bytes_acked", tcp.bytesAcked)
            add("bytes_received", tcp.bytesReceived)
            add("bytes_sent", tcp.bytesSent)
        }
        return .object(members)
    }
}
