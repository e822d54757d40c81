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
    func shown(_ sample: consuming TrafficSample) -> TrafficSample {
        var shown = sample
        if options.token != nil || options.port != nil || options.device != nil {
            shown.connections = shown.connections.compactMap { traffic in
                let c = traffic.connection
                if let token = options.token, c.token != token { return nil }
                if let port = options.port, c.localPort != port, c.remotePort != port,
                   !c.subflows.contains(where: { $0.localPort == port || $0.remotePort == port }) { return nil }
                var traffic = traffic
                if let device = options.device {
                    traffic.subflows = traffic.subflows.filter { $0.subflow.interfaceName == device }
                    if traffic.subflows.isEmpty { return nil }
                }
                return traffic
            }
            if let device = options.device { shown.interfaces = shown.interfaces.filter { $0.name == device } }
        }
        for index in shown.connections.indices where shown.connections[index].subflows.count > 1 {
            Self.order(&shown.connections[index].subflows, by: subflowKey)
        }
        Self.order(&shown.connections, by: connectionKey)
        return shown
    }

    /// Orders `items` by `key` (higher first; nil last), keeping the given order among
    /// equals (so `--sort token` leaves the subflows in the kernel's order). The keys
    /// are sorted with their positions, then the items moved into place by swaps, each
    /// along its cycle of the permutation: no item is copied.
    static func order<T>(_ items: inout [T], by key: (T) -> Double?) {
        let keys = items.map { key($0) ?? -.infinity }
        let order = keys.indices.sorted { a, b in keys[a] != keys[b] ? keys[a] > keys[b] : a < b }
        var placed = [Bool](repeating: false, count: items.count)
        for start in items.indices where !placed[start] {
            // Position `at` takes the item at `order[at]`; the one it held moves along.
            var at = start
            while true {
                placed[at] = true
                let from = order[at]
                if from == start { break }
                items.swapAt(at, from)
                at = from
            }
        }
    }

    private func subflowKey(_ s: TrafficSample.SubflowTraffic) -> Double? {
        switch options.sort {
        case .send: return s.rates.send
        case .recv: return s.rates.receive
        // A stalled or closing subflow's RTT is its path's last, not its present one.
        case .rtt: return s.subflow.health().rttIsLive ? s.subflow.tcpInfo?.rtt.map(Double.init) : nil
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

    /// An interface's name as the totals show it: under --all-netns after its
    /// namespace's ("client/eth0": neither name can hold a '/').
    func interfaceLabel(_ total: TrafficSample.InterfaceTraffic) -> String {
        (showNetns ? CountersView.label(total.netns) + "/" : "") + (total.name ?? "-")
    }

    /// A header line (the time, and each interface's totals), then a block per
    /// connection as `connections` prints it, with the rates, each subflow's health
    /// (its RTT blanked while stalled or closing: the kernel keeps a dead path's last)
    /// and the path's numbers.
    func text(_ sample: TrafficSample, time: Timestamp) -> String {
        var out = time.clock
        if sample.interfaces.isEmpty { out += "  no MPTCP subflows" }
        for total in sample.interfaces {
            out += "  \(interfaceLabel(total)): send \(Self.rate(total.rates.send)) recv \(Self.rate(total.rates.receive))"
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
            var table = Table(header: ["local", "remote", "dev", "endpoint", "backup", "state", "idle", "send", "recv", "rtt_us",
                                       "cwnd", "retrans"])
            for row in traffic.subflows {
                let s = row.subflow, tcp = s.tcpInfo, health = s.health()
                table.add([ConnectionsView.address(s.local, s.localPort), ConnectionsView.address(s.remote, s.remotePort),
                           s.interfaceName ?? "-", s.endpoint.map { String($0) } ?? "-", s.isBackup ? "1" : "0",
                           health.text, SubflowHealth.duration(health.idleTime),
                           Self.rate(row.rates.send), Self.rate(row.rates.receive), Self.number(health.rttIsLive ? tcp?.rtt : nil),
                           Self.number(tcp?.congestionWindow), Self.number(tcp?.totalRetransmits)])
            }
            table.render(into: &out, indent: "  ")
        }
        return out + "\n"
    }

    /// A rate in whole bytes per second; null when not known.
    private static func rate(_ rate: Double?) -> Int64? { rate.map { Int64($0.rounded()) } }

    /// One sample: `{"time", "connections": [...], "interfaces": [...]}`, written value by
    /// value (a tree of a thousand connections' values would cost more than reading them).
    func json(_ sample: TrafficSample, time: Timestamp, pretty: Bool = false) -> String {
        var text = jsonLine(sample, time: time, pretty: pretty, reusing: TextBuffer()).text
        text.removeLast()
        return text
    }

    /// `json`, and the newline that ends it, written into `buffer` (emptied first; the
    /// previous sample's, whose memory serves again) and returned in it, for the console
    /// to write as it is: no string made of it.
    func jsonLine(_ sample: TrafficSample, time: Timestamp, pretty: Bool = false, reusing buffer: consuming TextBuffer) -> TextBuffer {
        var w = JSONWriter(pretty: pretty, reusing: buffer)
        w.openObject()
        w.member("time", time.rfc3339)
        w.key("connections")
        w.array(sample.connections) { w, traffic in json(traffic, into: &w) }
        w.key("interfaces")
        w.array(sample.interfaces) { w, total in
            w.openObject()
            if showNetns { w.member("netns", total.netns) }
            w.member("dev", total.name)
            w.member("subflows", Int64(total.subflows))
            w.member("send_rate", Self.rate(total.rates.send))
            w.member("recv_rate", Self.rate(total.rates.receive))
            w.closeObject()
        }
        w.closeObject()
        var out = w.out
        out.append(byte: 0x0A)
        return out
    }

    private func json(_ traffic: TrafficSample.ConnectionTraffic, into w: inout JSONWriter) {
        let c = traffic.connection
        w.openObject()
        if showNetns { w.member("netns", traffic.netns) }
        ConnectionsView.ends(of: c, into: &w)
        w.member("send_rate", Self.rate(traffic.rates.send))
        w.member("recv_rate", Self.rate(traffic.rates.receive))
        w.member("data_send_rate", Self.rate(traffic.dataRates?.send))
        w.member("data_recv_rate", Self.rate(traffic.dataRates?.receive))
        if let info = c.info { ConnectionsView.byteCounters(info, into: &w) }
        w.key("subflows")
        w.array(traffic.subflows) { w, row in json(row, into: &w) }
        w.closeObject()
    }

    private func json(_ row: TrafficSample.SubflowTraffic, into w: inout JSONWriter) {
        let s = row.subflow
        w.openObject()
        ConnectionsView.ends(of: s, into: &w)
        w.member("dev", s.interfaceName)
        w.member("endpoint", s.endpoint.map { Int64($0) })
        w.member("backup", Int64(s.isBackup ? 1 : 0))
        w.member("state", ConnectionsView.state(s.state))
        w.member("flags", Int64(s.flags))
        w.member("send_rate", Self.rate(row.rates.send))
        w.member("recv_rate", Self.rate(row.rates.receive))
        ConnectionsView.health(of: s, into: &w)
        if let tcp = s.tcpInfo {
            func add<T: BinaryInteger>(_ key: StaticString, _ value: T?) {
                if let value { w.member(key, Int64(clamping: value)) }
            }
            // A stalled subflow's is its path's last RTT: `health` says so.
            add("rtt_us", tcp.rtt)
            add("cwnd", tcp.congestionWindow)
            add("retrans", tcp.totalRetransmits)
            // UInt64.max: not paced; left out as unknown.
            add("pacing_rate", tcp.pacingRate == UInt64.max ? nil : tcp.pacingRate)
            add("bytes_acked", tcp.bytesAcked)
            add("bytes_received", tcp.bytesReceived)
            add("bytes_sent", tcp.bytesSent)
        }
        w.closeObject()
    }
}
