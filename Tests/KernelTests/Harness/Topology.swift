import Foundation

/// A client and a server namespace joined by veth links, one per letter:
/// link "a" joins C(a) = 10.0.1.1 and S(a) = 10.0.1.2, "b" 10.0.2.x, "c" 10.0.3.x, and
/// each side also has fd00:N::1 / fd00:N::2. Both namespaces are deleted afterwards.
final class Topology {
    let client: TestNamespace
    let server: TestNamespace
    let links: [String]

    init(links: [String] = ["a", "b"]) throws {
        client = try TestNamespace()
        server = try TestNamespace()
        self.links = links
        for ns in [client, server] { ns.ip("link set lo up") }
        for (index, link) in links.enumerated() {
            let n = index + 1
            Shell.run("ip", ["link", "add", "c\(link)", "netns", client.name, "type", "veth", "peer", "name", "s\(link)", "netns", server.name])
            client.ip("address add \(Topology.client(link))/24 dev c\(link)")
            server.ip("address add \(Topology.server(link))/24 dev s\(link)")
            client.ip("address add fd00:\(n)::1/64 dev c\(link) nodad")
            server.ip("address add fd00:\(n)::2/64 dev s\(link) nodad")
            client.ip("link set c\(link) up")
            server.ip("link set s\(link) up")
        }
        waitUntilLinksAreUp()
    }

    /// A veth is operationally up, and IPv6 usable on it, only once its peer is up too,
    /// which the kernel notes a moment later: wait for it (up to 5 s).
    private func waitUntilLinksAreUp() {
        func ready(_ ns: TestNamespace, _ side: String) -> Bool {
            links.allSatisfy { ns.ip("-6 route show dev \(side)\($0)").stdout.contains("fd00:\(Topology.index($0))::/64")
                && ns.ip("-o link show \(side)\($0)").stdout.contains("state UP") }
        }
        waitUntil(seconds: 5, every: 0.02) { ready(client, "c") && ready(server, "s") }
    }

    static func index(_ link: String) -> Int { Int(link.unicodeScalars.first!.value) - 96 }
    /// C(link), e.g. C(b) = 10.0.2.1
    static func client(_ link: String) -> String { "10.0.\(index(link)).1" }
    /// S(link), e.g. S(b) = 10.0.2.2
    static func server(_ link: String) -> String { "10.0.\(index(link)).2" }

    static func with<T>(links: [String] = ["a", "b"], _ body: (Topology) throws -> T) throws -> T {
        let topology = try Topology(links: links)
        return try withExtendedLifetime(topology) { try body(topology) }
    }

    static let peer: String = URL(fileURLWithPath: Shell.mptcpctl).deletingLastPathComponent().appendingPathComponent("mptcp-peer").path

    /// Starts `mptcp-peer server LISTEN PORT` in the server namespace and waits until it listens.
    /// An MPTCP server must listen on the wildcard address ("0.0.0.0", or "::" for both
    /// families): a listener bound to S(a) refuses the joins toward S(b).
    func startServer(listen: String = "0.0.0.0", port: Int = 8080, connections: Int = 1) throws -> Background {
        try Background(["ip", "netns", "exec", server.name, Topology.peer, "server", listen, String(port),
                        "--connections", String(connections)], readyOn: .stdout, line: "listening")
    }

    /// Runs the client to S(a) and waits for it.
    @discardableResult
    func connect(to address: String = Topology.server("a"), port: Int = 8080, connections: Int = 1,
                 bytes: Int = 10000, holdMilliseconds: Int = 500) -> CommandResult {
        client.exec(clientArguments(address, port, connections, bytes, holdMilliseconds))
    }

    /// Runs the client to S(a) (or `address`), holding the connection open (up to `seconds`) until `seen`
    /// says the monitor has what the test waits for; then closes it and waits. (A test
    /// that runs commands while the connection is held asks for longer: under qemu
    /// without KVM each command takes seconds.)
    @discardableResult
    func connect(to address: String = Topology.server("a"), seconds: Double = 10, until seen: () -> Bool) throws -> CommandResult? {
        let peer = try Background(["ip", "netns", "exec", client.name]
                                  + clientArguments(address, 8080, 1, 10000, Int(seconds * 1000 * Background.patience))
                                  + ["--stdin"], input: true)
        waitUntil(seconds: seconds, seen)
        peer.closeInput()
        return peer.waitForExit(seconds: 10)
    }

    private func clientArguments(_ address: String, _ port: Int, _ connections: Int, _ bytes: Int, _ hold: Int) -> [String] {
        [Topology.peer, "client", address, String(port), "--connections", String(connections),
         "--bytes", String(bytes), "--hold", String(hold)]
    }

    /// The source address the client's routing table picks toward `address`
    /// (`ip route get`'s `src`).
    func routeSource(to address: String) -> String? {
        let words = Shell.words(client.ip("route get \(address)").stdout.replacingOccurrences(of: "\n", with: " "))
        return words.firstIndex(of: "src").map { words[$0 + 1] }
    }

    /// One subflow of a connection, as the client's monitor reported it.
    struct Subflow: Hashable, Comparable, CustomStringConvertible {
        var saddr: String
        var daddr: String
        init(_ saddr: String, _ daddr: String) { self.saddr = saddr; self.daddr = daddr }
        var description: String { "\(saddr) -> \(daddr)" }
        static func < (a: Subflow, b: Subflow) -> Bool { a.description < b.description }
    }

    /// What one connection did, read from the client's `monitor -j` events.
    struct Connection {
        /// The initial subflow (`established`) and every added one (`sub_established`), in order.
        var subflows: [Subflow]
        /// The addresses the server announced (`announced`).
        var announced: [String]
        /// Every event, as the monitor printed it: for failure messages.
        var events: String
    }

    /// Runs one MPTCP connection from the client to `address` (S(a)) with the client's
    /// monitor running, until the kernel reports it closed. `whileConnected` runs while
    /// the client holds the connection open, with the monitor, which has seen
    /// everything up to then.
    ///
    /// With `subflows`, the client holds the connection (up to 10 s) until the monitor has
    /// seen that many extra subflows, then 300 ms more for any unexpected one: no test
    /// depends on how fast the kernel is.
    func connection(to address: String = Topology.server("a"), listen: String = "0.0.0.0", holdMilliseconds: Int = 500,
                    subflows: Int? = nil, whileConnected: ((Background) throws -> Void)? = nil) throws -> Connection {
        let server = try startServer(listen: listen)
        let monitor = try Background.monitor(client, ["-j", "--event", "established", "--event", "announced",
                                                       "--event", "sub_established", "--event", "sub_closed", "--event", "closed"])
        let hold = subflows == nil ? holdMilliseconds : Int(10_000 * Background.patience)
        let peer = try Background(["ip", "netns", "exec", client.name] + clientArguments(address, 8080, 1, 10000, hold)
                                  + (subflows == nil ? [] : ["--stdin"]), input: subflows != nil)
        try whileConnected?(monitor)
        if let subflows {
            waitUntil(seconds: 10) { monitor.text(.stdout).components(separatedBy: #""type":"sub_established""#).count - 1 >= subflows }
            pause(seconds: 0.3)
            peer.closeInput()
        }
        let result = peer.waitForExit(seconds: 10)
        _ = server.waitForExit(seconds: 5)
        let closed = monitor.waitFor(#""type":"closed""#, on: .stdout, seconds: 5)
        let output = monitor.stop()
        guard result?.status == 0, closed else {
            throw Background.NotReady(description: "the connection failed: \(result.map(\.description) ?? "client still running")\nmonitor: \(output)")
        }
        var connection = Connection(subflows: [], announced: [], events: output.stdout)
        for line in output.stdout.split(separator: "\n") {
            let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            switch event["type"] as? String {
            case "established", "sub_established":
                connection.subflows.append(Subflow(event["saddr"] as? String ?? "?", event["daddr"] as? String ?? "?"))
            case "announced":
                // A peer sends an ADD_ADDR again until it is echoed (7.2 was seen to repeat
                // one under qemu): each address counts once, in the order first heard.
                let address = event["daddr"] as? String ?? "?"
                if !connection.announced.contains(address) { connection.announced.append(address) }
            default: break
            }
        }
        return connection
    }
}
