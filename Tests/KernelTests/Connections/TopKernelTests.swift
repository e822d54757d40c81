import Foundation
import Testing

/// `top -j` on real traffic: client C and server S joined by links a and b, the
/// client's side of each shaped with tbf to its own rate, one MPTCP upload C(a)–S(a)
/// that keeps both subflows busy (C(a)–S(a) over a, C(b)–S(b) over b, from an address
/// endpoint answering S's announcement of S(b)).
struct TopKernelTests {
    let ca = Topology.client("a"), cb = Topology.client("b"), sa = Topology.server("a"), sb = Topology.server("b")
    /// Each link's shaping, in bytes per second (4 and 12 Mbit/s).
    static let shaped = ["ca": 500_000.0, "cb": 1_500_000.0]

    /// The NDJSON lines of `top -j`, each an object.
    static func samples(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    /// The shaped links and the upload over both, running while `body` does; `settled`:
    /// once the slow link's slow start is over (else as soon as both subflows are up).
    static func withUpload(settled: Bool = true, _ body: (Topology, _ upload: Background) throws -> Void) throws {
        try Topology.with(links: ["a", "b"]) { t in
            let cb = Topology.client("b"), sa = Topology.server("a"), sb = Topology.server("b")
            for (device, bytes) in Self.shaped {
                let shaping = t.client.exec(["tc", "qdisc", "add", "dev", device, "root", "tbf", "rate", "\(Int(bytes * 8))bit",
                                             "burst", "32kb", "latency", "200ms"])
                try #require(shaping.status == 0, "tc: \(shaping)")
            }
            t.server.expectSuccess("endpoint add \(sb) signal")
            t.server.expectSuccess("limits set subflows 1 add_addr_accepted 1")
            t.client.expectSuccess("limits set subflows 1 add_addr_accepted 1")
            // Before Linux 6.18 (no address endpoints) a fullmesh one answers S(b) as well.
            if !t.client.expectEndpointAdded("\(cb) id 5 dev cb address") {
                t.client.expectSuccess("endpoint add \(cb) id 5 dev cb fullmesh")
            }
            let server = try t.startServer()
            let upload = try Background(["ip", "netns", "exec", t.client.name, Topology.peer, "client", sa, "8080",
                                         "--stream", String(Int(120_000 * Background.patience)), "--stdin"], input: true)
            defer {
                upload.closeInput()
                _ = upload.waitForExit(seconds: 10)
                _ = server.waitForExit(seconds: 5)
            }
            // Both subflows up, then time for each to fill its link: the slow link's slow
            // start ends in hundreds of retransmissions, which hold the fast one back for a
            // second or two after (seen: 0.1 to 0.9 of its rate); afterwards each stays near
            // 0.94 of its shaping (the headers).
            var connections = ""
            waitUntil(seconds: 10, every: 0.05) {
                connections = t.client.mptcpctl("-j connections").stdout
                return connections.components(separatedBy: #""state":"established""#).count - 1 >= 3
            }
            try #require(connections.components(separatedBy: #""state":"established""#).count - 1 >= 3,
                         "both subflows never came up: \(connections)")
            guard settled else { return try body(t, upload) }
            // Wait for a second without a retransmission (up to 20 s), then two more.
            var retransmitted = -1
            let calm = Date().addingTimeInterval(20 * Background.patience)
            while Date() < calm {
                let reading = t.client.mptcpctl("top -j --delay 1 --iterations 1")
                let subflows = (try? Self.samples(reading.stdout))?.last.flatMap { $0["connections"] as? [[String: Any]] }?
                    .flatMap { $0["subflows"] as? [[String: Any]] ?? [] } ?? []
                let total = subflows.reduce(0) { $0 + ($1["retrans"] as? Int ?? 0) }
                if total == retransmitted { break }
                retransmitted = total
            }
            pause(seconds: 2 * Background.patience)
            try body(t, upload)
        }
    }

    @Test func eachSubflowSendsAtItsLinksRateAndTheConnectionAtTheirSum() throws {
        try Self.withUpload { t, _ in
            let delay = Background.patience <= 1 ? "1" : String(Background.patience)
            let result = t.client.mptcpctl("top -j --delay \(delay) --iterations 4")
            #expect(result.status == 0 && result.stderr == "", "\(result)")
            let samples = try Self.samples(result.stdout)
            try #require(samples.count == 4, "\(result.stdout)")
            #expect(samples.allSatisfy { $0["time"] is String && $0["connections"] is [Any] })
            let last = try #require(samples.last?["connections"] as? [[String: Any]])
            try #require(last.count == 1, "\(result.stdout)")
            let connection = last[0]
            #expect(connection["saddr"] as? String == ca && connection["daddr"] as? String == sa)
            let subflows = try #require(connection["subflows"] as? [[String: Any]])
            try #require(subflows.count == 2, "\(result.stdout)")
            var sum = 0.0
            for subflow in subflows {
                let dev = try #require(subflow["dev"] as? String, "\(subflow)")
                let shaped = try #require(Self.shaped[dev], "\(subflow)")
                let rate = try #require(subflow["send_rate"] as? Double, "\(subflow)")
                sum += rate
                #expect(rate >= 0.5 * shaped && rate <= 1.15 * shaped, "\(dev): \(rate) B/s shaped to \(shaped): \(result.stdout)")
                #expect(subflow["rtt_us"] is Int && subflow["cwnd"] is Int && subflow["retrans"] is Int, "\(subflow)")
                if dev == "ca" {
                    #expect(subflow["saddr"] as? String == ca && subflow["daddr"] as? String == sa)
                    #expect(subflow["endpoint"] is NSNull, "the initial subflow comes from no endpoint: \(subflow)")
                } else {
                    #expect(subflow["saddr"] as? String == cb && subflow["daddr"] as? String == sb)
                    #expect(subflow["endpoint"] as? Int == 5, "\(subflow)")
                }
            }
            #expect(Set(subflows.compactMap { $0["dev"] as? String }) == ["ca", "cb"])
            let total = try #require(connection["send_rate"] as? Double)
            #expect(abs(total - sum) <= 0.1 * sum, "connection \(total) B/s, subflows \(sum) B/s: \(result.stdout)")
            // The data rate (mptcp_info's counters, each byte once) moves in steps as the
            // peer acknowledges data that came out of order over the two paths: only there.
            // A kernel whose mptcp_info has no byte counters (before 6.5) has no data rate: null.
            if RunningKernel.reportsByteCounters {
                #expect((connection["data_send_rate"] as? Double ?? 0) > 0, "\(connection)")
            } else {
                #expect(connection["data_send_rate"] is NSNull, "\(connection)")
            }
            // Sorted by send rate: the faster link first.
            #expect(subflows.first?["dev"] as? String == "cb")
            let interfaces = try #require(samples.last?["interfaces"] as? [[String: Any]])
            #expect(interfaces.compactMap { $0["dev"] as? String } == ["ca", "cb"])

            // The server's side of the same upload: what each subflow receives, the median of
            // three samples (one interval's reading moves with the shaper's bursts, and drops
            // when a loaded host leaves the sender no time).
            let received = t.server.mptcpctl("-j top --delay \(delay) --iterations 3")
            #expect(received.status == 0, "\(received)")
            var rates: [String: [Double]] = [:]
            for sample in try Self.samples(received.stdout) {
                for connection in sample["connections"] as? [[String: Any]] ?? [] {
                    for subflow in connection["subflows"] as? [[String: Any]] ?? [] {
                        guard let dev = subflow["dev"] as? String, let rate = subflow["recv_rate"] as? Double else { continue }
                        rates[dev, default: []].append(rate)
                    }
                }
            }
            #expect(Set(rates.keys) == ["sa", "sb"] && rates.values.allSatisfy { $0.count == 3 }, "\(received)")
            for (dev, readings) in rates {
                let shaped = Self.shaped["c" + String(dev.dropFirst())] ?? 0
                let rate = readings.sorted()[readings.count / 2]
                #expect(rate >= 0.5 * shaped && rate <= 1.15 * shaped, "\(dev): \(rate) B/s received, shaped to \(shaped): \(received.stdout)")
            }

            // The text: the totals per interface, then the connection and a row per subflow.
            let text = t.client.mptcpctl("top --delay \(delay) --iterations 1 --sort token")
            let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(text.status == 0 && lines.count == 7 && lines[5...] == ["", ""], "\(text)")
            #expect(lines.first?.contains(#"  ca: send "#) == true && lines.first?.contains(#"  cb: send "#) == true, "\(text)")
            #expect(lines.dropFirst().first?.hasPrefix("token ") == true, "\(text)")
            let words = lines.dropFirst(2).prefix(3).map { $0.split(separator: " ").map(String.init) }
            #expect(words.first == ["local", "remote", "dev", "endpoint", "backup", "state", "idle", "send", "recv", "rtt_us", "cwnd",
                                    "retrans"])
            #expect(words.dropFirst().map { Array($0[2...5]) } == [["ca", "-", "0", "working"], ["cb", "5", "0", "working"]], "\(text)")
            #expect(subflows.allSatisfy { $0["health"] as? String == "working" && $0["stall"] is NSNull && $0["idle_ms"] is Int },
                    "\(subflows)")
        }
    }

    /// The full-screen view in a real terminal (tmux, 80×24): the title, the totals, the
    /// connection and a row per subflow, the faster path first and taller in its
    /// history; the keys s, p, ? and q; a resize; the shell's screen back afterwards.
    @Test func theFullScreenViewInATerminal() throws {
        try Self.withUpload { t, _ in
            let delay = Background.patience <= 1 ? "0.5" : String(Background.patience / 2)
            let tmux = try TmuxSession("echo before top; '\(Shell.mptcpctl)' -n \(t.client.name) top --delay \(delay); echo exit $?; sleep 600",
                                       environment: ["LANG": "C.UTF-8"])
            // A frame's two subflow rows, as words, and a rate as `top` writes it.
            func blocks(_ line: String) -> Int { line.filter { "▁▂▃▄▅▆▇█".contains($0) }.count }
            func rows(_ lines: [String]) -> [[String]] {
                lines.count > 6 ? lines[5...6].map { $0.split(separator: " ").map(String.init) } : []
            }
            func rate(_ word: String) -> Double {
                let scale: [Character: Double] = ["k": 1e3, "M": 1e6, "G": 1e9]
                guard let last = word.last, let factor = scale[last] else { return Double(word) ?? -1 }
                return (Double(word.dropLast()) ?? -1) * factor
            }
            // Three samples, so the history has some length, and the 12 Mbit/s path (cb,
            // endpoint 5) ahead: for a second or two at a time the slow link's losses hold
            // the fast one back (seen: cb at 142.5k against ca's 455.8k for one half-second
            // sample), and the view, sorted by send rate, then rightly puts ca first.
            let (screen, drawn) = tmux.waitFor(seconds: 30) { lines in
                let words = rows(lines)
                return lines[0].contains("conn 1  subflows 2") && blocks(lines[5]) >= 3 && blocks(lines[6]) >= 3
                    && words.allSatisfy { $0.count >= 10 } && words.first?[2] == "cb"
            }
            try #require(drawn, "cb never led: \(screen.joined(separator: "\n"))")
            let text = screen.joined(separator: "\n")
            #expect(screen.allSatisfy { $0.count <= 80 }, "\(text)")
            #expect(screen[0].hasPrefix("mptcpctl top  ") && screen[0].contains("sort: send") && screen[0].hasSuffix("? keys"), "\(text)")
            #expect(screen[1].hasPrefix("rates in B/s   ca send ") && screen[1].contains("   cb send "), "\(text)")
            #expect(screen[3].contains("  \(Topology.client("a")):") && screen[3].contains(" → \(Topology.server("a")):8080  send "), "\(text)")
            // What fits 80 columns: cwnd and share, the least needed, may be left out.
            let titles = screen[4].split(separator: " ").map(String.init)
            #expect(titles.prefix(8) == ["local", "remote", "dev", "ep", "path", "send", "recv", "history"]
                && titles.last == "retr" && titles.contains("rtt"), "\(text)")
            // Sorted by send rate: the faster row first, with its endpoint; its history
            // the taller (one scale for the connection), its share the larger.
            let rows = rows(screen)
            #expect(rows[0][3] == "5" && rows[1][2] == "ca" && rows[1][3] == "-", "\(text)")
            #expect(rows.allSatisfy { $0[4] == "ok" }, "both paths work: \(text)")
            #expect(rate(rows[0][5]) >= rate(rows[1][5]) && rate(rows[1][5]) >= 0, "\(text)")
            func level(_ row: String) -> Int {
                row.compactMap { Array("▁▂▃▄▅▆▇█").firstIndex(of: $0) }.max() ?? -1
            }
            #expect(level(screen[5]) > level(screen[6]), "\(text)")
            if titles.contains("share") {
                let shares = rows.map { Int($0.first { $0.hasSuffix("%") }?.dropLast() ?? "") ?? -1 }
                #expect(shares[0] > shares[1] && shares[0] + shares[1] >= 99 && shares[0] + shares[1] <= 101, "\(text)")
            }
            // Bold and reverse video, as NO_COLOR is not set.
            let escapes = tmux.screen(escapes: true)
            #expect(escapes.first?.contains("\u{1b}[7m") == true, "\(escapes)")

            tmux.send("s")
            let step1 = tmux.waitFor { lines in lines.first?.contains("sort: recv") == true }
            #expect(step1.held, "\(step1.screen)")
            tmux.send("p")
            let paused = tmux.waitFor { $0.first?.contains("PAUSED") == true }
            #expect(paused.held, "\(paused.screen)")
            pause(seconds: 1.5 * Background.patience)
            #expect(tmux.screen().dropFirst() == paused.screen.dropFirst(), "the paused screen changed")
            tmux.send("p")
            let step2 = tmux.waitFor { lines in lines.first?.contains("PAUSED") == false }
            #expect(step2.held, "\(step2.screen)")
            tmux.send("?")
            let step3 = tmux.waitFor { lines in lines.contains("  q  quit") }
            #expect(step3.held, "\(step3.screen)")
            tmux.send("x")
            let step4 = tmux.waitFor { lines in !lines.contains("  q  quit") && lines.count > 6 }
            #expect(step4.held, "\(step4.screen)")

            // Narrower (tmux 3.3a mixes what is drawn past the old width on the
            // alternate screen into the shell's screen it restores: not tested wider).
            // Until top has drawn for the new size: tmux first shows the old frame cut
            // to 64 columns, which a loaded machine leaves up long enough to be read.
            tmux.resize(columns: 64, rows: 20)
            let narrow = tmux.waitFor { lines in
                lines.first?.count == 64 && lines.count == 20 && lines.first?.hasSuffix("? keys") == true
            }
            #expect(narrow.held && narrow.screen.first?.hasSuffix("? keys") == true
                && narrow.screen.allSatisfy { $0.count <= 64 }, "\(narrow.screen)")

            tmux.send("q")
            let after = tmux.waitFor { $0.contains("exit 0") }
            #expect(after.held, "\(after.screen)")
            #expect(after.screen.first == "before top" && !after.screen.contains { $0.hasPrefix("mptcpctl top") },
                    "the shell's screen is back: \(after.screen)")
        }
    }

    /// A black hole on path b during the upload (its acknowledgements dropped by iptables
    /// in the client's namespace): b's subflow reads stalled, in retransmission backoff,
    /// its RTT blanked in the text, while a keeps working.
    @Test func aBlackHoledPathReadsStalledAndItsRTTBlank() throws {
        try Self.withUpload(settled: false) { t, _ in
            let hole = t.client.exec(["iptables", "-A", "INPUT", "-i", "cb", "-j", "DROP"])
            try #require(hole.status == 0, "iptables: \(hole)")
            func subflows(_ stdout: String) -> [[String: Any]] {
                ((try? Self.samples(stdout))?.last?["connections"] as? [[String: Any]])?
                    .flatMap { $0["subflows"] as? [[String: Any]] ?? [] } ?? []
            }
            func on(_ dev: String, _ rows: [[String: Any]]) -> [String: Any]? { rows.first { $0["dev"] as? String == dev } }
            // Stalled a second after the hole; in backoff once a retransmission timeout fired.
            var seen = "", stalled: [[String: Any]] = []
            let deadline = Date().addingTimeInterval(15 * Background.patience)
            while Date() < deadline {
                seen = t.client.mptcpctl("-j top --delay 0.5 --iterations 1").stdout
                if on("cb", subflows(seen))?["stall"] as? String == "backoff" { stalled = subflows(seen); break }
            }
            let b = try #require(on("cb", stalled), "b never read stalled in backoff: \(seen)")
            #expect(b["health"] as? String == "stalled" && (b["idle_ms"] as? Int ?? 0) >= 1000, "\(b)")
            #expect(b["rtt_us"] is Int, "the last RTT stays in -j, marked by health: \(b)")
            #expect(on("ca", stalled)?["health"] as? String == "working", "\(stalled)")
            let text = t.client.mptcpctl("top --delay 0.5 --iterations 1 --dev cb")
            let row = text.stdout.split(separator: "\n").first { $0.contains(" cb ") }.map { $0.split(separator: " ").map(String.init) }
            #expect(text.status == 0 && row?[5] == "stalled/backoff" && row?[9] == "-", "\(text)")
        }
    }

    /// NO_COLOR: no attributes; SIGTERM and ^C give the screen back with exit 0.
    @Test func noColourAsciiAndSignalsRestoreTheScreen() throws {
        try TestNamespace.with { ns in
            for (signal, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "^C")] {
                let tmux = try TmuxSession("echo before top; '\(Shell.mptcpctl)' -n \(ns.name) top --delay 0.2; echo exit $?; sleep 600",
                                           environment: ["NO_COLOR": "1"])
                let drawn = tmux.waitFor(escapes: true) { $0.count > 1 && $0[1] == "no MPTCP subflows" }
                #expect(drawn.held, "\(drawn.screen)")
                #expect(!drawn.screen.joined().contains("\u{1b}["), "NO_COLOR: \(drawn.screen)")
                if signal == SIGINT {
                    tmux.send("C-c")
                } else {
                    let pid = try #require(tmux.programPID())
                    kill(pid, signal)
                }
                let after = tmux.waitFor { $0.contains("exit 0") }
                #expect(after.held && after.screen.first == "before top", "\(name): \(after.screen)")
            }
        }
    }

    /// A bad value is named, nothing is read; SIGTERM ends it with exit 0.
    @Test func badValuesAndStopping() throws {
        try TestNamespace.with { ns in
            ns.expectFailure("top --delay 0", status: 2, message: "top: bad --delay '0': a delay is a number of seconds above 0, at most 86400")
            ns.expectFailure("top --delay x", status: 2, message: "top: bad --delay 'x': a delay is a number of seconds above 0, at most 86400")
            ns.expectFailure("top --iterations 0", status: 2,
                             message: "top: bad --iterations '0': a number of samples is a whole number, 1 or more")
            ns.expectFailure("top --token 123456789", status: 2,
                             message: "top: bad --token '123456789': a token is up to 8 hex digits, as connections and monitor print it")
            ns.expectFailure("top --port 65536", status: 2, message: "top: bad --port '65536': a port is a number from 1 to 65535")
            ns.expectFailure("top --sort fastest", status: 2, message: "top: unknown --sort key 'fastest': expected send, recv, rtt or token")
            ns.expectFailure("top now", status: 2, message: "top: unexpected word 'now': top takes no arguments")
            ns.expectFailure("counters --delay 1", status: 2, message: "'--delay' works with top only")

            let top = try Background([Shell.mptcpctl, "-n", ns.name, "top", "-j", "--delay", "0.2"])
            #expect(top.waitFor("\n", on: .stdout, seconds: 5))
            let result = top.stop()
            #expect(result.status == 0 && result.stderr == "", "\(result)")
            #expect(try Self.samples(result.stdout).allSatisfy { ($0["connections"] as? [Any])?.isEmpty == true })
        }
    }
}
