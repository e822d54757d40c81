import Foundation
import Testing

/// `monitor` against real MPTCP connections between two namespaces.
struct MonitorKernelTests {
    /// NDJSON lines, decoded.
    func events(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    /// A peer sends an ADD_ADDR again until it is echoed (7.2 was seen to repeat one
    /// under qemu, and the kernel reports each): an announcement counts once.
    func firstAnnouncements(_ list: [[String: Any]]) -> [[String: Any]] {
        var seen: Set<String> = []
        return list.filter { event in
            guard event["type"] as? String == "announced" else { return true }
            return seen.insert("\(event["token"] ?? "") \(event["daddr"] ?? "") \(event["rem_id"] ?? "")").inserted
        }
    }

    /// The seed's first step: C(a)–S(a), then S announces S(b) and C answers from the
    /// address endpoint C(b). A kernel without address endpoints refuses that one cleanly;
    /// a fullmesh endpoint C(b) id 5 answers the announcement there with the same one
    /// subflow, so the events are the same.
    func configureAnnouncement(_ t: Topology) {
        t.server.expectSuccess("endpoint add \(Topology.server("b")) signal")
        t.server.expectSuccess("limits set subflows 2 add_addr_accepted 2")
        if !t.client.expectEndpointAdded("\(Topology.client("b")) id 5 address") {
            t.client.expectSuccess("endpoint add \(Topology.client("b")) id 5 fullmesh")
        }
        t.client.expectSuccess("limits set subflows 2 add_addr_accepted 2")
    }

    @Test func aConnectionWithAnAnnouncedAddressAndAnExtraSubflow() throws {
        try Topology.with { t in
            configureAnnouncement(t)
            let server = try t.startServer()
            let monitor = try Background.monitor(t.client, ["-j"])
            let client = try t.connect(seconds: 60, until: { monitor.text(.stdout).contains(#""type":"sub_established""#) })
            #expect(client?.status == 0)
            _ = server.waitForExit(seconds: 5)
            pause(seconds: 0.2)
            let result = monitor.stop()
            #expect(result.status == 0, "\(result)")
            let list = firstAnnouncements(try events(result.stdout))
            #expect(list.map { $0["type"] as? String ?? "?" } == ["created", "established", "announced", "sub_established", "closed"],
                    "\(result.stdout)")
            guard list.count == 5 else { return }
            let token = list[0]["token"] as? String
            #expect(token?.count == 8)
            #expect(list.allSatisfy { $0["token"] as? String == token })
            #expect(list.allSatisfy { ($0["time"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil })
            #expect(list[0]["saddr"] as? String == "10.0.1.1")
            #expect(list[0]["daddr"] as? String == "10.0.1.2")
            #expect(list[0]["dport"] as? Int == 8080)
            #expect(list[0]["loc_id"] as? Int == 0)
            // The client's side: 6.18 leaves server_side out, 6.1 sends it as 0.
            #expect((list[0]["server_side"] as? Int ?? 0) == 0, "\(list[0])")
            #expect(list[2]["daddr"] as? String == "10.0.2.2")
            #expect(list[2]["rem_id"] as? Int == 1)
            #expect(list[2]["saddr"] == nil)
            // The extra subflow leaves from the endpoint C(b), id 5.
            #expect(list[3]["saddr"] as? String == "10.0.2.1")
            #expect(list[3]["daddr"] as? String == "10.0.2.2")
            #expect(list[3]["dport"] as? Int == 8080)
            #expect(list[3]["loc_id"] as? Int == 5)
            #expect(list[3]["rem_id"] as? Int == 1)
            #expect(list[3]["backup"] as? Int == 0)
            #expect(Set(list[4].keys) == ["type", "token", "time"])
        }
    }

    @Test func textLinesForPeople() throws {
        try Topology.with { t in
            configureAnnouncement(t)
            let server = try t.startServer()
            let monitor = try Background.monitor(t.client, [])
            try t.connect(seconds: 60, until: { monitor.text(.stdout).contains(" sub_established ") })
            _ = server.waitForExit(seconds: 5)
            pause(seconds: 0.2)
            var announcements: Set<String> = []
            let lines = monitor.stop().stdout.split(separator: "\n").map(String.init).filter { line in
                // An announcement repeated by the peer counts once (see firstAnnouncements).
                guard line.contains("  announced ") else { return true }
                return announcements.insert(String(line.drop { $0 != " " })).inserted
            }
            #expect(lines.count == 5, "\(lines)")
            let pattern = /\d\d:\d\d:\d\d\.\d{6}  sub_established   token [0-9a-f]{8}  10\.0\.2\.1:\d+ -> 10\.0\.2\.2:8080  loc_id 5 rem_id 1 backup 0/
            #expect(lines.contains { $0.wholeMatch(of: pattern) != nil }, "\(lines)")
            #expect(lines.first?.contains("  created           token ") == true)
        }
    }

    @Test func aScriptWaitsForOneSubflow() throws {
        try Topology.with { t in
            configureAnnouncement(t)
            let server = try t.startServer()
            // (60 s: under qemu without KVM a connection takes seconds.)
            let monitor = try Background.monitor(t.client, ["-j", "--event", "sub_established", "--count", "1", "--timeout", "60"])
            try t.connect(seconds: 60, until: { !monitor.process.isRunning })
            let result = try #require(monitor.waitForExit(seconds: 61))
            _ = server.waitForExit(seconds: 5)
            #expect(result.status == 0)
            let list = try events(result.stdout)
            #expect(list.count == 1)
            #expect(list.first?["type"] as? String == "sub_established")
            #expect(list.first?["saddr"] as? String == "10.0.2.1")
        }
    }

    @Test func aTimeoutWithoutTheEventsIsItsOwnExitCode() throws {
        try TestNamespace.with { ns in
            let result = Shell.run(Shell.mptcpctl, ["-n", ns.name, "monitor", "--count", "1", "--timeout", "0.3"])
            #expect(result.status == 7)
            #expect(result.stdout == "")
            #expect(result.stderr.hasSuffix("mptcpctl: monitor: 0.3 s passed before 1 matching event(s) came\n"))
            let bounded = Shell.run(Shell.mptcpctl, ["-n", ns.name, "monitor", "--timeout", "0.2"])
            #expect(bounded.status == 0)
        }
    }

    @Test func badMonitorOptions() throws {
        try TestNamespace.with { ns in
            ns.expectFailure("monitor --event bogus", status: 2, message: "monitor: unknown event type 'bogus': expected created, "
                + "established, closed, announced, removed, sub_established, sub_closed, sub_priority, listener_created, listener_closed "
                + "(or ip's names: CREATED, ESTABLISHED, CLOSED, ANNOUNCED, REMOVED, SF_ESTABLISHED, SF_CLOSED, SF_PRIO, "
                + "LISTENER_CREATED, LISTENER_CLOSED)")
            ns.expectFailure("monitor --count 0", status: 2, message: "monitor: bad --count '0': a count is a whole number, 1 or more")
            ns.expectFailure("monitor --count x", status: 2, message: "monitor: bad --count 'x': a count is a whole number, 1 or more")
            ns.expectFailure("monitor --timeout -1", status: 2, message: "monitor: bad --timeout '-1': a timeout is a number of seconds above 0")
            ns.expectFailure("endpoint show --count 1", status: 2, message: "'--count' works with monitor only")
        }
    }

    /// 500 connections opened and closed as fast as they go: every created and closed
    /// event is seen once, none lost.
    @Test func aBurstLosesNothing() throws {
        try Topology.with(links: ["a"]) { t in
            let count = 500
            let server = try t.startServer(connections: count)
            let monitor = try Background.monitor(t.client, ["-j", "--event", "created", "--event", "closed",
                                                             "--count", String(2 * count), "--timeout", "60"])
            let client = t.connect(connections: count, bytes: 0, holdMilliseconds: 0)
            #expect(client.status == 0, "\(client)")
            let result = try #require(monitor.waitForExit(seconds: 65))
            _ = server.waitForExit(seconds: 5)
            #expect(result.status == 0, "\(result.stderr)")
            let list = try events(result.stdout)
            let created = list.filter { $0["type"] as? String == "created" }.compactMap { $0["token"] as? String }
            let closed = list.filter { $0["type"] as? String == "closed" }.compactMap { $0["token"] as? String }
            #expect(created.count == count)
            #expect(Set(created).count == count)
            #expect(closed.count == count)
            #expect(Set(closed) == Set(created))
            #expect(!result.stdout.contains(#""type":"lost""#))
            #expect(!result.stderr.contains("lost"))
        }
    }
}
