import Glibc
import Netlink

/// What the endpoint and limits commands need from the kernel. The real one is
/// `PathManager`; tests may stand in for the kernel with their own.
public protocol PathManaging: AnyObject {
    func endpoints() throws(NetlinkError) -> [Endpoint]
    func endpoint(id: UInt8) throws(NetlinkError) -> Endpoint
    func add(_ nest: Requests.AddressNest) throws(NetlinkError)
    func delete(_ nest: Requests.AddressNest) throws(NetlinkError)
    func setFlags(_ nest: Requests.AddressNest) throws(NetlinkError)
    func flush() throws(NetlinkError)
    func limits() throws(NetlinkError) -> Limits
    func setLimits(subflows: UInt32?, addAddrAccepted: UInt32?) throws(NetlinkError)
    func interfaceIndex(named name: String) -> Int32?
    func interfaceName(index: Int32) -> String?
}

/// The in-kernel path manager of one network namespace, over generic netlink.
public final class PathManager: PathManaging {
    private let socket: GenericNetlinkSocket
    private let family: Int32
    private let interfaces: Interfaces
    /// `net.mptcp.enabled` of the namespace; nil when it could not be read.
    public let mptcpEnabled: Bool?

    /// Opens the path manager of namespace `netns` (the current one when nil). All
    /// sockets are created inside that namespace before this returns.
    public static func open(netns: String?) throws(MPTCPError) -> PathManager {
        try NetworkNamespace.within(netns) { () throws(MPTCPError) in
            try MPTCPError.reporting("opening the MPTCP path manager") {
                let socket = try GenericNetlinkSocket()
                let family = try socket.resolveFamily(PathManagerProtocol.familyName)
                return PathManager(socket: socket, family: family, interfaces: try Interfaces(),
                                   mptcpEnabled: Sysctl.read("net/mptcp/enabled").map { $0 != "0" })
            }
        }
    }

    private init(socket: GenericNetlinkSocket, family: Int32, interfaces: Interfaces, mptcpEnabled: Bool?) {
        self.socket = socket
        self.family = family
        self.interfaces = interfaces
        self.mptcpEnabled = mptcpEnabled
    }

    public func endpoints() throws(NetlinkError) -> [Endpoint] {
        try socket.transact(Requests.dump(family: family)).compactMap(Endpoint.init(message:))
    }

    public func endpoint(id: UInt8) throws(NetlinkError) -> Endpoint {
        let replies = try socket.transact(Requests.get(id: id, family: family))
        guard let endpoint = replies.lazy.compactMap(Endpoint.init(message:)).first else {
            throw .kernel(errno: EPROTO, message: "the kernel's reply held no endpoint")
        }
        return endpoint
    }

    public func add(_ nest: Requests.AddressNest) throws(NetlinkError) {
        _ = try socket.transact(Requests.add(nest, family: family))
    }

    public func delete(_ nest: Requests.AddressNest) throws(NetlinkError) {
        _ = try socket.transact(Requests.delete(nest, family: family))
    }

    public func setFlags(_ nest: Requests.AddressNest) throws(NetlinkError) {
        _ = try socket.transact(Requests.setFlags(nest, family: family))
    }

    public func flush() throws(NetlinkError) {
        _ = try socket.transact(Requests.flush(family: family))
    }

    public func limits() throws(NetlinkError) -> Limits {
        let replies = try socket.transact(Requests.getLimits(family: family))
        guard let limits = replies.lazy.compactMap(Limits.init(message:)).first else {
            throw .kernel(errno: EPROTO, message: "the kernel's reply held no limits")
        }
        return limits
    }

    public func setLimits(subflows: UInt32?, addAddrAccepted: UInt32?) throws(NetlinkError) {
        _ = try socket.transact(Requests.setLimits(subflows: subflows, addAddrAccepted: addAddrAccepted, family: family))
    }

    public func interfaceIndex(named name: String) -> Int32? { interfaces.index(of: name) }

    public func interfaceName(index: Int32) -> String? { interfaces.name(of: index) }
}
