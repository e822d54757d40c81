import Glibc
import Netlink

/// Reads the MPTCP connections of a namespace with sock_diag, as `ss -M` and `ss -ti`
/// would in two passes, joins each connection with its subflows, and names the endpoint
/// each subflow came from and the interface it leaves by.
public enum ConnectionReader {
    /// Enters `netns` (nil: stays), reads, and returns to where the thread was.
    public static func read(netns: String?, listening: Bool = false) throws(PathManagerError) -> [Connection] {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            let replies = try dump(listening: listening)
            // Endpoints are read after the sockets: an endpoint added in between can only
            // name a subflow's id that existed already, never hide one.
            let endpoints = try PathManager.open(netns: nil).endpoints()
            let interfaces = try Interfaces()
            return annotate(SockDiagAttributes.connections(mptcpReplies: replies.mptcp, tcpReplies: replies.tcp),
                            endpoints: endpoints, interfaceName: interfaces.name(of:), addressOwners: interfaces.addressOwners())
        }
    }

    /// The raw replies of the namespace the thread is in: MPTCP sockets, then TCP
    /// sockets, each of both families (what the fuzz seeds are captured from).
    public static func dump(listening: Bool) throws(PathManagerError) -> (mptcp: [NetlinkMessage], tcp: [NetlinkMessage]) {
        try PathManagerError.netlink { () throws(NetlinkError) in
            let socket = try SockDiagSocket()
            var mptcp: [NetlinkMessage] = [], tcp: [NetlinkMessage] = []
            for family in [UInt8(AF_INET), UInt8(AF_INET6)] {
                let request = SockDiagAttributes.request(.mptcp(family: family, listening: listening))
                mptcp += try socket.dump(type: SockDiagAttributes.byFamily, header: request.header, u32Attributes: request.attributes)
            }
            for family in [UInt8(AF_INET), UInt8(AF_INET6)] {
                let request = SockDiagAttributes.request(.tcp(family: family))
                tcp += try socket.dump(type: SockDiagAttributes.byFamily, header: request.header, u32Attributes: request.attributes)
            }
            return (mptcp, tcp)
        }
    }

    /// Fills each subflow's endpoint (a configured, not implicit, endpoint with its
    /// local id; none for id 0) and interface (the bound one, else the one holding its
    /// local address).
    public static func annotate(_ connections: [Connection], endpoints: [Endpoint], interfaceName: (Int32) -> String?,
                                addressOwners: [IPAddress: String]) -> [Connection] {
        var configured: [UInt8: Endpoint] = [:]
        for endpoint in endpoints where !endpoint.flags.contains(.implicit) { configured[endpoint.id] = endpoint }
        var names: [Int32: String?] = [:]
        return connections.map { connection in
            var connection = connection
            for index in connection.subflows.indices {
                var subflow = connection.subflows[index]
                if subflow.localID != 0 { subflow.endpoint = configured[subflow.localID]?.id }
                if subflow.boundInterfaceIndex != 0 {
                    let bound = subflow.boundInterfaceIndex
                    if names[bound] == nil { names[bound] = .some(interfaceName(bound)) }
                    subflow.interfaceName = names[bound] ?? nil
                } else {
                    subflow.interfaceName = addressOwners[subflow.local]
                }
                connection.subflows[index] = subflow
            }
            return connection
        }
    }
}
