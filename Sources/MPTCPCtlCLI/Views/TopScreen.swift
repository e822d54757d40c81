import MPTCPKit

/// The full-screen view of `top`: a title bar, each interface's totals, then a block
/// per connection with a row per subflow (its path, its health and idle time, rates,
/// sparkline of its recent send rates, share of the connection's bytes, RTT, cwnd and
/// retransmits), fitted to the terminal's rows and columns. Nothing is ever cut: a
/// number too long is shortened with a unit suffix, and what does not fit a narrow
/// screen is left out whole (the least needed columns first, then the last parts of a
/// line). It keeps the sparklines' history; the frame itself is a pure function of the
/// sample, so tests read it as text.
struct TopScreen {
    /// The subflow table's columns in their order, each with its rank: when a row is
    /// wider than the screen, the columns of the highest rank go first, whole.
    private static let columns: [(title: String, rightAligned: Bool, rank: Int)] = [
        ("local", false, 0), ("remote", false, 1), ("dev", false, 5), ("ep", true, 6), ("path", false, 2),
        ("send", true, 3), ("recv", true, 4), ("history", false, 9), ("share", true, 10), ("rtt", true, 7),
        ("cwnd", true, 11), ("retr", true, 8),
    ]

    /// `rows` (the titles first) in columns one blank apart, after one blank, in
    /// `width` columns: the columns of the highest rank are left out until the rows fit
    /// (the first column is always kept; only it can still be too wide).
    private static func aligned(_ rows: [[String]], width: Int) -> [String] {
        var widths = [Int](repeating: 0, count: columns.count)
        for row in rows { for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) } }
        var kept = Array(columns.indices)
        while kept.count > 1, kept.reduce(0, { $0 + 1 + widths[$1] }) > width {
            let last = kept.max { columns[$0].rank < columns[$1].rank }!
            kept.removeAll { $0 == last }
        }
        return rows.map { row in
            var line = ""
            for column in kept {
                let cell = row[column]
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                line += " " + (columns[column].rightAligned ? padding + cell : cell + padding)
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// `parts` joined while they fit in `width`, whole (the first always, cut only if
    /// it alone is too wide).
    static func joined(_ parts: [String], width: Int) -> String {
        var line = ""
        for (index, part) in parts.enumerated() {
            if index > 0, line.count + part.count > width { break }
            line += part
        }
        return fitted(line, width: width)
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

    /// A count in at most five characters: "3215", "12.3k", "129k", "4.2M", "1.3G"
    /// (tenths and units cut down, never up: never more than it is); "-" when not known.
    static func count<T: BinaryInteger>(_ value: T?) -> String {
        guard let value else { return "-" }
        let n = UInt64(clamping: value)
        if n < 10_000 { return String(n) }
        for (unit, scale) in [("k", 1_000 as UInt64), ("M", 1_000_000), ("G", 1_000_000_000)] where n < scale * 1000 || unit == "G" {
            let tenths = n / (scale / 10)
            return tenths < 1000 ? "\(tenths / 10).\(tenths % 10)\(unit)" : "\(n / scale)\(unit)"
        }
        return String(n)
    }

    /// The path column: "ok" (working), "idle 12s", "stall 3.4s" (how long nothing came
    /// back), "open", "close".
    static func path(_ health: SubflowHealth) -> String {
        switch health.state {
        case .working: "ok"
        case .idle: "idle " + SubflowHealth.duration(health.idleTime)
        case .stalled: "stall " + SubflowHealth.duration(health.idleTime)
        case .opening: "open"
        case .closing: "close"
        }
    }

    /// The first `width` characters of `text` (each one column: the frame holds ASCII,
    /// addresses, blocks and arrows only).
    static func fitted(_ text: String, width: Int) -> String {
        text.utf8.count <= width ? text : String(text.prefix(max(0, width)))
    }

    /// The keys' screen (`?`).
    static let keys = ["", "Keys:", "  q  quit", "  s  sort by the next key: send, recv, rtt, token",
                       "  p  pause the display (p again resumes)", "  ?  these keys (any key goes back)", "",
                       "Rates are in bytes per second over the last interval (k, M, G: thousands,",
                       "millions, billions); share is the subflow's part of its connection's",
                       "bytes; history its send rate over the last \(historyLength) samples (one scale",
                       "for all); rtt in milliseconds (blank while stalled: the kernel keeps a",
                       "dead path's last); ep the endpoint's id (b: a backup subflow).",
                       "path: ok (working), idle N (nothing outstanding, nothing moved for N),",
                       "stall N (data waits, nothing acknowledged for N), open, close.",
                       "What does not fit the screen is left out, the least needed first."]

    /// The unit of every rate, and each interface's totals, as many as fit on a line of
    /// `columns`; those left out are counted, in room made for the count.
    static func totals(_ sample: TrafficSample, view: TopView, columns: Int) -> String {
        let entries = sample.interfaces.map { total in
            "   \(view.interfaceLabel(total)) send \(rate(total.rates.send)) recv \(rate(total.rates.receive))"
        }
        if entries.isEmpty { return "no MPTCP subflows" }
        let unit = "rates in B/s"
        var shown = 0, width = unit.count
        for entry in entries {
            if width + entry.count > columns { break }
            width += entry.count
            shown += 1
        }
        var totals = unit + entries.prefix(shown).joined()
        if shown < entries.count {
            let more = { "   +\(entries.count - $0) more" }
            while shown > 0, totals.count + more(shown).count > columns {
                shown -= 1
                totals = unit + entries.prefix(shown).joined()
            }
            totals += more(shown)
        }
        return totals
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
        var parts = ["mptcpctl top"] + (paused ? ["  PAUSED"] : [])
        parts += ["  " + (time.map { String($0.clock.prefix(8)) } ?? "--:--:--") + " UTC", "  every \(SyncOptions.seconds(options.delay))s",
                  "  sort: \(options.sort.rawValue)"]
        if let sample { parts += ["  conn \(sample.connections.count)", "  subflows \(subflows)"] }
        let help = "? keys"
        // The keys' hint stays at the right end; a narrow screen leaves out the last parts.
        var title = Self.joined(parts, width: max(0, columns - help.count - 2))
        title += String(repeating: " ", count: max(2, columns - title.count - help.count)) + help
        var lines = [styled(title, reverse)]

        if let status { lines.append(styled(status, bold)) }
        if showingKeys {
            lines += Self.keys.map { Self.fitted($0, width: columns) }
            return Array(lines.prefix(rows))
        }
        guard let sample else {
            lines.append(Self.fitted("reading the connections; the first rates come after one delay", width: columns))
            return Array(lines.prefix(rows))
        }

        lines.append(Self.fitted(Self.totals(sample, view: TopView(options: options, showNetns: showNetns), columns: columns), width: columns))

        // One scale for every sparkline, so a faster path stands taller.
        let highest = history.values.lazy.compactMap { $0.max() }.max() ?? 0
        var body: [String] = []
        var blocks = 0
        for traffic in sample.connections {
            let c = traffic.connection
            var block = [""]
            var heading = [(showNetns ? "[\(CountersView.label(traffic.netns))] " : "") + EventView.hex(c.token),
                           "  " + ConnectionsView.address(c.local, c.localPort), arrow + ConnectionsView.address(c.remote, c.remotePort),
                           "  send " + Self.rate(traffic.rates.send), "  recv " + Self.rate(traffic.rates.receive)]
            if let data = traffic.dataRates { heading.append("  data " + Self.rate(data.send) + "/" + Self.rate(data.receive)) }
            block.append(styled(Self.joined(heading, width: columns), bold))
            var cells = [Self.columns.map(\.title)]
            for row in traffic.subflows {
                let s = row.subflow, tcp = s.tcpInfo, health = s.health()
                let history = Self.sparkline(self.history[Self.key(traffic, row)] ?? [], top: highest, unicode: style.unicode)
                cells.append([ConnectionsView.address(s.local, s.localPort), ConnectionsView.address(s.remote, s.remotePort),
                             s.interfaceName ?? "-", (s.endpoint.map { String($0) } ?? "-") + (s.isBackup ? "b" : ""),
                             Self.path(health), Self.rate(row.rates.send), Self.rate(row.rates.receive), history,
                             Self.share(row, of: traffic), Self.milliseconds(health.rttIsLive ? tcp?.rtt : nil),
                             Self.count(tcp?.congestionWindow), Self.count(tcp?.totalRetransmits)])
            }
            block += Self.aligned(cells, width: columns).map { Self.fitted($0, width: columns) }
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
