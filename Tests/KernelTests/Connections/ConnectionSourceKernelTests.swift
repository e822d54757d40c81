import Foundation
import MPTCPKit
import Testing

/// `top`'s readings through `ConnectionSource`: a namespace's reader is kept from one
/// reading to the next, but never answers for another namespace of the same name, and
/// is let go once its namespace is no longer read.
struct ConnectionSourceKernelTests {
    /// An MPTCP listener on port 8080 in `ns`, until stopped.
    static func listener(in ns: String) throws -> Background {
        try Background(["ip", "netns", "exec", ns, Topology.peer, "server", "0.0.0.0", "8080", "--connections", "1"],
                       readyOn: .stdout, line: "listening")
    }

    @Test func aNamespaceMadeAgainUnderItsNameIsReadAfresh() throws {
        try TestNamespace.with { ns in
            ns.ip("link set lo up")
            let server = try Self.listener(in: ns.name)
            defer {
                // It waits for a connection with SIGTERM blocked: killed instead.
                kill(server.process.processIdentifier, SIGKILL)
                _ = server.stop()
            }
            let source = ConnectionSource()
            for _ in 0..<2 {
                let listed = try source.connections(netns: ns.name, listening: true)
                #expect(listed.map(\.localPort) == [8080] && listed.allSatisfy(\.isListening))
            }
            #expect(source.keptCount == 1)
            // The listener keeps the old namespace alive, and with it what a kept
            // reader would still see.
            #expect(Shell.run("ip", ["netns", "delete", ns.name]).status == 0)
            #expect(Shell.run("ip", ["netns", "add", ns.name]).status == 0)
            #expect(try source.connections(netns: ns.name, listening: true).isEmpty)
            #expect(source.keptCount == 1)
        }
    }

    @Test func aNamespaceNoLongerReadIsLetGo() throws {
        try TestNamespace.with { a in
            try TestNamespace.with { b in
                let source = ConnectionSource()
                for netns in [a.name, b.name, a.name] { #expect(try source.connections(netns: netns).isEmpty) }
                #expect(source.keptCount == 2)
                // The round that ends here read `a` alone: `b`'s reader goes.
                _ = try source.connections(netns: a.name)
                #expect(source.keptCount == 1)
                #expect(throws: PathManagerError.self) { try source.connections(netns: "mptcpctl-test-none-\(getpid())") }
                #expect(source.keptCount == 1)
            }
        }
    }
}
