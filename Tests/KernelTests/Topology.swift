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

    /// Starts `mptcp-peer server 0.0.0.0 PORT` in the server namespace and waits until it listens.
    func startServer(port: Int = 8080, connections: Int = 1) throws -> Background {
        try Background(["ip", "netns", "exec", server.name, Topology.peer, "server", "0.0.0.0", String(port),
                        "--connections", String(connections)], readyOn: .stdout, line: "listening")
    }

    /// Runs the client to S(a) and waits for it.
    @discardableResult
    func connect(to address: String = Topology.server("a"), port: Int = 8080, connections: Int = 1,
                 bytes: Int = 10000, holdMilliseconds: Int = 500) -> CommandResult {
        client.exec([Topology.peer, "client", address, String(port), "--connections", String(connections),
                     "--bytes", String(bytes), "--hold", String(holdMilliseconds)])
    }
}

/// A program running in the background, whose output is collected until it ends.
/// (Sendable by its lock: reader threads fill it.)
final class Background: @unchecked Sendable {
    enum Stream { case stdout, stderr }

    let process = Process()
    private let lock = NSLock()
    private var outData = Data(), errData = Data()
    private let readers = DispatchGroup()

    struct NotReady: Error, CustomStringConvertible { let description: String }

    /// Starts `arguments` and waits (up to 10 s) until `line` appears on `stream`.
    init(_ arguments: [String], readyOn stream: Stream, line: String) throws {
        let out = Pipe(), err = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // One blocking reader per pipe, until end of file.
        for (pipe, target) in [(out, Stream.stdout), (err, Stream.stderr)] {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async(group: readers) { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    append(data, to: target)
                }
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while !text(stream).contains(line + "\n") {
            guard Date() < deadline, process.isRunning else {
                process.terminate()
                throw NotReady(description: "\(arguments.joined(separator: " ")) never said '\(line)': \(text(.stderr))")
            }
            usleep(10_000)
        }
    }

    deinit { if process.isRunning { process.terminate() } }

    private func append(_ data: Data, to stream: Stream) {
        lock.lock(); defer { lock.unlock() }
        if stream == .stdout { outData.append(data) } else { errData.append(data) }
    }

    func text(_ stream: Stream) -> String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: stream == .stdout ? outData : errData, as: UTF8.self)
    }

    /// Waits up to `seconds` for the program to end by itself; nil if it did not.
    func waitForExit(seconds: Double) -> CommandResult? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return nil }
        return finish()
    }

    /// Sends SIGTERM and collects what it printed and how it exited.
    func stop() -> CommandResult {
        if process.isRunning { process.terminate() }
        return finish()
    }

    private func finish() -> CommandResult {
        process.waitUntilExit()
        _ = readers.wait(timeout: .now() + 5)
        return CommandResult(status: process.terminationStatus, stdout: text(.stdout), stderr: text(.stderr))
    }

    /// Starts `mptcpctl -n NS monitor ARGS…` and waits until it has subscribed.
    static func monitor(_ ns: TestNamespace, _ arguments: [String]) throws -> Background {
        try Background([Shell.mptcpctl, "-n", ns.name, "monitor"] + arguments, readyOn: .stderr,
                       line: "mptcpctl: listening for MPTCP path-manager events in namespace \(ns.name)")
    }
}
