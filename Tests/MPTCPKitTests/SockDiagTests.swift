import Foundation
import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing

/// sock_diag requests byte for byte, and the kernel's own dumps (the FuzzSockDiag seeds,
/// captured from a real connection) decoded and joined.
struct SockDiagTests {
    @Test func theMPTCPRequestNamesItsProtocolInAnAttribute() {
        let request = SockDiagAttributes.request(.mptcp(family: 2, listening: false))
        // family AF_INET, protocol 0 (262 does not fit), ext INET_DIAG_INFO, pad,
        // states: TCP_ESTABLISHED..TCP_NEW_SYN_RECV but TCP_LISTEN (bit 10), then a zero
        // inet_diag_sockid.
        #expect(request.header == [2, 0, 2, 0, 0xFF, 0x0B, 0, 0] + [UInt8](repeating: 0, count: 48))
        #expect(request.attributes.map(\.0) == [3])
        #expect(request.attributes.map(\.1) == [262])
        #expect(SockDiagAttributes.request(.mptcp(family: 10, listening: true)).header.prefix(8) == [10, 0, 2, 0, 0xFF, 0x0F, 0, 0])
        let tcp = SockDiagAttributes.request(.tcp(family: 10))
        #expect(tcp.header.prefix(8) == [10, 6, 2, 0, 0xFF, 0x0B, 0, 0])
        #expect(tcp.attributes.isEmpty)
    }

    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/Corpus/FuzzSockDiag")

    @Test(arguments: ["sock-diag-client", "sock-diag-server"])
    func aRealDumpJoinsTwoSubflowsToTheirConnection(seed: String) throws {
        let bytes = [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(seed)))
        let messages = NetlinkMessage.messages(inDatagram: bytes)
        #expect(messages.allSatisfy { $0.type == SockDiagAttributes.byFamily })
        let connections = try SockDiagAttributes.connections(mptcpReplies: messages, tcpReplies: messages)
        let established = connections.filter { !$0.isListening && !$0.subflows.isEmpty }
        #expect(established.count == 1)
        let connection = try #require(established.first)
        #expect(connection.subflows.count == 2)
        #expect(connection.subflows.allSatisfy { $0.localToken == connection.token && $0.isEstablished })
        #expect(connection.subflows[0].isInitial && connection.subflows[0].localID == 0)
        #expect(connection.subflows[1].local == IPAddress(seed.hasSuffix("client") ? "10.0.2.1" : "10.0.2.2"))
        #expect(connection.local == IPAddress(seed.hasSuffix("client") ? "10.0.1.1" : "10.0.1.2"))
        #expect(connection.info?.token == connection.token)
        // Each subflow carries its tcp_info (Linux 6.18's whole structure); the 10,000
        // bytes the client sent were counted by some subflow.
        #expect(connection.subflows.allSatisfy { $0.tcpInfo?.bytesSent != nil && $0.tcpInfo?.rtt != nil })
        // Its own state agrees with the socket's, and the timeout totals (Linux 6.7) are there.
        #expect(connection.subflows.allSatisfy { $0.tcpInfo?.state == $0.state && $0.tcpInfo?.totalTimeouts != nil })
        #expect(connection.subflows.allSatisfy { !$0.health().isStalled })
        let acked = connection.subflows.compactMap(\.tcpInfo?.bytesAcked).reduce(0, +)
        let received = connection.subflows.compactMap(\.tcpInfo?.bytesReceived).reduce(0, +)
        #expect((seed.hasSuffix("client") ? acked : received) >= 10_000, "acked \(acked) received \(received)")
        // Joined to the endpoints: the second subflow's local id names an endpoint
        // unless that endpoint is implicit; the initial subflow never does.
        let second = connection.subflows[1].localID
        var annotated = established
        ConnectionReader.annotate(&annotated, endpoints: [Endpoint(id: second, address: connection.subflows[1].local, flags: .address)],
                                  interfaceName: { _ in nil }, addressOwners: [connection.local: "ca"])
        #expect(annotated[0].subflows.map(\.endpoint) == [nil, second])
        #expect(annotated[0].subflows.map(\.interfaceName) == ["ca", nil])
        var implicit = established
        ConnectionReader.annotate(&implicit, endpoints: [Endpoint(id: second, address: connection.subflows[1].local, flags: .implicit)],
                                  interfaceName: { _ in nil }, addressOwners: [:])
        #expect(implicit[0].subflows.map(\.endpoint) == [nil, nil])
    }

    @Test func shortOrForeignMessagesAreLeftOut() {
        #expect(SockDiagAttributes.socket(NetlinkMessage(type: 20, payload: [UInt8](repeating: 0, count: 71))) == nil)
        #expect(SockDiagAttributes.socket(NetlinkMessage(type: 21, payload: [2] + [UInt8](repeating: 0, count: 71))) == nil)
        #expect(SockDiagAttributes.socket(NetlinkMessage(type: 20, payload: [1] + [UInt8](repeating: 0, count: 71))) == nil)
        #expect(SockDiagAttributes.mptcpInfo([UInt8](repeating: 0, count: 15)) == nil)
        let info = SockDiagAttributes.mptcpInfo([2, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x78, 0x56, 0x34, 0x12])
        #expect(info == Connection.Info(subflows: 2, addAddrSignal: 0, addAddrAccepted: 1, flags: 1, token: 0x1234_5678))
        #expect(info?.fallback == true)
    }

    /// A SOCK_DIAG_BY_FAMILY reply: `struct inet_diag_msg` (family, state, ports,
    /// addresses 10.0.0.N or fd00::N) and the attributes after it.
    static func reply(family: UInt8, state: UInt8 = 1, local: UInt8 = 1, port: UInt16 = 8080, inode: UInt32 = 0,
                      _ attributes: [UInt8]) -> NetlinkMessage {
        var header = [UInt8](repeating: 0, count: 72)
        header.replaceSubrange(68..<72, with: le32(inode))
        header[0] = family
        header[1] = state
        header[4] = UInt8(port >> 8)
        header[5] = UInt8(port & 0xff)
        if family == 2 { header.replaceSubrange(8..<12, with: [10, 0, 0, local]) } else { header[8] = 0xfd; header[23] = local }
        return NetlinkMessage(type: SockDiagAttributes.byFamily, payload: header + attributes)
    }

    /// idiag_inode, the last field of `struct inet_diag_msg`, is the connection's inode:
    /// what /proc/PID/fd links name.
    @Test func theSocketsInodeIsRead() throws {
        let connections = try SockDiagAttributes.connections(
            mptcpReplies: [Self.reply(family: 2, inode: 0x0102_0304, Self.mptcpInfo(token: 9)), Self.reply(family: 10, Self.mptcpInfo(token: 8))],
            tcpReplies: [])
        #expect(connections.map(\.inode) == [0x0102_0304, 0])
        #expect(SockDiagAttributes.socket(Self.reply(family: 2, inode: 77, []))?.inode == 77)
    }

    /// An MPTCP socket's INET_DIAG_INFO: `struct mptcp_info` up to its token.
    static func mptcpInfo(token: UInt32) -> [UInt8] { attribute(2, [UInt8](repeating: 0, count: 12) + le32(token)) }

    /// A TCP socket's INET_DIAG_ULP_INFO naming "mptcp", with its local token and flags.
    static func subflowInfo(token: UInt32, localID: UInt8 = 0, flags: UInt32 = 0) -> [UInt8] {
        attribute(0x8000 | 19, attribute(1, Array("mptcp\0".utf8))
            + attribute(0x8000 | 3, attribute(2, le32(token)) + attribute(10, [localID]) + attribute(8, le32(flags))))
    }

    static func families(_ mptcp: [NetlinkMessage]) -> [UInt8] {
        var dump = ConnectionDump()
        for message in mptcp { message.withView { dump.addMPTCP($0) } }
        return dump.subflowFamilies
    }

    /// Each TCP dump walks the kernel's whole TCP hash: none is asked for without a
    /// connection to join subflows to, and AF_INET6 only for an AF_INET6 connection
    /// (an AF_INET one has AF_INET subflows only).
    @Test func onlyTheTCPDumpsTheConnectionsNeedAreMade() {
        #expect(Self.families([]) == [])
        #expect(Self.families([Self.reply(family: 2, state: 10, Self.mptcpInfo(token: 1))]) == [])
        #expect(Self.families([Self.reply(family: 10, state: 10, Self.mptcpInfo(token: 1))]) == [])
        #expect(Self.families([Self.reply(family: 2, [])]) == [])
        #expect(Self.families([Self.reply(family: 2, Self.mptcpInfo(token: 1))]) == [2])
        #expect(Self.families([Self.reply(family: 2, Self.mptcpInfo(token: 1)), Self.reply(family: 10, Self.mptcpInfo(token: 2))]) == [2, 10])
    }

    /// An AF_INET6 connection (to an IPv4-mapped address) whose initial subflow is an
    /// AF_INET6 socket and whose second is AF_INET: both are joined to it, the
    /// initial one first; the AF_INET connection keeps its own.
    @Test func anIPv6ConnectionJoinsSubflowsOfBothFamilies() throws {
        let mptcp = [Self.reply(family: 10, local: 1, Self.mptcpInfo(token: 6)), Self.reply(family: 2, local: 1, Self.mptcpInfo(token: 4))]
        let tcp = [
            Self.reply(family: 2, local: 2, port: 2, Self.subflowInfo(token: 6, localID: 1, flags: Subflow.joinLocalFlag)),
            Self.reply(family: 2, local: 3, port: 3, Self.subflowInfo(token: 4)),
            Self.reply(family: 10, local: 1, port: 1, Self.subflowInfo(token: 6)),
            Self.reply(family: 2, local: 4, port: 4, attribute(0x8000 | 19, attribute(1, Array("tls\0".utf8)))),
        ]
        let connections = try SockDiagAttributes.connections(mptcpReplies: mptcp, tcpReplies: tcp)
        #expect(connections.map(\.token) == [6, 4])
        #expect(connections[0].subflows.map(\.localPort) == [1, 2])
        #expect(connections[0].subflows.map(\.local) == [IPAddress("fd00::1"), IPAddress("10.0.0.2")])
        #expect(connections[1].subflows.map(\.local) == [IPAddress("10.0.0.3")])
    }

    /// A sock_diag reply that does not read as the uapi says fails the reading, naming
    /// the first: a count of connections or subflows is never made of part of a dump.
    /// (A TCP socket that is no subflow is not read: its `tcp_info` is not checked.)
    @Test func aMalformedReplyFailsTheDumpNamingIt() throws {
        func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }
        func ulp(_ inner: [UInt8]) -> [UInt8] { attribute(0x8000 | 19, attribute(1, Array("mptcp\0".utf8)) + attribute(0x8000 | 3, inner)) }
        let connection = Self.reply(family: 2, Self.mptcpInfo(token: 6))
        let cases: [([NetlinkMessage], [NetlinkMessage], MalformedAttribute)] = [
            ([NetlinkMessage(type: 20, payload: [2] + zeros(40))], [],
             MalformedAttribute("struct inet_diag_msg", .short(41, minimum: 72))),
            ([Self.reply(family: 2, attribute(2, zeros(8)))], [],
             MalformedAttribute("INET_DIAG_INFO (struct mptcp_info)", .short(8, minimum: 16))),
            ([connection], [Self.reply(family: 2, local: 2, ulp(attribute(2, le16(6))))],
             MalformedAttribute("MPTCP_SUBFLOW_ATTR_TOKEN_LOC", .size(2, expected: 4))),
            ([connection], [Self.reply(family: 2, local: 2, ulp(attribute(2, le32(6)) + attribute(10, [1, 0])))],
             MalformedAttribute("MPTCP_SUBFLOW_ATTR_ID_LOC", .size(2, expected: 1))),
            ([connection], [Self.reply(family: 2, local: 2, attribute(2, zeros(40)) + Self.subflowInfo(token: 6))],
             MalformedAttribute("INET_DIAG_INFO (struct tcp_info)", .short(40, minimum: 72))),
        ]
        for (mptcp, tcp, error) in cases {
            #expect(throws: error) { try SockDiagAttributes.connections(mptcpReplies: mptcp, tcpReplies: tcp) }
        }
        let notASubflow = Self.reply(family: 2, local: 3, attribute(2, zeros(40)))
        let joined = try SockDiagAttributes.connections(mptcpReplies: [connection],
                                                        tcpReplies: [notASubflow, Self.reply(family: 2, local: 2, Self.subflowInfo(token: 6))])
        #expect(joined.map(\.subflows.count) == [1])
    }
}
