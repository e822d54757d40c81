import Glibc
import Netlink

/// sock_diag's inet_diag messages as MPTCP needs them: the dump request
/// (`struct inet_diag_req_v2`), the reply header (`struct inet_diag_msg`), the MPTCP
/// socket's `struct mptcp_info` (INET_DIAG_INFO) and a TCP subflow's MPTCP attributes
/// (INET_DIAG_ULP_INFO → INET_ULP_INFO_MPTCP → MPTCP_SUBFLOW_ATTR_*), encoded and
/// decoded side by side. Numbers from linux/sock_diag.h, inet_diag.h and mptcp.h.
public enum SockDiagAttributes {
    /// SOCK_DIAG_BY_FAMILY: the message type of requests and replies.
    public static let byFamily: UInt16 = 20
    static let ipprotoTCP: UInt32 = 6 // IPPROTO_TCP
    static let ipprotoMPTCP = UInt32(IPPROTO_MPTCP)
    /// INET_DIAG_REQ_PROTOCOL: a u32 protocol for those above 255 (MPTCP).
    static let requestProtocol: UInt16 = 3
    static let info: UInt16 = 2 // INET_DIAG_INFO
    static let ulpInfo: UInt16 = 19 // INET_DIAG_ULP_INFO
    static let ulpName: UInt16 = 1 // INET_ULP_INFO_NAME
    static let ulpMPTCP: UInt16 = 3 // INET_ULP_INFO_MPTCP
    static let tokenRemote: UInt16 = 1 // MPTCP_SUBFLOW_ATTR_TOKEN_REM
    static let tokenLocal: UInt16 = 2 // MPTCP_SUBFLOW_ATTR_TOKEN_LOC
    static let subflowFlags: UInt16 = 8 // MPTCP_SUBFLOW_ATTR_FLAGS
    static let idRemote: UInt16 = 9 // MPTCP_SUBFLOW_ATTR_ID_REM
    static let idLocal: UInt16 = 10 // MPTCP_SUBFLOW_ATTR_ID_LOC
    /// sizeof(struct inet_diag_msg): the attributes follow it.
    static let messageHeaderSize = 72
    static let tcpListen: UInt8 = 10 // TCP_LISTEN

    /// Which sockets a dump asks for.
    public enum Query: Sendable, Equatable {
        /// MPTCP sockets, with their `struct mptcp_info`; listeners only when asked.
        case mptcp(family: UInt8, listening: Bool)
        /// TCP sockets not listening (the subflows carry the MPTCP ULP attributes).
        case tcp(family: UInt8)
    }

    /// The request's payload: `struct inet_diag_req_v2` (56 bytes), and the protocol
    /// attribute MPTCP needs, as (type, value).
    public static func request(_ query: Query) -> (header: [UInt8], attributes: [(UInt16, UInt32)]) {
        let family: UInt8, protocolByte: UInt8, states: UInt32, attributes: [(UInt16, UInt32)]
        let notListening: UInt32 = 0xFFF & ~(1 << UInt32(tcpListen))
        switch query {
        case let .mptcp(f, listening):
            // The u8 field cannot hold IPPROTO_MPTCP: the attribute says it instead.
            family = f; protocolByte = 0; attributes = [(requestProtocol, ipprotoMPTCP)]
            states = listening ? 0xFFF : notListening
        case let .tcp(f):
            family = f; protocolByte = UInt8(ipprotoTCP); attributes = []
            states = notListening
        }
        var header = [UInt8](repeating: 0, count: 56)
        header[0] = family
        header[1] = protocolByte
        // idiag_ext INET_DIAG_INFO: mptcp_info for MPTCP sockets; TCP sockets send their
        // ULP (subflow) attributes only with it (checked on Linux 6.18).
        header[2] = 1 << (UInt8(info) - 1)
        withUnsafeBytes(of: states) { header.replaceSubrange(4..<8, with: $0) }
        return (header, attributes)
    }

    /// One socket of a reply: the `struct inet_diag_msg` fields MPTCP uses and the
    /// attributes after it (unknown ones kept).
    public struct Socket: Sendable, Equatable {
        public var state: UInt8
        public var local: IPAddress
        public var remote: IPAddress
        public var localPort: UInt16
        public var remotePort: UInt16
        public var interfaceIndex: Int32
        /// idiag_inode: the socket's inode, 0 when no file holds it.
        public var inode: UInt32
        public var attributes: [Attribute]
    }

    /// Decodes a SOCK_DIAG_BY_FAMILY reply; nil for another message type, a payload
    /// shorter than `struct inet_diag_msg`, or a family other than AF_INET/AF_INET6.
    public static func socket(_ message: NetlinkMessage) -> Socket? {
        message.withView { reply in
            (try? header(reply))?.map { header in
                var socket = header.socket
                socket.attributes = Attribute.parse(header.attributes)
                return socket
            }
        }
    }

    /// The `struct inet_diag_msg` of a reply read in place (a socket without its
    /// attributes), its family, and a view of the attributes after it; nil for another
    /// message type or family; a payload shorter than the structure is the error.
    static func header(_ reply: MessageView) throws(MalformedAttribute)
        -> (socket: Socket, family: UInt8, attributes: UnsafeRawBufferPointer)? {
        let p = reply.payload
        guard reply.type == byFamily else { return nil }
        guard p.count >= messageHeaderSize else {
            throw MalformedAttribute("struct inet_diag_msg", .short(p.count, minimum: messageHeaderSize))
        }
        let local: IPAddress, remote: IPAddress
        switch p[0] {
        case 2: local = .v4(Array(p[8..<12])); remote = .v4(Array(p[24..<28])) // AF_INET
        case 10: local = .v6(Array(p[8..<24])); remote = .v6(Array(p[24..<40])) // AF_INET6
        default: return nil
        }
        let socket = Socket(state: p[1], local: local, remote: remote,
                            localPort: UInt16(p[4]) << 8 | UInt16(p[5]), remotePort: UInt16(p[6]) << 8 | UInt16(p[7]),
                            interfaceIndex: p.loadUnaligned(fromByteOffset: 40, as: Int32.self),
                            inode: p.loadUnaligned(fromByteOffset: 68, as: UInt32.self), attributes: [])
        return (socket, p[0], UnsafeRawBufferPointer(rebasing: p[messageHeaderSize...]))
    }

    /// `struct mptcp_info` of an MPTCP socket; nil when too short to hold the token.
    /// The byte counters (Linux 6.x) are nil in a shorter structure.
    public static func mptcpInfo(_ bytes: [UInt8]) -> Connection.Info? {
        bytes.withUnsafeBytes(mptcpInfo)
    }

    /// The bytes of `struct mptcp_info` up to its token, which every kernel sends.
    static let mptcpInfoMinimum = 16

    static func mptcpInfo(_ raw: UnsafeRawBufferPointer) -> Connection.Info? {
        guard raw.count >= mptcpInfoMinimum else { return nil }
        return Connection.Info(subflows: raw[0], addAddrSignal: raw[1], addAddrAccepted: raw[2],
                               flags: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
                               token: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self),
                               bytesSent: raw.u64(at: 56), bytesReceived: raw.u64(at: 64), bytesAcked: raw.u64(at: 72))
    }

    /// Offsets in `struct tcp_info` (linux/tcp.h; checked with offsetof, and against
    /// `ss -ti` on a live socket, on Linux 6.18, whose structure is 280 bytes): the u8
    /// tcpi_state 0, tcpi_ca_state 1, tcpi_retransmits 2, tcpi_probes 3, tcpi_backoff 4;
    /// the u32 tcpi_rto 8, tcpi_unacked 24, tcpi_lost 32, tcpi_last_data_sent 44,
    /// tcpi_last_data_recv 52, tcpi_last_ack_recv 56, tcpi_rtt 68, tcpi_snd_cwnd 80,
    /// tcpi_total_retrans 100, tcpi_notsent_bytes 144 (4.6), tcpi_snd_wnd 228 (5.4),
    /// tcpi_total_rto_time 244 (6.7); the u64 tcpi_pacing_rate 104, tcpi_bytes_acked 120,
    /// tcpi_bytes_received 128 (4.1), tcpi_busy_time 168 (4.10), tcpi_bytes_sent 200
    /// (4.19); the u16 tcpi_total_rto 240 (6.7).
    private enum TCPInfoOffset {
        static let state = 0, congestionState = 1, retransmits = 2, probes = 3, backoff = 4
        static let retransmissionTimeout = 8, unacked = 24, lost = 32
        static let lastDataSent = 44, lastDataReceived = 52, lastAckReceived = 56
        static let rtt = 68, congestionWindow = 80, totalRetransmits = 100, pacingRate = 104
        static let bytesAcked = 120, bytesReceived = 128, notSentBytes = 144, busyTime = 168, bytesSent = 200
        static let peerWindow = 228, totalTimeouts = 240, totalTimeoutTime = 244
    }

    /// A TCP socket's `struct tcp_info`; nil when too short to hold tcpi_rtt (every
    /// kernel sends more). Each later field is nil in a structure that ends before it;
    /// bytes past the last known field are ignored.
    public static func tcpInfo(_ bytes: [UInt8]) -> TCPInfo? {
        bytes.withUnsafeBytes(tcpInfo)
    }

    static func tcpInfo(_ raw: UnsafeRawBufferPointer) -> TCPInfo? {
        typealias F = TCPInfoOffset
        guard raw.count >= F.rtt + 4 else { return nil }
        return TCPInfo(state: raw[F.state], congestionState: raw[F.congestionState], retransmits: raw[F.retransmits],
                       probes: raw[F.probes], backoff: raw[F.backoff], retransmissionTimeout: raw.u32(at: F.retransmissionTimeout),
                       unacked: raw.u32(at: F.unacked), lost: raw.u32(at: F.lost), lastDataSent: raw.u32(at: F.lastDataSent),
                       lastDataReceived: raw.u32(at: F.lastDataReceived), lastAckReceived: raw.u32(at: F.lastAckReceived),
                       rtt: raw.u32(at: F.rtt), congestionWindow: raw.u32(at: F.congestionWindow),
                       totalRetransmits: raw.u32(at: F.totalRetransmits), pacingRate: raw.u64(at: F.pacingRate),
                       bytesAcked: raw.u64(at: F.bytesAcked), bytesReceived: raw.u64(at: F.bytesReceived),
                       notSentBytes: raw.u32(at: F.notSentBytes), busyTime: raw.u64(at: F.busyTime),
                       bytesSent: raw.u64(at: F.bytesSent), peerWindow: raw.u32(at: F.peerWindow),
                       totalTimeouts: raw.u16(at: F.totalTimeouts), totalTimeoutTime: raw.u32(at: F.totalTimeoutTime))
    }

    /// The MPTCP socket of a reply, without its subflows, and its family; nil as
    /// `header` says. Of each attribute the first is taken, as the kernel's parsers do;
    /// a `struct mptcp_info` too short for its token is the error.
    /// (Each view is read inside the walk that hands it out: it may be a copy's.)
    static func connection(_ reply: MessageView) throws(MalformedAttribute) -> (connection: Connection, family: UInt8)? {
        guard let (socket, family, attributes) = try header(reply) else { return nil }
        var info: Connection.Info?, infoSize: Int?
        AttributeView.walk(attributes) { attribute in
            if attribute.type == Self.info, infoSize == nil { infoSize = attribute.payload.count; info = mptcpInfo(attribute.payload) }
        }
        if let infoSize, info == nil {
            throw MalformedAttribute("INET_DIAG_INFO (struct mptcp_info)", .short(infoSize, minimum: mptcpInfoMinimum))
        }
        return (Connection(token: info?.token ?? 0, local: socket.local, remote: socket.remote, localPort: socket.localPort,
                           remotePort: socket.remotePort, state: socket.state, info: info, inode: socket.inode), family)
    }

    /// The MPTCP attributes of a subflow (inside INET_ULP_INFO_MPTCP), first of each,
    /// and the first of them of the wrong size.
    private struct SubflowAttributes {
        var localToken: UInt32?, remoteToken: UInt32?, localID: UInt8?, remoteID: UInt8?, flags: UInt32?
        var malformed: MalformedAttribute?
        /// The types taken already, a bit each (they are all below 16).
        var seen: UInt16 = 0

        mutating func take(_ attribute: AttributeView) {
            guard attribute.type < 16, seen & (1 << attribute.type) == 0 else { return }
            seen |= 1 << attribute.type
            switch attribute.type {
            case tokenLocal: localToken = read(attribute.u32, attribute, "MPTCP_SUBFLOW_ATTR_TOKEN_LOC")
            case tokenRemote: remoteToken = read(attribute.u32, attribute, "MPTCP_SUBFLOW_ATTR_TOKEN_REM")
            case idLocal: localID = read(attribute.u8, attribute, "MPTCP_SUBFLOW_ATTR_ID_LOC")
            case idRemote: remoteID = read(attribute.u8, attribute, "MPTCP_SUBFLOW_ATTR_ID_REM")
            case subflowFlags: flags = read(attribute.u32, attribute, "MPTCP_SUBFLOW_ATTR_FLAGS")
            default: break
            }
        }

        /// `value` (nil: the payload is not T's size, which is noted when first).
        private mutating func read<T: FixedWidthInteger>(_ value: T?, _ attribute: AttributeView, _ name: String) -> T? {
            if value == nil, malformed == nil {
                malformed = MalformedAttribute(name, .size(attribute.payload.count, expected: MemoryLayout<T>.size))
            }
            return value
        }
    }

    /// A TCP socket's MPTCP subflow attributes and its `struct tcp_info`; nil when it
    /// is no MPTCP subflow (no ULP named "mptcp", or no token), or as `header` says. In
    /// an MPTCP subflow, an attribute of the wrong size, or a `struct tcp_info` too short
    /// for its round-trip time, is the error.
    static func subflow(_ reply: MessageView) throws(MalformedAttribute) -> Subflow? {
        guard let (socket, _, attributes) = try header(reply) else { return nil }
        var tcp: TCPInfo?, infoSize: Int?, seenULP = false
        var isMPTCP = false, mptcp = SubflowAttributes()
        AttributeView.walk(attributes) { attribute in
            if attribute.type == info, infoSize == nil { infoSize = attribute.payload.count; tcp = tcpInfo(attribute.payload) }
            guard attribute.type == ulpInfo, !seenULP else { return }
            seenULP = true
            var seenName = false, seenMPTCP = false
            attribute.walkNested { inner in
                if inner.type == ulpName, !seenName { seenName = true; isMPTCP = inner.string == "mptcp" }
                if inner.type == ulpMPTCP, !seenMPTCP { seenMPTCP = true; inner.walkNested { mptcp.take($0) } }
            }
        }
        guard isMPTCP else { return nil }
        if let malformed = mptcp.malformed { throw malformed }
        if let infoSize, tcp == nil {
            throw MalformedAttribute("INET_DIAG_INFO (struct tcp_info)", .short(infoSize, minimum: TCPInfoOffset.rtt + 4))
        }
        guard let token = mptcp.localToken else { return nil }
        return Subflow(local: socket.local, remote: socket.remote, localPort: socket.localPort, remotePort: socket.remotePort,
                       state: socket.state, localToken: token, remoteToken: mptcp.remoteToken ?? 0,
                       localID: mptcp.localID ?? 0, remoteID: mptcp.remoteID ?? 0,
                       flags: mptcp.flags ?? 0, boundInterfaceIndex: socket.interfaceIndex, tcpInfo: tcp)
    }

    /// The MPTCP sockets of `mptcpReplies` as connections, each with the subflows of
    /// `tcpReplies` whose local token is its token (`ConnectionDump` joins them); the
    /// first malformed reply is the error.
    public static func connections(mptcpReplies: [NetlinkMessage], tcpReplies: [NetlinkMessage])
        throws(MalformedAttribute) -> [Connection] {
        var dump = ConnectionDump()
        for message in mptcpReplies { message.withView { dump.addMPTCP($0) } }
        for message in tcpReplies { message.withView { dump.addTCP($0) } }
        return try dump.connections()
    }
}

extension UnsafeRawBufferPointer {
    /// A field of a structure the kernel may send shorter (older): nil past its end.
    func u16(at offset: Int) -> UInt16? {
        count >= offset + 2 ? loadUnaligned(fromByteOffset: offset, as: UInt16.self) : nil
    }

    func u32(at offset: Int) -> UInt32? {
        count >= offset + 4 ? loadUnaligned(fromByteOffset: offset, as: UInt32.self) : nil
    }

    func u64(at offset: Int) -> UInt64? {
        count >= offset + 8 ? loadUnaligned(fromByteOffset: offset, as: UInt64.self) : nil
    }
}
