import Glibc
import Netlink

extension ConnectionCounts {
    // linux/inet_diag.h and linux/in.h
    private static let ipprotoTCP: UInt8 = 6, ipprotoMPTCP: UInt32 = 262
    private static let requestProtocol: UInt16 = 3      // INET_DIAG_REQ_PROTOCOL
    private static let ulpInfo: UInt16 = 19             // INET_DIAG_ULP_INFO
    private static let ulpInfoName: UInt16 = 1          // INET_ULP_INFO_NAME
    private static let listen: UInt8 = 10               // TCP_LISTEN
    private static let messageSize = 72                 // struct inet_diag_msg
    private static let info: UInt8 = 2                  // INET_DIAG_INFO

    /// Counts the MPTCP connections and subflows of the namespace the calling thread is
    /// in, with two sock_diag dumps per address family: MPTCP sockets, and TCP sockets
    /// whose upper-layer protocol is "mptcp". Every state but LISTEN is asked for.
    public static func read() throws(NetlinkError) -> ConnectionCounts {
        let socket = try SocketDiagSocket()
        var counts = ConnectionCounts(connections: 0, subflows: 0)
        for family in [UInt8(AF_INET), UInt8(AF_INET6)] {
            // sdiag_protocol is a u8: IPPROTO_MPTCP (262) goes in INET_DIAG_REQ_PROTOCOL.
            let connections = try socket.dump(header: request(family: family, protocol: 0),
                                              u32Attributes: [(requestProtocol, ipprotoMPTCP)])
            counts.connections += connections.filter { $0.count >= messageSize && $0[1] != listen }.count
            let tcp = try socket.dump(header: request(family: family, protocol: ipprotoTCP))
            counts.subflows += tcp.filter { payload in
                guard payload.count >= messageSize, payload[1] != listen else { return false }
                let attributes = Attribute.parse(Array(payload[messageSize...]))
                return attributes.first(ulpInfo)?.nested.first(ulpInfoName)?.string == "mptcp"
            }.count
        }
        return counts
    }

    /// struct inet_diag_req_v2: family, protocol, the INFO extension (the kernel adds the
    /// ULP name only with it), every state but LISTEN, any socket id.
    private static func request(family: UInt8, protocol: UInt8) -> [UInt8] {
        let states = ~(UInt32(1) << UInt32(listen))
        return [family, `protocol`, UInt8(1) << (info - 1), 0] + withUnsafeBytes(of: states) { Array($0) } + [UInt8](repeating: 0, count: 48)
    }
}
