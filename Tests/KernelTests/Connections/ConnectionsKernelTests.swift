import Foundation
import Testing

/// `connections` and the live `check` forms on real MPTCP connections: client C and
/// server S joined by links a, b, c; C(a) connects to S(a), S announces addresses, and
/// the client's subflows are read while the connection is held open.
struct ConnectionsKernelTests {
    static let links = ["a", "b", "c"]
    let ca = Topology.client("a"), cb = Topology.client("b"), cc = Topology.client("c")
    let sa = Topology.server("a"), sb = Topology.server("b"), sc = Topology.server("c")

    /// One subflow as `connections -j` prints it, without the ports the kernel picks.
    struct Row: Equatable, CustomStringConvertible {
        var saddr: String, daddr: String, locID: Int, remID: Int, backup: Int, dev: String?, endpoint: Int?
        var description: String { "\(saddr)>\(daddr) loc \(locID) rem \(remID) backup \(backup) dev \(dev ?? "-") endpoint \(endpoint.map(String.init) ?? "-")" }
    }

    static func rows(_ json: String) throws -> [[Row]] {
        let connections = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], "\(json)")
        return connections.map { connection in
            (connection["subflows"] as? [[String: Any]] ?? []).map { s in
                Row(saddr: s["saddr"] as? String ?? "?", daddr: s["daddr"] as? String ?? "?", locID: s["loc_id"] as? Int ?? -1,
                    remID: s["rem_id"] as? Int ?? -1, backup: s["backup"] as? Int ?? -1, dev: s["dev"] as? String,
                    endpoint: s["endpoint"] as? Int)
            }
        }
    }

    /// Sets up both sides, holds one connection C(a)–S(a) open until the client's
    /// `connections -j` shows `subflows` established subflows (up to 10 s), runs
    /// `whileConnected` then, and returns the client's last `connections -j`.
    ///
    /// An `address` endpoint, on a kernel without them (before Linux 6.18), is refused
    /// cleanly (asserted) and added as a `fullmesh` one instead, which answers each
    /// announcement from that endpoint too (all fullmesh endpoints, each once).
    func connect(_ t: Topology, announce: [String], endpoints: [String], subflows: Int, clientSubflows: Int = 3,
                 to address: String = Topology.server("a"), listen: String = "0.0.0.0",
                 whileConnected: (() throws -> Void)? = nil) throws -> String {
        for address in announce { t.server.expectSuccess("endpoint add \(address) signal") }
        t.server.expectSuccess("limits set subflows 3 add_addr_accepted 3")
        t.client.expectSuccess("limits set subflows \(clientSubflows) add_addr_accepted 3")
        for endpoint in endpoints where !t.client.expectEndpointAdded(endpoint) {
            t.client.expectSuccess("endpoint add \(endpoint.replacingOccurrences(of: " address", with: " fullmesh"))")
        }
        let server = try t.startServer(listen: listen)
        var last = "", failure: Error?
        try t.connect(to: address, seconds: 60) {
            last = t.client.mptcpctl("-j connections").stdout
            let live = (try? Self.rows(last))?.first?.count ?? 0
            guard live >= subflows else { return false }
            do { try whileConnected?() } catch { failure = error }
            return true
        }
        _ = server.waitForExit(seconds: 5)
        if let failure { throw failure }
        return last
    }

    /// Without address endpoints routing picks the source toward S(b): the endpoint
    /// column says '-' for the initial subflow and for that one.
    @Test func routingOnlyLeavesTheEndpointColumnEmpty() throws {
        try Topology.with(links: Self.links) { t in
            let json = try connect(t, announce: [sb], endpoints: [], subflows: 2)
            let rows = try Self.rows(json)
            #expect(rows.count == 1)
            #expect(rows.first?.map(\.description) == [
                "\(ca)>\(sa) loc 0 rem 0 backup 0 dev ca endpoint -",
                "\(cb)>\(sb) loc 1 rem 1 backup 0 dev cb endpoint -",
            ], "\(json)")
        }
    }

    /// The seed's scenario: address endpoints C(b) and C(c) answer S(b) and S(c), and the
    /// endpoint column names them; text and JSON agree. Without address endpoints (before
    /// Linux 6.18): fullmesh endpoints C(b) and C(c) both answer S(b) (the client's limit
    /// of 2 extra subflows reached, S(c) is not announced), and the column names them.
    @Test func twoAddressEndpointsFillTheEndpointColumn() throws {
        try Topology.with(links: Self.links) { t in
            var text = ""
            let laminar = RunningKernel.hasAddressEndpoints
            let json = try connect(t, announce: laminar ? [sb, sc] : [sb], endpoints: ["\(cb) id 5 address", "\(cc) id 6 address"],
                                   subflows: 3, clientSubflows: laminar ? 3 : 2) {
                text = t.client.mptcpctl("connections").stdout
            }
            let (toC, remC) = laminar ? (sc, 2) : (sb, 1)
            #expect(try Self.rows(json).first?.map(\.description) == [
                "\(ca)>\(sa) loc 0 rem 0 backup 0 dev ca endpoint -",
                "\(cb)>\(sb) loc 5 rem 1 backup 0 dev cb endpoint 5",
                "\(cc)>\(toC) loc 6 rem \(remC) backup 0 dev cc endpoint 6",
            ], "\(json)")
            // Ports and the token are the kernel's: compare the rest, columns squeezed.
            let squeezed = text.replacingOccurrences(of: #":[0-9]+"#, with: ":P", options: .regularExpression)
                .replacingOccurrences(of: #"token [0-9a-f]{8}"#, with: "token T", options: .regularExpression)
                .replacingOccurrences(of: #" +"#, with: " ", options: .regularExpression)
            #expect(squeezed == """
                token T \(ca):P -> \(sa):P established\(RunningKernel.reportsByteCounters ? " sent 10000 received 0" : "")
                 local remote loc_id rem_id backup dev state endpoint
                 \(ca):P \(sa):P 0 0 0 ca established -
                 \(cb):P \(sb):P 5 1 0 cb established 5
                 \(cc):P \(toC):P 6 \(remC) 0 cc established 6

                """, "\(text)")
        }
    }

    /// One address endpoint, and a `subflow` endpoint marked backup: the subflow endpoint
    /// C(c) opens a backup subflow to S(a), the address endpoint C(b) (fullmesh before
    /// Linux 6.18) answers S(b).
    @Test func subflowAndBackupEndpoints() throws {
        try Topology.with(links: Self.links) { t in
            let json = try connect(t, announce: [sb], endpoints: ["\(cb) id 3 address", "\(cc) id 4 subflow backup"], subflows: 3)
            #expect(try Self.rows(json).first?.map(\.description) == [
                "\(ca)>\(sa) loc 0 rem 0 backup 0 dev ca endpoint -",
                "\(cb)>\(sb) loc 3 rem 1 backup 0 dev cb endpoint 3",
                "\(cc)>\(sa) loc 4 rem 0 backup 1 dev cc endpoint 4",
            ], "\(json)")
        }
    }

    /// --all-netns: the client's and the server's side of the same connection, each
    /// with its namespace; `check` true and false on the live state.
    @Test func everyNamespaceAndTheLiveChecks() throws {
        try Topology.with(links: Self.links) { t in
            var all = "", holds = CommandResult(status: -1, stdout: "", stderr: ""), fails = holds
            _ = try connect(t, announce: [sb], endpoints: ["\(cb) address"], subflows: 2) {
                all = Shell.run(Shell.mptcpctl, ["-j", "connections", "--all-netns"]).stdout
                holds = t.client.mptcpctl("check connections==1 live_subflows>=2 path=\(cb)>\(sb) path=*>\(sa) path=\(ca)>* subflow==0")
                fails = t.client.mptcpctl("check connections>=2 live_subflows>3 path=\(cc)>\(sc) path=*>\(sc)")
            }
            let connections = try #require(try JSONSerialization.jsonObject(with: Data(all.utf8)) as? [[String: Any]], "\(all)")
            let mine = connections.filter { [t.client.name, t.server.name].contains($0["netns"] as? String ?? "") }
            // Namespaces come in name order (/run/netns sorted).
            #expect(mine.map { $0["netns"] as? String } == [t.client.name, t.server.name].sorted(), "\(all)")
            #expect(connections.allSatisfy { $0.keys.contains("netns") })
            let client = mine.first { $0["netns"] as? String == t.client.name }, server = mine.first { $0["netns"] as? String == t.server.name }
            #expect(client?["saddr"] as? String == ca && client?["daddr"] as? String == sa, "\(all)")
            #expect(server?["saddr"] as? String == sa && server?["daddr"] as? String == ca, "\(all)")
            #expect(holds == CommandResult(status: 0, stdout: "", stderr: ""))
            let paths = "established subflows \(ca)>\(sa), \(cb)>\(sb)"
            #expect(fails == CommandResult(status: 5, stdout: """
                check failed: connections>=2: found connections=1
                check failed: live_subflows>3: found live_subflows=2
                check failed: path=\(cc)>\(sc): found \(paths)
                check failed: path=*>\(sc): found \(paths)

                """, stderr: "mptcpctl: check: 4 of 4 expectation(s) do not hold\n"))
            // Once closed: no connection, and the live checks say so.
            #expect(t.client.mptcpctl("connections") == CommandResult(status: 0, stdout: "", stderr: ""))
            #expect(t.client.mptcpctl("-j connections") == CommandResult(status: 0, stdout: "[]\n", stderr: ""))
            #expect(t.client.mptcpctl("check live_subflows==0 connections==0 path=*>*").stdout
                == "check failed: path=*>*: found no established subflow\n")
        }
    }

    /// An AF_INET6 connection (to S(a)'s IPv4-mapped address) has an AF_INET6 initial
    /// subflow and, from the subflow endpoint C(b), an AF_INET one: the TCP dumps of
    /// both families are read for it (an AF_INET connection needs the AF_INET one only),
    /// and both subflows are listed.
    @Test func anIPv6ConnectionListsItsIPv4Subflows() throws {
        try Topology.with(links: Self.links) { t in
            var text = ""
            let json = try connect(t, announce: [], endpoints: ["\(cb) id 1 subflow"], subflows: 2,
                                   to: "::ffff:\(sa)", listen: "::") {
                text = t.client.mptcpctl("connections").stdout
            }
            #expect(try Self.rows(json).first?.map(\.description) == [
                "::ffff:\(ca)>::ffff:\(sa) loc 0 rem 0 backup 0 dev - endpoint -",
                "\(cb)>\(sa) loc 1 rem 0 backup 0 dev cb endpoint 1",
            ], "\(json)")
            #expect(text.hasPrefix("token ") && text.contains("[::ffff:\(ca)]:") && text.contains("\(cb):"), "\(text)")
        }
    }

    /// A listener shows with --listening only; bad words are refused.
    @Test func listenersAndBadWords() throws {
        try Topology.with(links: ["a"]) { t in
            let server = try t.startServer()
            #expect(t.server.mptcpctl("connections") == CommandResult(status: 0, stdout: "", stderr: ""))
            #expect(t.server.mptcpctl("connections --listening") == CommandResult(status: 0, stdout: "listen  0.0.0.0:8080\n", stderr: ""))
            t.connect()
            _ = server.waitForExit(seconds: 5)
            t.client.expectFailure("connections now", status: 2, message: "connections: unexpected word 'now': connections takes no arguments")
            t.client.expectFailure("counters --listening", status: 2, message: "'--listening' works with connections only")
            t.client.expectFailure("check path=10.0.0.1", status: 2,
                                   message: "check: bad path expectation 'path=10.0.0.1': expected path=LOCAL>REMOTE (an address or * on each side)")
            t.client.expectFailure("check path=10.0.0.1>nowhere", status: 2, message: "check: bad address 'nowhere' in 'path=10.0.0.1>nowhere'")
        }
    }
}
