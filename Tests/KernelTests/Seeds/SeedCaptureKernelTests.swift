import Foundation
import Glibc
import MPTCPKit
import Netlink
import Testing

/// The running kernel's own bytes, read on a raw generic netlink socket: GET_ADDR dump
/// and GET_LIMITS replies, the events of a real connection, and MPTCP_INFO. Each is
/// checked to decode as configured, then written to .build/fuzz-seeds/TARGET/ as a
/// seed of that fuzz target (`make fuzz-seeds` copies them into Fuzz/Corpus).
struct SeedCaptureKernelTests {
    static let seeds = Repository.root.appendingPathComponent(".build/fuzz-seeds")

    static func save(_ bytes: [UInt8], target: String, name: String) throws {
        let directory = seeds.appendingPathComponent(target)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    @Test func repliesOfGetAddrAndGetLimits() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.1/24")
            ns.ip("address add 2001:db8::1/64 dev v0 nodad")
            // Id 3: an address endpoint where the kernel has them (6.18+); elsewhere its clean
            // refusal, and a subflow one in its place.
            ns.expectSuccess("endpoint add 10.0.2.1 dev v0 id 1 subflow backup")
            ns.expectSuccess("endpoint add 2001:db8::1 id 2 port 10100 signal")
            let third: EndpointFlags = ns.expectEndpointAdded("10.0.3.1 id 3 address") ? .address : .subflow
            if third == .subflow { ns.expectSuccess("endpoint add 10.0.3.1 id 3 subflow") }
            for line in ["endpoint add 10.0.4.1 id 4 subflow fullmesh", "limits set subflows 4 add_addr_accepted 2"] {
                ns.expectSuccess(line)
            }
            let socket = try RawGenericSocket(netns: ns.name)
            let dump = try socket.request(Requests.dump(family: socket.family))
            // Every reply decodes whole: none malformed, none left out.
            let endpoints = try dump.map { bytes in try Endpoint(message: try #require(GenericMessage(bytes: bytes))) }
            #expect(endpoints.map(\.id) == [1, 2, 3, 4])
            #expect(endpoints.map(\.address.description) == ["10.0.2.1", "2001:db8::1", "10.0.3.1", "10.0.4.1"])
            #expect(endpoints.map(\.flags) == [[.subflow, .backup], .signal, third, [.subflow, .fullmesh]])
            #expect(endpoints[1].port == 10100)
            let one = try socket.request(Requests.get(id: 2, family: socket.family))
            #expect(try one.map { bytes in try Endpoint(message: try #require(GenericMessage(bytes: bytes))) } == [endpoints[1]])
            let limits = try socket.request(Requests.getLimits(family: socket.family))
            #expect(try limits.map { bytes in try Limits(message: try #require(GenericMessage(bytes: bytes))) }
                == [Limits(subflows: 4, addAddrAccepted: 2)])
            for (index, message) in (dump + one + limits).enumerated() where GenericMessage(bytes: message) != nil {
                let name = index < dump.count ? "get-addr-dump-\(index + 1)" : index == dump.count ? "get-addr-id-2" : "get-limits"
                try Self.save(message, target: "FuzzReply", name: name)
                // The attributes after the 20 bytes of nlmsghdr and genlmsghdr.
                try Self.save(Array(message.dropFirst(20)), target: "FuzzAttributes", name: name)
            }
        }
    }

    @Test func eventsOfAConnectionWithAnAnnouncement() throws {
        try Topology.with { t in
            t.server.expectSuccess("endpoint add \(Topology.server("b")) signal")
            t.server.expectSuccess("limits set subflows 2 add_addr_accepted 2")
            // A kernel without address endpoints refuses C(b)'s cleanly; a fullmesh one answers instead.
            if !t.client.expectEndpointAdded("\(Topology.client("b")) id 5 address") {
                t.client.expectSuccess("endpoint add \(Topology.client("b")) id 5 fullmesh")
            }
            t.client.expectSuccess("limits set subflows 2 add_addr_accepted 2")
            let socket = try RawGenericSocket(netns: t.client.name)
            try socket.join(group: PathManagerFamily.eventsGroup)
            let server = try t.startServer()
            var datagrams: [[UInt8]] = []
            // Held open until the extra subflow is reported, however long the kernel takes.
            let client = try t.connect(seconds: 60, until: {
                while let datagram = socket.receive(timeoutMilliseconds: 10) { datagrams.append(datagram) }
                return datagrams.flatMap(GenericMessage.messages(inDatagram:))
                    .contains { PathManagerEvent(message: $0).kind == .subflowEstablished }
            })
            #expect(client?.status == 0)
            _ = server.waitForExit(seconds: 5)
            while let datagram = socket.receive(timeoutMilliseconds: 500) { datagrams.append(datagram) }
            let events = datagrams.flatMap(GenericMessage.messages(inDatagram:)).map(PathManagerEvent.init(message:))
            // A peer sends an ADD_ADDR again until it is echoed (7.2 was seen to repeat one
            // under qemu): a repeated announcement counts once.
            var kinds: [PathManagerEvent.Kind] = []
            for event in events where event.kind != .announced || !kinds.contains(.announced) { kinds.append(event.kind) }
            #expect(kinds == [.created, .established, .announced, .subflowEstablished, .closed])
            for (index, datagram) in datagrams.enumerated() {
                let type = GenericMessage.messages(inDatagram: datagram).first.map { "\(PathManagerEvent(message: $0).kind)" } ?? "none"
                try Self.save(datagram, target: "FuzzEvent", name: "event-\(index + 1)-\(type)")
                try Self.save(Array(datagram.dropFirst(20)), target: "FuzzAttributes", name: "event-\(index + 1)-\(type)")
            }
            // Several messages in one datagram, as a busy namespace delivers them.
            try Self.save(datagrams.flatMap { $0 }, target: "FuzzEvent", name: "events-in-one-datagram")
        }
    }

    @Test func mptcpInfoOfANamespaceWithEndpoints() throws {
        try TestNamespace.with { ns in
            for line in ["endpoint add 10.0.2.1 signal", "endpoint add 10.0.3.1 subflow", "limits set subflows 3 add_addr_accepted 1"] {
                ns.expectSuccess(line)
            }
            // Counted by the kernel where it has address endpoints (6.18+); refused cleanly elsewhere.
            let counted = ns.expectEndpointAdded("10.0.4.1 address")
            let info = try NetworkNamespace.within(ns.name) { () throws(PathManagerError) in try RawGenericSocket.mptcpInfo() }
            let counts = try KernelFeatures.running.keepsAddressFlag().get()
            let counters = KernelCounters(info: info, countsAddressEndpoints: counts)
            #expect(counters.endpSignalMax == 1)
            #expect(counters.limitSubflows == 3)
            #expect(counters.limitAddAddrAccepted == 1)
            #expect(counts == counted)
            // FuzzCounters reads whether the kernel counts address endpoints from its first byte.
            try Self.save([counts ? 1 : 0] + info, target: "FuzzCounters", name: "mptcp-info")
            try Self.save([0] + info, target: "FuzzCounters", name: "mptcp-info-before-6.18")
        }
    }
}

/// A generic netlink socket without libnl, so that replies are read as the kernel sent
/// them, byte for byte. Created inside a namespace, it stays there.
final class RawGenericSocket {
    let fd: Int32
    let family: Int32
    private let namespace: String
    private var sequence: UInt32 = 1

    /// linux/netlink.h, which Glibc's module does not bring.
    enum Linux {
        static let netlinkGeneric: Int32 = 16, addMembership: Int32 = 1
        static let request: UInt8 = 0x01, ack: UInt8 = 0x04
        static let error = 2, done = 3
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    init(netns: String) throws {
        namespace = netns
        (fd, family) = try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Linux.netlinkGeneric)
            do throws(NetlinkError) {
                return (fd, try GenericNetlinkSocket().resolveFamily(PathManagerFamily.name))
            } catch {
                throw PathManagerError(error)
            }
        }
        guard fd >= 0 else { throw Failure(description: "socket(AF_NETLINK): errno \(errno)") }
        // Bound to a port of its own: the kernel skips port 0 (its own) when it multicasts.
        // struct sockaddr_nl: family, padding, port 0 (the kernel picks one), no groups.
        let address: [UInt8] = [UInt8(AF_NETLINK), 0] + [UInt8](repeating: 0, count: 10)
        let bound = address.withUnsafeBytes { bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count)) }
        guard bound == 0 else { throw Failure(description: "bind(AF_NETLINK): errno \(errno)") }
    }

    deinit { close(fd) }

    /// Sends `builder`'s request and returns each reply message, raw, up to the ack or
    /// the end of the dump.
    func request(_ builder: MessageBuilder) throws -> [[UInt8]] {
        var bytes = builder.bytes
        // A dump ends with NLMSG_DONE; anything else is acked.
        let isDump = bytes[7] & 0x03 != 0
        bytes[6] |= Linux.request | (isDump ? 0 : Linux.ack)
        withUnsafeBytes(of: sequence.littleEndian) { bytes.replaceSubrange(8..<12, with: $0) }
        sequence += 1
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw Failure(description: "send: errno \(errno)") }
        var replies: [[UInt8]] = []
        while let datagram = receive(timeoutMilliseconds: 2000) {
            var offset = 0
            while offset + 16 <= datagram.count {
                let length = Int(datagram[offset]) | Int(datagram[offset + 1]) << 8 | Int(datagram[offset + 2]) << 16
                let type = Int(datagram[offset + 4]) | Int(datagram[offset + 5]) << 8
                guard length >= 16, offset + length <= datagram.count else { break }
                if type == Linux.done || type == Linux.error { return replies }
                replies.append(Array(datagram[offset..<offset + length]))
                offset += (length + 3) & ~3
            }
        }
        throw Failure(description: "no ack nor end of dump from the kernel")
    }

    /// Joins a multicast group of the mptcp_pm family.
    func join(group name: String) throws {
        var group = try NetworkNamespace.within(namespace) { () throws(PathManagerError) in
            do throws(NetlinkError) { return try GenericNetlinkSocket().resolveGroup(family: PathManagerFamily.name, group: name) } catch {
                throw PathManagerError(error)
            }
        }
        guard setsockopt(fd, SOL_NETLINK, Linux.addMembership, &group, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw Failure(description: "NETLINK_ADD_MEMBERSHIP: errno \(errno)")
        }
    }

    /// One datagram, or nil when none came in time.
    func receive(timeoutMilliseconds: Int32) -> [UInt8]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer.prefix(count)) : nil
    }

    /// MPTCP_INFO of an unconnected MPTCP socket in the calling thread's namespace.
    static func mptcpInfo() throws(PathManagerError) -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 262 /* IPPROTO_MPTCP */)
        guard fd >= 0 else { throw .transport(.system(.current, operation: "socket(IPPROTO_MPTCP)")) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        var length = socklen_t(buffer.count)
        let result = buffer.withUnsafeMutableBytes { getsockopt(fd, 284 /* SOL_MPTCP */, 1 /* MPTCP_INFO */, $0.baseAddress, &length) }
        guard result == 0 else { throw .transport(.system(.current, operation: "getsockopt(MPTCP_INFO)")) }
        return Array(buffer.prefix(Int(length)))
    }
}

/// A sock_diag dump of a real connection with two subflows, from the client's and the
/// server's side: the seeds of FuzzSockDiag.
struct SockDiagSeedCaptureKernelTests {
    @Test func dumpsOfARealConnection() throws {
        try Topology.with(links: ["a", "b"]) { t in
            t.server.expectSuccess("endpoint add \(Topology.server("b")) signal")
            for ns in [t.client, t.server] { ns.expectSuccess("limits set subflows 2 add_addr_accepted 2") }
            // Where the kernel lacks address endpoints (refused cleanly), routing answers S(b).
            t.client.expectEndpointAdded("\(Topology.client("b")) address")
            let server = try t.startServer()
            var dumps: [(name: String, bytes: [UInt8], subflows: Int)] = []
            try t.connect {
                dumps = []
                for (side, ns) in [("client", t.client), ("server", t.server)] {
                    guard let replies = try? NetworkNamespace.within(ns.name, { () throws(PathManagerError) in
                        try ConnectionReader.dump(listening: true)
                    }) else { return false }
                    // A malformed reply counts no subflow: the capture waits, then fails.
                    let subflows = ((try? SockDiagAttributes.connections(mptcpReplies: replies.mptcp, tcpReplies: replies.tcp)) ?? [])
                        .reduce(0) { $0 + $1.subflows.count }
                    dumps.append(("sock-diag-\(side)", (replies.mptcp + replies.tcp).flatMap(\.bytes), subflows))
                }
                return dumps.allSatisfy { $0.subflows == 2 }
            }
            _ = server.waitForExit(seconds: 5)
            #expect(dumps.map(\.subflows) == [2, 2])
            for dump in dumps {
                // What was saved decodes to the same connections.
                let messages = NetlinkMessage.messages(inDatagram: dump.bytes)
                #expect(messages.count >= 3)
                try SeedCaptureKernelTests.save(dump.bytes, target: "FuzzSockDiag", name: dump.name)
            }
        }
    }
}
