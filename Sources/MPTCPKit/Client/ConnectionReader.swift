import Glibc
import Netlink

/// Reads the MPTCP connections of a namespace with sock_diag, as `ss -M` and `ss -ti`
/// would in two passes, joins each connection with its subflows, and names the endpoint
/// each subflow came from and the interface it leaves by.
///
/// `read(netns:)` reads once. An instance (`open(netns:)`) is for readings that follow
/// one another (`top`): its sockets are made inside the namespace once and stay bound
/// to it, so each reading costs the dumps alone; use it from one thread at a time.
public final class ConnectionReader {
    private let socket: SockDiagSocket
    private let pathManager: NetlinkBackend
    private let interfaces: InterfaceWatcher

    /// Opens the sockets of namespace `netns` (nil: the current one) and returns.
    public static func open(netns: String?) throws(PathManagerError) -> ConnectionReader {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in try ConnectionReader() }
    }

    /// Must run inside the namespace to be read.
    private init() throws(PathManagerError) {
        socket = try PathManagerError.netlink { () throws(NetlinkError) in try SockDiagSocket() }
        pathManager = try NetlinkBackend(interfaces: false)
        interfaces = try InterfaceWatcher.open(netns: nil, follow: false)
    }

    /// Enters `netns` (nil: stays), reads once, and returns to where the thread was.
    public static func read(netns: String?, listening: Bool = false) throws(PathManagerError) -> [Connection] {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in try ConnectionReader().read(listening: listening) }
    }

    /// The connections now (listeners too when asked), with their subflows' endpoints
    /// and interfaces unless `annotated` is false (a daemon that needs addresses and
    /// tcp_info only). Endpoints are read only when a subflow has a local id to look
    /// up, interfaces only when there is a subflow: neither changes what is shown.
    public func read(listening: Bool = false, annotated: Bool = true) throws(PathManagerError) -> [Connection] {
        var dump = ConnectionDump()
        try PathManagerError.netlink { () throws(NetlinkError) in
            try Self.dump(on: socket, listening: listening, mptcp: { dump.addMPTCP($0) },
                          subflowFamilies: { dump.subflowFamilies }, tcp: { dump.addTCP($0) })
        }
        var connections = try PathManagerError.decoding { () throws(MalformedAttribute) in try dump.connections() }
        guard annotated, connections.contains(where: { !$0.subflows.isEmpty }) else { return connections }
        // Endpoints are read after the sockets: an endpoint added in between can only
        // name a subflow's id that existed already, never hide one.
        let endpoints = connections.contains { $0.subflows.contains { $0.localID != 0 } } ? try pathManager.dumpEndpoints() : []
        let snapshot = try interfaces.snapshot()
        var names: [Int32: String] = [:], owners: [IPAddress: String] = [:]
        for interface in snapshot.interfaces { names[interface.index] = interface.name }
        // The first interface holding an address owns it, as in `Interfaces.addressOwners`.
        for address in snapshot.addresses where owners[address.address] == nil {
            if let name = names[address.interfaceIndex] { owners[address.address] = name }
        }
        Self.annotate(&connections, endpoints: endpoints, interfaceName: { names[$0] }, addressOwners: owners)
        return connections
    }

    /// The MPTCP sockets of both families, then the TCP sockets of the families their
    /// subflows can have (`ConnectionDump.subflowFamilies`, asked once the MPTCP
    /// sockets are in), each reply handed over in place.
    private static func dump(on socket: SockDiagSocket, listening: Bool, mptcp: (MessageView) -> Void,
                             subflowFamilies: () -> [UInt8], tcp: (MessageView) -> Void) throws(NetlinkError) {
        for family in [UInt8(AF_INET), UInt8(AF_INET6)] {
            let request = SockDiagAttributes.request(.mptcp(family: family, listening: listening))
            try socket.dump(type: SockDiagAttributes.byFamily, header: request.header, u32Attributes: request.attributes, each: mptcp)
        }
        for family in subflowFamilies() {
            let request = SockDiagAttributes.request(.tcp(family: family))
            try socket.dump(type: SockDiagAttributes.byFamily, header: request.header, u32Attributes: request.attributes, each: tcp)
        }
    }

    /// The raw replies of the namespace the thread is in: MPTCP sockets of both
    /// families, then the TCP sockets their subflows can be (what the fuzz seeds are
    /// captured from).
    public static func dump(listening: Bool) throws(PathManagerError) -> (mptcp: [NetlinkMessage], tcp: [NetlinkMessage]) {
        try PathManagerError.netlink { () throws(NetlinkError) in
            let socket = try SockDiagSocket()
            var mptcp: [NetlinkMessage] = [], tcp: [NetlinkMessage] = []
            var plan = ConnectionDump()
            try dump(on: socket, listening: listening, mptcp: { reply in plan.addMPTCP(reply); mptcp.append(NetlinkMessage(reply)) },
                     subflowFamilies: { plan.subflowFamilies }, tcp: { tcp.append(NetlinkMessage($0)) })
            return (mptcp, tcp)
        }
    }

    /// Fills each subflow's endpoint (a configured, not implicit, endpoint with its
    /// local id; none for id 0) and interface (the bound one, else the one holding its
    /// local address), in place.
    public static func annotate(_ connections: inout [Connection], endpoints: [Endpoint], interfaceName: (Int32) -> String?,
                                addressOwners: [IPAddress: String]) {
        var configured: [UInt8: Endpoint] = [:]
        for endpoint in endpoints where !endpoint.flags.contains(.implicit) { configured[endpoint.id] = endpoint }
        var names: [Int32: String?] = [:]
        // The last address looked up, and its owner: a connection's subflows mostly
        // leave from a few addresses.
        var last: (address: IPAddress, owner: String?)?
        for c in connections.indices {
            for s in connections[c].subflows.indices {
                let localID = connections[c].subflows[s].localID, bound = connections[c].subflows[s].boundInterfaceIndex
                if localID != 0 { connections[c].subflows[s].endpoint = configured[localID]?.id }
                if bound != 0 {
                    if names[bound] == nil { names[bound] = .some(interfaceName(bound)) }
                    connections[c].subflows[s].interfaceName = names[bound] ?? nil
                } else {
                    let local = connections[c].subflows[s].local
                    if last?.address != local { last = (local, addressOwners[local]) }
                    connections[c].subflows[s].interfaceName = last?.owner
                }
            }
        }
    }
}
