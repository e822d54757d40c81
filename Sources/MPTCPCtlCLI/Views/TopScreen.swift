import MPTCPKit

/// The full-screen view of `top`: a title bar, each interface's totals, then a block
/// per connection with a row per subflow (its path, rates, share of the connection's
/// bytes, RTT, cwnd, retransmits and a sparkline of its recent send rates), cut to the
/// terminal's rows and columns. It keeps the sparklines' history; the frame itself is
/// a pure function of the sample, so tests read it as text.
struct TopScreen {
    /// The subflow table's columns, narrowest first where it matters: an IPv4 row
    /// fits 80 columns; what does not fit a narrower screen is cut from the right,
    /// so the least needed numbers come last.
    private static let columns: [(title: String, rightAligned: Bool)] = [
        ("local", false), ("remote", false), ("dev", false), ("ep", true), ("send", true), ("recv", true),
        ("history", false), ("share", true), ("rtt", true), ("cwnd", true), ("retr", true),
    ]

    /// `rows` (the titles first) in columns one blank apart, after one blank.
    private static func aligned(_ rows: [[String]]) -> [String] {
        var widths = [Int](repeating: 0, count: columns.count)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        return rows.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                line += " " + (columns[column].rightAligned ? padding + cell : cell + padding)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// How many samples a sparkline shows.
    static let historyLength = 8

    /// What the terminal can show.
    struct Style: Sendable, Equatable {
        /// Bold and reverse video (not with NO_COLOR).
        var colour: Bool
        /// Block characters and arrows (a UTF-8 locale), else ASCII.
        var unicode: Bool
    }

    /// Each subflow's last send rates, oldest first.
    private var history: [TrafficSample.SocketKey: [Double]] = [:]

    private static func key(_ traffic: TrafficSample.ConnectionTraffic, _ row: TrafficSample.SubflowTraffic) -> TrafficSample.SocketKey {
        TrafficSample.SocketKey(netns: traffic.netns, token: traffic.connection.token, subflow: row.subflow)
    }

    /// Adds each subflow's send rate to its history; subflows gone are forgotten. (Each
    /// history is moved, not copied, into the next: no allocation per subflow and sample.)
    mutating func record(_ sample: TrafficSample) {
        var next: [TrafficSample.SocketKey: [Double]] = [:]
        next.reserveCapacity(history.count)
        // By position: the connections and subflows are read where they lie, not copied.
        for c in sample.connections.indices {
            for s in sample.connections[c].subflows.indices {
                guard let rate = sample.connections[c].subflows[s].rates.send else { continue }
                let key = Self.key(sample.connections[c], sample.connections[c].subflows[s])
                var rates = history.removeValue(forKey: key) ?? []
                if rates.count >= Self.historyLength { rates.removeFirst(rates.count - Self.historyLength + 1) }
                rates.append(rate)
                next[key] = rates
            }
        }
        history = next
    }

    /// `values` as a row of blocks, each scaled to `top` (a full block; a blank for 0).
    static func sparkline(_ values: [Double], top: Double, unicode: Bool) -> String {
        let levels: [Character] = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [".", ":", "-", "=", "+", "*", "#", "@"]
        return String(values.map { value -> Character in
            guard top > 0, value > 0 else { return " " }
            return levels[min(levels.count - 1, Int((value / top * Double(levels.count)).rounded(.up)) - 1)]
        })
    }

    /// "0", "812", "487.2k", "1.5M", "2.1G": a rate in bytes per second, short; "-"
    /// when not known.
    static func rate(_ bytesPerSecond: Double?) -> String {
        let long = TopView.rate(bytesPerSecond)
        return long.hasSuffix("B/s") ? String(long.dropLast(3)) : long
    }

    /// The subflow's part of what its connection moved in the interval (both ways),
    /// "75%"; "-" when the connection moved nothing.
    static func share(_ row: TrafficSample.SubflowTraffic, of traffic: TrafficSample.ConnectionTraffic) -> String {
        let whole = (traffic.rates.send ?? 0) + (traffic.rates.receive ?? 0)
        guard whole > 0 else { return "-" }
        let part = (row.rates.send ?? 0) + (row.rates.receive ?? 0)
        return "\(Int((min(1, part / whole) * 100).rounded()))%"
    }

    /// "20.0": microseconds as milliseconds; "-" when not known.
    static func milliseconds(_ microseconds: UInt32?) -> String {
        guard let microseconds else { return "-" }
        let tenths = (Int(microseconds) + 50) / 100
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The first `width` characters of `text` (each one column: the frame holds ASCII,
    /// addresses, blocks and arrows only).
    static func fitted(_ text: String, width: Int) -> String {
        text.utf8.count <= width ? text : String(text.prefix(max(0, width)))
    }

    /// One screenful: `sample` (already selected and sorted) read at `time`, drawn in
    /// `rows`×`columns`.
    func frame(_ sample: TrafficSample?, time: Timestamp?, options: TopOptions, showNetns: Bool, paused: Bool,
               showingKeys: Bool, status: String?, rows: Int, columns: Int, style: Style) -> [String] {
        let bold = style.colour ? "\u{1b}[1m" : "", reverse = style.colour ? "\u{1b}[7m" : "", plain = style.colour ? "\u{1b}[m" : ""
        func styled(_ text: String, _ start: String) -> String {
            start.isEmpty ? Self.fitted(text, width: columns) : start + Self.fitted(text, width: columns) + plain
        }
        let arrow = style.unicode ? " → " : " -> "

        // The title bar, as wide as the screen: what is shown, and where the keys are.
        let subflows = sample?.connections.reduce(0) { $0 + $1.subflows.count } ?? 0
        var title = "mptcpctl top  " + (paused ? "PAUSED  " : "") + (time.map { String($0.clock.prefix(8)) } ?? "--:--:--")
            + " UTC  every \(SyncOptions.seconds(options.delay))s  sort: \(options.sort.rawValue)"
        if let sample { title += "  conn \(sample.connections.count)  subflows \(subflows)" }
        let help = "? keys"
        // The keys' hint stays at the right end; a narrow screen cuts the title before it.
        let room = max(0, columns - help.count - 2)
        title = String(title.prefix(room))
        title += String(repeating: " ", count: max(2, columns - title.count - help.count)) + help
        var lines = [styled(title, reverse)]

        if let status { lines.append(styled(status, bold)) }
        if showingKeys {
            lines += ["", "Keys:", "  q  quit", "  s  sort by the next key: send, recv, rtt, token",
                      "  p  pause the display (p again resumes)", "  ?  these keys (any key goes back)", "",
                      "Rates are in bytes per second over the last interval; share is the",
                      "subflow's part of its connection's bytes; history its send rate over",
                      "the last \(Self.historyLength) samples (one scale for all); rtt in milliseconds;",
                      "ep the endpoint's id (b: a backup subflow)."]
                .map { Self.fitted($0, width: columns) }
            return Array(lines.prefix(rows))
        }
        guard let sample else {
            lines.append(Self.fitted("reading the connections; the first rates come after one delay", width: columns))
            return Array(lines.prefix(rows))
        }

        // Each interface's totals, as many as fit on a line.
        var totals = sample.interfaces.map { total in
            "\(total.name ?? "-") send \(Self.rate(total.rates.send)) recv \(Self.rate(total.rates.receive))"
        }.joined(separator: "   ")
        if totals.isEmpty { totals = "no MPTCP subflows" }
        lines.append(Self.fitted(totals, width: columns))

        // One scale for every sparkline, so a faster path stands taller.
        let highest = history.values.lazy.compactMap { $0.max() }.max() ?? 0
        var body: [String] = []
        var blocks = 0
        for traffic in sample.connections {
            let c = traffic.connection
            var block = [""]
            var heading = showNetns ? "[\(CountersView.label(traffic.netns))] " : ""
            heading += EventView.hex(c.token) + "  " + ConnectionsView.address(c.local, c.localPort) + arrow
                + ConnectionsView.address(c.remote, c.remotePort) + "  send " + Self.rate(traffic.rates.send)
                + "  recv " + Self.rate(traffic.rates.receive)
            if let data = traffic.dataRates { heading += "  data " + Self.rate(data.send) + "/" + Self.rate(data.receive) }
            block.append(styled(heading, bold))
            var cells = [Self.columns.map(\.title)]
            for row in traffic.subflows {
                let s = row.subflow, tcp = s.tcpInfo
                let history = Self.sparkline(self.history[Self.key(traffic, row)] ?? [], top: highest, unicode: style.unicode)
                cells.append([ConnectionsView.address(s.local, s.localPort), ConnectionsView.address(s.remote, s.remotePort),
                             s.interfaceName ?? "-", (s.endpoint.map { String($0) } ?? "-") + (s.isBackup ? "b" : ""),
                             Self.rate(row.rates.send), Self.rate(row.rates.receive), history, Self.share(row, of: traffic),
                             Self.milliseconds(tcp?.rtt), tcp?.congestionWindow.map { String($0) } ?? "-",
                             tcp?.totalRetransmits.map { String($0) } ?? "-"])
            }
            block += Self.aligned(cells).map { Self.fitted($0, width: columns) }
            // What does not fit whole is left for the "more" line (one row kept for it).
            let room = rows - lines.count - body.count - (blocks + 1 < sample.connections.count ? 1 : 0)
            if block.count > room {
                // The first connection is shown however tall it is, as much as fits.
                if body.isEmpty {
                    body += block.prefix(max(0, room))
                    blocks += 1
                }
                break
            }
            body += block
            blocks += 1
        }
        lines += body
        if blocks < sample.connections.count, lines.count < rows {
            lines.append(Self.fitted((style.unicode ? "…" : "...") + " \(sample.connections.count - blocks) more connection(s): --token, --port or --dev narrow the view",
                                     width: columns))
        }
        return Array(lines.prefix(rows))
    }
}
