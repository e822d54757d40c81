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
    static let ipprotoMPTCP: UInt32 = 262 // IPPROTO_MPTCP
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
            // The u8 field cannot hold 262: the attribute says it instead.
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
        public var attributes: [Attribute]
    }

    /// Decodes a SOCK_DIAG_BY_FAMILY reply; nil for another message type, a payload
    /// shorter than `struct inet_diag_msg`, or a family other than AF_INET/AF_INET6.
    public static func socket(_ message: NetlinkMessage) -> Socket? {
        let p = message.payload
        guard message.type == byFamily, p.count >= messageHeaderSize else { return nil }
        let local: IPAddress, remote: IPAddress
        switch p[0] {
        case 2: local = .v4(Array(p[8..<12])); remote = .v4(Array(p[24..<28])) // AF_INET
        case 10: local = .v6(Array(p[8..<24])); remote = .v6(Array(p[24..<40])) // AF_INET6
        default: return nil
        }
        let interface = p.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 40, as: Int32.self) }
        return Socket(state: p[1], local: local, remote: remote,
                      localPort: UInt16(p[4]) << 8 | UInt16(p[5]), remotePort: UInt16(p[6]) << 8 | UInt16(p[7]),
                      interfaceIndex: interface,
                      attributes: Attribute.parse(Array(p[messageHeaderSize...])))
    }

    /// `struct mptcp_info` of an MPTCP socket; nil when too short to hold the token.
    /// The byte counters (Linux 6.x) are nil in a shorter structure.
    public static func mptcpInfo(_ bytes: [UInt8]) -> Connection.Info? {
        guard bytes.count >= 16 else { return nil }
        func u64(_ offset: Int) -> UInt64? {
            bytes.count >= offset + 8 ? bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self) } : nil
        }
        return bytes.withUnsafeBytes { raw in
            Connection.Info(subflows: bytes[0], addAddrSignal: bytes[1], addAddrAccepted: bytes[2],
                            flags: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self),
                            token: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self),
                            bytesSent: u64(56), bytesReceived: u64(64), bytesAcked: u64(72))
        }
    }

    /// Offsets in `struct tcp_info` (linux/tcp.h, computed with offsetof on Linux 6.18):
    /// tcpi_rtt 68, tcpi_snd_cwnd 80, tcpi_total_retrans 100 (u32), tcpi_pacing_rate
    /// 104, tcpi_bytes_acked 120, tcpi_bytes_received 128, tcpi_bytes_sent 200 (u64).
    private static let tcpInfoFields = (rtt: 68, congestionWindow: 80, totalRetransmits: 100, pacingRate: 104,
                                        bytesAcked: 120, bytesReceived: 128, bytesSent: 200)

    /// A TCP socket's `struct tcp_info`; nil when too short to hold tcpi_rtt. Each
    /// later field is nil in a structure that ends before it; bytes past the last
    /// known field are ignored.
    public static func tcpInfo(_ bytes: [UInt8]) -> TCPInfo? {
        let f = tcpInfoFields
        guard bytes.count >= f.rtt + 4 else { return nil }
        return bytes.withUnsafeBytes { raw in
            func u32(_ offset: Int) -> UInt32? {
                raw.count >= offset + 4 ? raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self) : nil
            }
            func u64(_ offset: Int) -> UInt64? {
                raw.count >= offset + 8 ? raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) : nil
            }
            return TCPInfo(rtt: u32(f.rtt), congestionWindow: u32(f.congestionWindow), totalRetransmits: u32(f.totalRetransmits),
                           pacingRate: u64(f.pacingRate), bytesAcked: u64(f.bytesAcked), bytesReceived: u64(f.bytesReceived),
                           bytesSent: u64(f.bytesSent))
        }
    }

    /// A TCP socket's MPTCP subflow attributes and its `struct tcp_info`; nil when it
    /// is no MPTCP subflow (no ULP named "mptcp", or no token).
    public static func subflow(_ socket: Socket) -> Subflow? {
        guard let ulp = socket.attributes.first(ulpInfo)?.nested,
              ulp.first(ulpName)?.string == "mptcp",
              let attributes = ulp.first(ulpMPTCP)?.nested,
              let token = attributes.first(tokenLocal)?.u32
        else { return nil }
        return Subflow(local: socket.local, remote: socket.remote, localPort: socket.localPort, remotePort: socket.remotePort,
                       state: socket.state, localToken: token, remoteToken: attributes.first(tokenRemote)?.u32 ?? 0,
                       localID: attributes.first(idLocal)?.u8 ?? 0, remoteID: attributes.first(idRemote)?.u8 ?? 0,
                       flags: attributes.first(subflowFlags)?.u32 ?? 0, boundInterfaceIndex: socket.interfaceIndex,
                       tcpInfo: socket.attributes.first(info).flatMap { tcpInfo($0.payload) })
    }

    private static func ordered(_ subflows: [Subflow]) -> [Subflow] {
        subflows.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            return (x.isInitial ? 0 : 1, x.localID, x.remoteID, a.offset) < (y.isInitial ? 0 : 1, y.localID, y.remoteID, b.offset)
        }.map(\.element)
    }

    /// The MPTCP sockets of `mptcpReplies` as connections, each with the subflows of
    /// `tcpReplies` whose local token is its token: the initial subflow first, then by
    /// local id, then remote id (the kernel lists sockets in hash order). Subflows whose
    /// connection is not listed (it closed between the two dumps) are left out.
    public static func connections(mptcpReplies: [NetlinkMessage], tcpReplies: [NetlinkMessage]) -> [Connection] {
        var subflows: [UInt32: [Subflow]] = [:]
        for message in tcpReplies {
            guard let socket = socket(message), let subflow = subflow(socket) else { continue }
            subflows[subflow.localToken, default: []].append(subflow)
        }
        return mptcpReplies.compactMap { message in
            guard let socket = socket(message) else { return nil }
            let info = socket.attributes.first(Self.info).flatMap { mptcpInfo($0.payload) }
            let token = info?.token ?? 0
            let listening = socket.state == tcpListen
            return Connection(token: token, local: socket.local, remote: socket.remote, localPort: socket.localPort,
                              remotePort: socket.remotePort, state: socket.state, info: info,
                              subflows: listening || info == nil ? [] : ordered(subflows[token] ?? []))
        }
    }
}
