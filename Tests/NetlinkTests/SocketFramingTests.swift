import Glibc
import MPTCPKitTesting
import Netlink
import Testing

/// The sockets' framing against `FakeNetlinkPeer`, without root: a dump's parts
/// (NLM_F_MULTI) over several datagrams up to NLMSG_DONE, an ack after a reply, an
/// NLMSG_ERROR with the kernel's extended-ack text, messages of an earlier request passed
/// over, an interrupted dump, and a datagram of several events.
struct SocketFramingTests {
    static let family: UInt16 = 0x1d

    /// An endpoint-like reply: attribute 1 holds `id`.
    static func entry(_ request: FakeNetlinkPeer.Request, _ id: UInt32, flags: UInt16 = FakeNetlinkPeer.Linux.multi) -> [UInt8] {
        request.generic(3, flags: flags, attribute(1, le32(id)))
    }

    @Test func aDumpSplitOverDatagramsIsReadToItsDone() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try GenericNetlinkSocket(userSocketPeer: peer.port)
        let request = try MessageBuilder(family: Int32(Self.family), command: 3, version: 1, dump: true)
        try request.put(2, u32: 9)
        let replies = try peer.answering({ request in
            [Self.entry(request, 1) + Self.entry(request, 2), Self.entry(request, 3), request.done()]
        }) { try socket.transact(request) }
        #expect(replies.map(\.command) == [3, 3, 3])
        #expect(replies.map { $0.attributes.first(1)?.u32 } == [1, 2, 3])
        // What the peer was sent: the family, a dump request, the attribute.
        let sent = try #require(peer.request)
        #expect(sent.type == Self.family)
        #expect(sent.flags & FakeNetlinkPeer.Linux.dump == FakeNetlinkPeer.Linux.dump && sent.flags & FakeNetlinkPeer.Linux.request != 0)
        #expect(sent.payload == [3, 1, 0, 0] + attribute(2, le32(9)))
    }

    @Test func theLastPartAndDoneMayShareADatagram() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try GenericNetlinkSocket(userSocketPeer: peer.port)
        let replies = try peer.answering({ request in
            [Self.entry(request, 1), Self.entry(request, 2) + request.done()]
        }) { try socket.transact(try MessageBuilder(family: Int32(Self.family), command: 3, version: 1, dump: true)) }
        #expect(replies.map { $0.attributes.first(1)?.u32 } == [1, 2])
    }

    @Test func aReplyEndsAtTheAckInTheNextDatagram() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try GenericNetlinkSocket(userSocketPeer: peer.port)
        let replies = try peer.answering({ request in
            [Self.entry(request, 7, flags: 0), request.error(0)]
        }) { try socket.transact(try MessageBuilder(family: Int32(Self.family), command: 3, version: 1)) }
        #expect(replies.map { $0.attributes.first(1)?.u32 } == [7])
    }

    /// The errno and the extended ack's text, verbatim; without NLM_F_ACK_TLVS, no text.
    @Test(arguments: [(EEXIST, "too many addresses or duplicate one: -17" as String?), (EINVAL, nil)])
    func aKernelErrorCarriesItsExtack(errno: Int32, extack: String?) throws {
        let peer = try FakeNetlinkPeer()
        let socket = try GenericNetlinkSocket(userSocketPeer: peer.port)
        #expect(throws: NetlinkError.kernel(Errno(rawValue: errno), extack: extack)) {
            try peer.answering({ [$0.error(errno, extack: extack)] }) {
                try socket.transact(try MessageBuilder(family: Int32(Self.family), command: 1, version: 1))
            }
        }
    }

    /// An error after part of a dump: the error, never the part.
    @Test func anErrorInADumpIsThrownNotThePartBeforeIt() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try GenericNetlinkSocket(userSocketPeer: peer.port)
        #expect(throws: NetlinkError.kernel(Errno(rawValue: ENOBUFS), extack: "dump too large")) {
            try peer.answering({ request in [Self.entry(request, 1), request.error(ENOBUFS, extack: "dump too large")] }) {
                try socket.transact(try MessageBuilder(family: Int32(Self.family), command: 3, version: 1, dump: true))
            }
        }
    }

    /// A multicast read: every message of the datagram, a truncated tail left out.
    @Test func aDatagramOfEventsGivesEachOfThem() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try GenericNetlinkSocket(userSocketPeer: peer.port)
        let port = try FakeNetlinkPeer.port(of: socket.fileDescriptor)
        func event(_ command: UInt8, _ token: UInt32) -> [UInt8] {
            FakeNetlinkPeer.message(type: Self.family, flags: 0, sequence: 0, port: 0, [command, 1, 0, 0] + attribute(1, le32(token)))
        }
        peer.send(event(1, 0xa859c0f3) + event(2, 0xa859c0f3) + le32(200) + le16(Self.family), to: port)
        guard case let .messages(events) = try socket.receiveEvents(timeout: 5000) else {
            Issue.record("no events")
            return
        }
        #expect(events.map(\.command) == [1, 2])
        #expect(events.map { $0.attributes.first(1)?.u32 } == [0xa859c0f3, 0xa859c0f3])
    }

    /// sock_diag's dump, walked by hand: the replies in order over several datagrams, a
    /// message left from an earlier request passed over, NLMSG_DONE the end.
    @Test func aSockDiagDumpIsReadToItsDonePassingOverAnEarlierRequest() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try SockDiagSocket(userSocketPeer: peer.port)
        let header: [UInt8] = [2, 6, 0, 0]
        let replies = try peer.answering({ request in
            let multi = FakeNetlinkPeer.Linux.multi
            return [request.reply(type: 20, flags: multi, sequence: request.sequence &- 1, [0xee, 0, 0, 0])
                        + request.reply(type: 20, flags: multi, [1, 0, 0, 0]),
                    request.reply(type: 20, flags: multi, [2, 0, 0, 0]) + request.reply(type: 20, flags: multi, [3, 0, 0, 0]),
                    request.done()]
        }) { try socket.dump(type: 20, header: header, u32Attributes: [(1, 42)]) }
        #expect(replies.map(\.payload) == [[1, 0, 0, 0], [2, 0, 0, 0], [3, 0, 0, 0]])
        #expect(replies.allSatisfy { $0.type == 20 })
        let sent = try #require(peer.request)
        #expect(sent.type == 20 && sent.flags & FakeNetlinkPeer.Linux.dump == FakeNetlinkPeer.Linux.dump)
        #expect(sent.payload == header + attribute(1, le32(42)))
    }

    @Test func aSockDiagErrorCarriesItsExtack() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try SockDiagSocket(userSocketPeer: peer.port)
        #expect(throws: NetlinkError.kernel(Errno(rawValue: EINVAL), extack: "bad filter")) {
            try peer.answering({ request in [request.reply(type: 20, flags: FakeNetlinkPeer.Linux.multi, [1, 0, 0, 0]),
                                             request.error(EINVAL, extack: "bad filter")] }) {
                try socket.dump(type: 20, header: [2, 6, 0, 0])
            }
        }
    }

    /// A dump the kernel marks inconsistent (NLM_F_DUMP_INTR) is refused, not used.
    @Test func anInterruptedSockDiagDumpIsRefused() throws {
        let peer = try FakeNetlinkPeer()
        let socket = try SockDiagSocket(userSocketPeer: peer.port)
        let error = try #require(throws: NetlinkError.self) {
            try peer.answering({ request in
                [request.reply(type: 20, flags: FakeNetlinkPeer.Linux.multi | FakeNetlinkPeer.Linux.dumpInterrupted, [1, 0, 0, 0]),
                 request.done()]
            }) { try socket.dump(type: 20, header: [2, 6, 0, 0]) }
        }
        guard case let .library(code, _) = error else {
            Issue.record("\(error)")
            return
        }
        #expect(code == 33) // NLE_DUMP_INTR
    }
}
