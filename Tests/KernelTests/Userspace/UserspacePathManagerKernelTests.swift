import Foundation
import Testing

/// The scenarios of the kernel's `userspace_pm.sh` selftest, with mptcpctl only: a real
/// connection between two namespaces that run the userspace path manager; announcements
/// and removals from both sides, subflows created and destroyed both ways, backup
/// priority, IPv4 and IPv6. Each request is checked by the events `monitor` reports.
struct UserspacePathManagerKernelTests {
    /// The events of one `monitor -j`, decoded.
    struct Events {
        let monitor: Background

        var all: [[String: Any]] {
            monitor.text(.stdout).split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        /// Waits (up to 10 s, times the patience) for an event of `type` whose fields include `fields`.
        func wait(_ type: String, _ fields: [String: String] = [:]) -> [String: Any]? {
            var found: [String: Any]?
            waitUntil(seconds: 10) {
                found = all.first { event in
                    event["type"] as? String == type && fields.allSatisfy { key, value in "\(event[key] ?? "")" == value }
                }
                return found != nil
            }
            return found
        }
    }

    /// A held MPTCP connection from C(a) (or fd00:1::1) to the server, both namespaces on
    /// the userspace path manager, with a monitor on each side and their tokens.
    func withConnection(ipv6: Bool = false, _ body: (Topology, Events, Events, String, String) throws -> Void) throws {
        try Topology.with { t in
            for ns in [t.client, t.server] {
                #expect(ns.exec(["sysctl", "-q", "-w", "net.mptcp.pm_type=1"]).status == 0)
            }
            let client = Events(monitor: try Background.monitor(t.client, ["-j"]))
            let server = Events(monitor: try Background.monitor(t.server, ["-j"]))
            let listener = try t.startServer(listen: ipv6 ? "::" : "0.0.0.0")
            let peer = try Background(["ip", "netns", "exec", t.client.name, Topology.peer, "client",
                                       ipv6 ? "fd00:1::2" : Topology.server("a"), "8080", "--bytes", "1000",
                                       "--hold", String(Int(20_000 * Background.patience)), "--stdin"], input: true)
            defer {
                peer.closeInput()
                _ = peer.waitForExit(seconds: 10)
                _ = listener.waitForExit(seconds: 5)
                _ = client.monitor.stop()
                _ = server.monitor.stop()
            }
            let clientToken = try #require(client.wait("established")?["token"] as? String, "\(client.monitor.text(.stdout))")
            let serverToken = try #require(server.wait("established")?["token"] as? String, "\(server.monitor.text(.stdout))")
            try body(t, client, server, clientToken, serverToken)
        }
    }

    @Test func announceCreateChangeDestroyAndRemoveOverIPv4() throws {
        try withConnection { t, client, server, clientToken, serverToken in
            // The server announces S(b) with id 5: the client hears it.
            t.server.expectSuccess("userspace announce \(Topology.server("b")) id 5 token \(serverToken)")
            #expect(client.wait("announced", ["daddr": Topology.server("b"), "rem_id": "5"]) != nil, "\(client.monitor.text(.stdout))")

            // The client opens a subflow from C(b), id 3, to the announced address.
            t.client.expectSuccess("userspace create token \(clientToken) \(Topology.client("b")) id 3 remote \(Topology.server("b")) port 8080")
            let subflow = try #require(client.wait("sub_established", ["saddr": Topology.client("b"), "daddr": Topology.server("b")]),
                                       "\(client.monitor.text(.stdout))")
            #expect("\(subflow["loc_id"] ?? "")" == "3")
            let sport = try #require(subflow["sport"] as? Int)

            // Its backup priority, both ways: MP_PRIO reaches the server.
            t.client.expectSuccess("userspace change token \(clientToken) \(Topology.client("b")) port \(sport) remote \(Topology.server("b")) port 8080 backup")
            #expect(server.wait("sub_priority", ["backup": "1"]) != nil, "\(server.monitor.text(.stdout))")

            // The client's local addresses, as the userspace PM holds them (Linux 6.9+); a
            // kernel before would list its in-kernel endpoints instead: the clean refusal.
            let show = "userspace show token \(clientToken)"
            if RunningKernel.listsUserspaceAddresses {
                let shown = t.client.mptcpctl("-j \(show)")
                #expect(shown.status == 0 && shown.stdout.contains(#""address":"\#(Topology.client("b"))","id":3"#), "\(shown)")
            } else {
                t.client.expectFailure(show, status: 4, message: "\(show): this kernel cannot list a connection's addresses of the "
                    + "userspace path manager (it ignores the token of GET_ADDR and would list the in-kernel endpoints instead; "
                    + "Linux 6.9 or later can)")
            }

            // Destroyed by its two ends.
            t.client.expectSuccess("userspace destroy token \(clientToken) \(Topology.client("b")) port \(sport) remote \(Topology.server("b")) port 8080")
            #expect(client.wait("sub_closed", ["saddr": Topology.client("b"), "sport": "\(sport)"]) != nil, "\(client.monitor.text(.stdout))")

            // The server withdraws S(b): the client hears the removal of id 5.
            t.server.expectSuccess("userspace remove id 5 token \(serverToken)")
            #expect(client.wait("removed", ["rem_id": "5"]) != nil, "\(client.monitor.text(.stdout))")
        }
    }

    @Test func theClientAnnouncesAndTheServerJoinsAPortTheClientListensOn() throws {
        try withConnection { t, client, server, clientToken, serverToken in
            let listener = try Background([Shell.mptcpctl, "-n", t.client.name, "userspace", "listen", Topology.client("b"), "port", "4444"],
                                          readyOn: .stderr, line: "mptcpctl: listening for MPTCP joins on \(Topology.client("b")) port 4444 "
                                              + "in namespace \(t.client.name)")
            t.client.expectSuccess("userspace announce \(Topology.client("b")) id 7 port 4444 token \(clientToken)")
            #expect(server.wait("announced", ["daddr": Topology.client("b"), "rem_id": "7", "dport": "4444"]) != nil,
                    "\(server.monitor.text(.stdout))")
            t.server.expectSuccess("userspace create token \(serverToken) \(Topology.server("b")) id 9 remote \(Topology.client("b")) port 4444")
            #expect(server.wait("sub_established", ["saddr": Topology.server("b"), "daddr": Topology.client("b"), "dport": "4444"]) != nil,
                    "\(server.monitor.text(.stdout))")
            #expect(client.wait("sub_established", ["saddr": Topology.client("b"), "sport": "4444"]) != nil, "\(client.monitor.text(.stdout))")
            // listen ends with exit 0 on SIGTERM.
            #expect(listener.stop().status == 0)
            t.client.expectSuccess("userspace remove id 7 token \(clientToken)")
            #expect(server.wait("removed", ["rem_id": "7"]) != nil, "\(server.monitor.text(.stdout))")
        }
    }

    @Test func announceAndCreateOverIPv6() throws {
        try withConnection(ipv6: true) { t, client, server, clientToken, serverToken in
            t.server.expectSuccess("userspace announce fd00:2::2 id 6 token \(serverToken)")
            #expect(client.wait("announced", ["daddr": "fd00:2::2", "rem_id": "6"]) != nil, "\(client.monitor.text(.stdout))")
            t.client.expectSuccess("userspace create token \(clientToken) fd00:2::1 id 4 backup remote fd00:2::2 port 8080")
            #expect(client.wait("sub_established", ["saddr": "fd00:2::1", "daddr": "fd00:2::2"]) != nil, "\(client.monitor.text(.stdout))")
            // Asked for as a backup: a backup subflow at both ends, on the client (its local
            // flag) and in the server's event. 6.1 ignores the flag of a subflow the userspace
            // path manager creates: 0 at both ends there (the request's bytes carry it:
            // UserspaceRequestsTests), never 1 at one end only.
            let joined = server.wait("sub_established", ["saddr": "fd00:2::2", "daddr": "fd00:2::1"])
            #expect(joined != nil, "\(server.monitor.text(.stdout))")
            let listed = t.client.mptcpctl("-j connections").stdout
            let backup = listed.contains(#/"saddr":"fd00:2::1","daddr":"fd00:2::2","sport":\d+,"dport":8080,"loc_id":4,"rem_id":6,"backup":1/#)
            #expect(backup == ("\(joined?["backup"] ?? "")" == "1"), "\(listed)\n\(server.monitor.text(.stdout))")
        }
    }

    @Test func badTokensAndIdsAreRefusedAndChangeNothing() throws {
        try withConnection { t, client, _, clientToken, _ in
            let before = client.all.count
            // The kernel's own words for a connection that does not exist.
            t.client.expectFailure("userspace announce \(Topology.client("b")) id 5 token 00000001", status: 1,
                                   message: "userspace announce \(Topology.client("b")) id 5 token 00000001: the kernel refused: EINVAL: invalid token")
            // Id 0 is the kernel's to judge: it refuses to announce it, in its own words.
            let zero = t.client.mptcpctl("userspace announce \(Topology.client("b")) id 0 token \(clientToken)")
            #expect(zero.status == 1 && zero.stderr.hasPrefix("mptcpctl: userspace announce \(Topology.client("b")) id 0 token "
                + "\(clientToken): the kernel refused: EINVAL"), "\(zero)")
            // The command line's, before anything is sent.
            t.client.expectFailure("userspace announce \(Topology.client("b")) id 5 token xyz", status: 2,
                                   message: "userspace announce: bad token 'xyz': a token is 8 hex digits, as monitor prints it")
            t.client.expectFailure("userspace remove token \(clientToken)", status: 2, message: "userspace remove: missing id ID")
            t.client.expectFailure("userspace create token \(clientToken) \(Topology.client("b")) remote \(Topology.server("b"))", status: 2,
                                   message: "userspace create: missing the remote port: remote ADDRESS port NR")
            t.client.expectFailure("userspace destroy token \(clientToken) \(Topology.client("b")) remote \(Topology.server("b")) port 8080",
                                   status: 2, message: "userspace destroy: missing port NR (the local port of the subflow)")
            // A subflow that does not exist: ESRCH, with the kernel's words where it gives
            // some (6.18), the errno's text where it does not (6.12).
            let line = "userspace destroy token \(clientToken) \(Topology.client("b")) port 1 remote \(Topology.server("b")) port 8080"
            let missing = t.client.mptcpctl(line)
            #expect(missing.status == 1 && missing.stdout == "", "\(missing)")
            #expect(["mptcpctl: \(line): the kernel refused: ESRCH: subflow not found\n",
                     "mptcpctl: \(line): the kernel refused: ESRCH (No such process)\n"].contains(missing.stderr), "\(missing)")
            pause(seconds: 0.2)
            #expect(client.all.count == before, "\(client.monitor.text(.stdout))")
        }
    }

    /// `create … id 0` (pm_nl_ctl's `csf … lid 0`, which the kernel's own selftest
    /// runs) goes to the kernel as given: a subflow from C(b) to the announced S(b).
    @Test func createWithLocalIdZeroIsTheKernelsToJudge() throws {
        try withConnection { t, client, server, clientToken, serverToken in
            t.server.expectSuccess("userspace announce \(Topology.server("b")) id 5 token \(serverToken)")
            #expect(client.wait("announced", ["daddr": Topology.server("b"), "rem_id": "5"]) != nil, "\(client.monitor.text(.stdout))")
            let line = "userspace create token \(clientToken) \(Topology.client("b")) id 0 remote \(Topology.server("b")) port 8080"
            let result = t.client.mptcpctl(line)
            if result.status == 0 {
                #expect(result.stdout == "" && result.stderr == "", "\(result)")
                #expect(client.wait("sub_established", ["saddr": Topology.client("b"), "daddr": Topology.server("b")]) != nil,
                        "\(client.monitor.text(.stdout))")
            } else {
                // A kernel that refuses it says so itself.
                #expect(result.status == 1 && result.stderr.hasPrefix("mptcpctl: \(line): the kernel refused: "), "\(result)")
            }
        }
    }

    @Test func theInKernelPathManagerRefusesUserspaceRequests() throws {
        try Topology.with { t in
            let listener = try t.startServer()
            let monitor = try Background.monitor(t.client, ["-j"])
            let peer = try Background(["ip", "netns", "exec", t.client.name, Topology.peer, "client", Topology.server("a"), "8080",
                                       "--bytes", "1000", "--hold", String(Int(20_000 * Background.patience)), "--stdin"], input: true)
            defer {
                peer.closeInput()
                _ = peer.waitForExit(seconds: 10)
                _ = listener.waitForExit(seconds: 5)
                _ = monitor.stop()
            }
            let token = try #require(Events(monitor: monitor).wait("established")?["token"] as? String)
            // The kernel's words: "userspace PM not selected" (6.18), after "invalid request; " on 6.12.
            let line = "userspace announce \(Topology.client("b")) id 5 token \(token)"
            let refused = t.client.mptcpctl(line)
            #expect(refused.status == 1 && refused.stdout == "", "\(refused)")
            #expect(refused.stderr.hasPrefix("mptcpctl: \(line): the kernel refused: EINVAL: ")
                && refused.stderr.hasSuffix("userspace PM not selected\n") && refused.stderr.filter { $0 == "\n" }.count == 1, "\(refused)")
        }
    }
}
