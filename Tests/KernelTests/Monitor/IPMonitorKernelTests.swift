import Foundation
import Testing

/// `mptcpctl --format ip monitor` beside iproute2 7.1's own `ip mptcp monitor` (built from
/// its release by Tests/IPRoute2/build-ip.sh: Debian 12's `ip` is 6.1), each pair started
/// with the same options on the same namespace, watching the same real connections: IPv4
/// and IPv6, an announced address, a subflow from an endpoint with `dev` that is then
/// deleted, the server's side (`server_side`, `REMOVED`, its listener) and a server that
/// denies joins to its first address (`deny_join_id0`). What each prints must be the same,
/// byte for byte: text, JSON, indented JSON, and with `-t`/`-ts` all but the times, which
/// must agree to the second.
struct IPMonitorKernelTests {
    static let repository = Repository.root.path

    /// iproute2 7.1's ip, built once (quick once it is cached); the test fails when it cannot be had.
    static let build = Shell.run("bash", [repository + "/Tests/IPRoute2/build-ip.sh"])

    /// A time zone of no place (UTC+05:45, no tz database needed) for both, so the times
    /// `-t` and `-ts` print are local times, not UTC by chance.
    static let zone = "TZ=XST-5:45"

    /// A program whose standard output and error go to files as it writes them: a dozen
    /// run at once here, more than `Background`'s reader threads can serve.
    final class Recorded {
        let process = Process()
        private let paths: [String]

        init(_ arguments: [String]) throws {
            let base = NSTemporaryDirectory() + "mptcpctl-ipmonitor-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            paths = [base + ".out", base + ".err"]
            for path in paths { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            // SIGTERM unblocked: the test's thread blocks it, its children inherit the mask,
            // and ip (a handler, not a signalfd) would never see it.
            process.arguments = ["--default-signal=TERM"] + arguments
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = FileHandle(forWritingAtPath: paths[0])
            process.standardError = FileHandle(forWritingAtPath: paths[1])
            try process.run()
        }

        deinit {
            if process.isRunning { process.terminate() }
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
        }

        func text(_ stream: Background.Stream) -> String {
            (try? String(contentsOfFile: paths[stream == .stdout ? 0 : 1], encoding: .utf8)) ?? ""
        }

        /// Sends SIGTERM and collects what it printed and how it exited.
        func stop() -> CommandResult {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            return CommandResult(status: process.terminationStatus, stdout: text(.stdout), stderr: text(.stderr))
        }
    }

    /// An `ip … mptcp monitor` and the `mptcpctl … --format ip monitor` given the same options.
    struct Pair {
        var options: [String]
        var ns: String
        var ip: Recorded
        var ours: Recorded
        var json: Bool { options.contains("-j") }
    }

    func start(_ options: [String], in ns: TestNamespace, ip: String) throws -> Pair {
        let ours = try Recorded([Self.zone, Shell.mptcpctl, "-n", ns.name, "--format", "ip"] + options + ["monitor"])
        let note = "mptcpctl: listening for MPTCP path-manager events in namespace \(ns.name)\n"
        try #require(waitUntil(seconds: 10) { ours.text(.stderr) == note || !ours.process.isRunning }, "\(ours.text(.stderr))")
        try #require(ours.text(.stderr) == note, "\(options): \(ours.text(.stderr))")
        let theirs = try Recorded([Self.zone, ip, "-n", ns.name] + options + ["mptcp", "monitor"])
        return Pair(options: options, ns: ns.name, ip: theirs, ours: ours)
    }

    /// The multicast group of the path manager's events (genl's `ID-0x9 name: mptcp_pm_events`).
    func eventsGroup() throws -> Int {
        let text = Shell.run("genl", ["ctrl", "get", "name", "mptcp_pm"]).stdout
        let line = try #require(text.split(separator: "\n").first { $0.contains("name: mptcp_pm_events") }, "\(text)")
        let id = try #require(line.firstMatch(of: /ID-0x([0-9a-f]+)/).flatMap { Int($0.1, radix: 16) }, "\(line)")
        try #require(id >= 1 && id <= 32, "mptcp_pm_events is group \(id): /proc/net/netlink shows groups 1 to 32 only")
        return id
    }

    /// The netlink sockets of `pid`'s namespace subscribed to `group` (ip prints nothing
    /// when it has subscribed: the kernel's /proc/net/netlink says it).
    func subscribers(pid: Int32, group: Int) -> Int {
        let table = (try? String(contentsOfFile: "/proc/\(pid)/net/netlink", encoding: .utf8)) ?? ""
        return table.split(separator: "\n").dropFirst().filter { line in
            let columns = line.split(separator: " ")
            guard columns.count > 3, columns[1] == "16", let groups = UInt32(columns[3], radix: 16) else { return false }
            return groups & (1 << UInt32(group - 1)) != 0
        }.count
    }

    func count(_ event: String, _ pair: Pair) -> Int {
        pair.ip.text(.stdout).components(separatedBy: "\(event)] ").count - 1
    }

    /// One connection from the client to `address`, held until the client's monitor has
    /// seen an extra subflow; then endpoint `id`, the one it left from, is deleted, and
    /// once its subflow is reported closed the connection closes.
    func connection(_ t: Topology, to address: String, deleting id: Int, watched pair: Pair) throws {
        let established = count("SF_ESTABLISHED", pair), closed = count("SF_CLOSED", pair)
        var deleted = false
        let client = try t.connect(to: address, seconds: 30) {
            if !deleted, count("SF_ESTABLISHED", pair) > established {
                t.client.expectSuccess("endpoint delete id \(id)")
                deleted = true
            }
            return deleted && count("SF_CLOSED", pair) > closed
        }
        #expect(client?.status == 0, "\(client.map(\.description) ?? "the client is still running")")
        #expect(deleted && count("SF_CLOSED", pair) > closed, "\(pair.ip.text(.stdout))")
    }

    /// The events in a monitor's output: its lines, or its JSON objects.
    func events(_ text: String, json: Bool) -> Int {
        text.components(separatedBy: json ? #""event""# : "\n").count - 1
    }

    /// The times of day in `-ts`'s "[2026-12-07T17:33:51.483763] " and `-t`'s "Timestamp:
    /// Mon Dec  7 17:33:51 2026 483763 usec", in seconds, and the text with each time of
    /// day and its microseconds replaced by "TIME" (the dates are kept).
    func times(_ text: String) -> (seconds: [Double], masked: String) {
        var seconds: [Double] = []
        func second(_ h: Substring, _ m: Substring, _ s: Substring, _ micros: Substring) -> Double {
            Double(Int(h)! * 3600 + Int(m)! * 60 + Int(s)!) + Double(Int(micros)!) / 1e6
        }
        var masked = text.replacing(#/T(\d\d):(\d\d):(\d\d)\.(\d{6})\] /#) { match in
            seconds.append(second(match.1, match.2, match.3, match.4))
            return "TTIME] "
        }
        masked = masked.replacing(#/ (\d\d):(\d\d):(\d\d) (\d{4}) (\d{1,6}) usec"/#) { match in
            seconds.append(second(match.1, match.2, match.3, match.5))
            return " TIME \(match.4) usec\""
        }
        return (seconds, masked)
    }

    @Test func formatIPMonitorPrintsWhatIproute2PrintsByteForByte() throws {
        let build = Self.build
        try #require(build.status == 0, "Tests/IPRoute2/build-ip.sh could not give iproute2 7.1's ip:\n\(build.stderr)")
        let ip = build.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let group = try eventsGroup()
        try Topology.with { t in
            t.server.expectSuccess("endpoint add \(Topology.server("b")) signal")
            t.server.expectSuccess("endpoint add fd00:2::2 signal")
            t.server.expectSuccess("limits set subflows 2 add_addr_accepted 2")
            #expect(t.server.exec(["sysctl", "-q", "net.mptcp.allow_join_initial_addr_port=0"]).status == 0)
            for (address, id) in [(Topology.client("b"), 5), ("fd00:2::1", 6)] {
                // A kernel without address endpoints answers the announcement from a fullmesh one.
                if !t.client.expectEndpointAdded("\(address) dev cb id \(id) address") {
                    t.client.expectSuccess("endpoint add \(address) dev cb id \(id) fullmesh")
                }
            }
            t.client.expectSuccess("limits set subflows 2 add_addr_accepted 2")

            let client = try [[], ["-j"], ["-ts"], ["-t", "-j", "-p"]].map { try start($0, in: t.client, ip: ip) }
            let server = try [[], ["-j"]].map { try start($0, in: t.server, ip: ip) }
            for (pairs, ns) in [(client, t.client.name), (server, t.server.name)] {
                let subscribed = waitUntil(seconds: 10) { subscribers(pid: pairs[0].ip.process.processIdentifier, group: group) >= 2 * pairs.count }
                try #require(subscribed, "the monitors of \(ns) did not all subscribe: \(pairs.map { $0.ip.text(.stderr) + $0.ours.text(.stderr) })")
            }

            let listener = try t.startServer(listen: "::", connections: 2)
            try connection(t, to: Topology.server("a"), deleting: 5, watched: client[0])
            try connection(t, to: "fd00:1::2", deleting: 6, watched: client[0])
            _ = listener.waitForExit(seconds: 10)
            // Every monitor has everything: both connections closed (and the listener, on
            // kernels with listener events); then mptcpctl's output has caught up with ip's.
            for pairs in [client, server] {
                let text = pairs[0].ip
                let listens = text.text(.stdout).contains("LISTENER_CREATED")
                #expect(waitUntil(seconds: 10) {
                    count(" CLOSED", pairs[0]) >= 2 && (!listens || count("LISTENER_CLOSED", pairs[0]) >= 1)
                }, "\(text.text(.stdout))")
                let expected = events(text.text(.stdout), json: false)
                for pair in pairs {
                    #expect(waitUntil(seconds: 5) {
                        events(pair.ip.text(.stdout), json: pair.json) == expected && events(pair.ours.text(.stdout), json: pair.json) == expected
                    }, "\(pair.options): \(expected) events expected:\n\(pair.ours.text(.stdout))\n\(pair.ip.text(.stdout))")
                }
            }
            let results = (client + server).map { (options: $0.options, ns: $0.ns, ip: $0.ip.stop(), ours: $0.ours.stop()) }

            for result in results {
                let what = "\(result.options), \(result.ours.stdout == result.ip.stdout ? "" : "mptcpctl:\n\(result.ours.stdout)\nip:\n\(result.ip.stdout)")"
                #expect(result.ip.status == 0 && result.ip.stderr == "", "\(result.ip)")
                #expect(result.ours.status == 0, "\(result.ours)")
                #expect(result.ours.stderr == "mptcpctl: listening for MPTCP path-manager events in namespace \(result.ns)\n")
                if result.options.contains(where: { $0.hasPrefix("-t") }) {
                    let ours = times(result.ours.stdout), theirs = times(result.ip.stdout)
                    #expect(ours.masked == theirs.masked, "\(what)")
                    #expect(ours.seconds.count == theirs.seconds.count && !ours.seconds.isEmpty)
                    // Received once, stamped by each on its own: within a second of each other.
                    for (a, b) in zip(ours.seconds, theirs.seconds) { #expect(abs(a - b) < 1 || abs(a - b) > 86_399, "\(a) \(b)") }
                    // In the zone given, not UTC.
                    let local = Date().addingTimeInterval(5 * 3600 + 45 * 60).timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400)
                    #expect(ours.seconds.allSatisfy { abs($0 - local) < 600 || abs($0 - local) > 86_400 - 600 }, "\(ours.seconds) \(local)")
                } else {
                    #expect(result.ours.stdout == result.ip.stdout, "\(what)")
                }
                if result.options.contains("-j") {
                    // The same values, read back as JSON (times aside), each array whole.
                    func values(_ text: String) throws -> [String] {
                        let list = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]], "\(text)")
                        return try list.map { object in
                            var object = object
                            object["timestamp"] = nil
                            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
                        }
                    }
                    let ours = try values(result.ours.stdout), theirs = try values(result.ip.stdout)
                    #expect(!ours.isEmpty && ours == theirs, "\(result.options)")
                }
            }

            // What the connections made, as ip printed it (so that the comparison above is
            // not of two empty outputs): every event the issue names, both families, dev.
            let text = results[0].ip.stdout
            for word in ["[         CREATED] token=", "[     ESTABLISHED] ", "[       ANNOUNCED] ", "[  SF_ESTABLISHED] ",
                         "[       SF_CLOSED] ", "[          CLOSED] token=", " saddr4=10.0.1.1 daddr4=10.0.1.2 ",
                         " saddr6=fd00:1::1 daddr6=fd00:1::2 ", " saddr4=10.0.2.1 daddr4=10.0.2.2 ", " saddr6=fd00:2::1 daddr6=fd00:2::2 ",
                         " dev=cb\n", " deny_join_id0\n"] {
                #expect(text.contains(word), "client: no '\(word)' in\n\(text)")
            }
            let serverText = results[4].ip.stdout
            for word in [" server_side\n", "[         REMOVED] token="] {
                #expect(serverText.contains(word), "server: no '\(word)' in\n\(serverText)")
            }
            let json = results[1].ip.stdout
            #expect(json.hasPrefix(#"[{"event":"CREATED","token":"0x"#) && json.hasSuffix("}]\n"), "\(json)")
            #expect(json.contains(#""dev":"cb""#) && json.contains(#""deny_join_id0":true"#))
            #expect(results[5].ip.stdout.contains(#""server_side":true"#))
            #expect(results[3].ip.stdout.hasPrefix("[ {\n        \"timestamp\": \""))
            #expect(results[2].ip.stdout.hasPrefix("["))
        }
    }
}
