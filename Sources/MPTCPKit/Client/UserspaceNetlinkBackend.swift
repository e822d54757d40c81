import Netlink

/// `UserspaceBackend` over a generic netlink socket and an interface socket, both made
/// inside the backend's namespace: create it inside `NetworkNamespace.within`, then use
/// it from one thread at a time; it keeps answering for that namespace.
public final class UserspaceNetlinkBackend: UserspaceBackend {
    private let socket: PathManagerSocket
    private var family: Int32 { socket.family }
    private let interfaces: Interfaces
    private let features: KernelFeatures

    /// Must run inside the namespace it is for (see `NetworkNamespace.within`);
    /// `features` say whether the kernel lists a connection's addresses.
    public init(features: KernelFeatures = .running) throws(PathManagerError) {
        socket = try PathManagerSocket()
        interfaces = try Interfaces()
        self.features = features
    }

    private func transact(_ build: () throws(NetlinkError) -> MessageBuilder) throws(PathManagerError) -> [GenericMessage] {
        try socket.transact(build)
    }

    public func announce(token: UInt32, _ spec: EndpointSpec) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try UserspaceRequests.announce(token: token, spec, family: family) }
    }

    public func remove(token: UInt32, id: UInt8) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try UserspaceRequests.remove(token: token, id: id, family: family) }
    }

    public func createSubflow(token: UInt32, local: EndpointSpec, remote: SocketAddress) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in
            try UserspaceRequests.createSubflow(token: token, local: local, remote: remote, family: family)
        }
    }

    public func destroySubflow(token: UInt32, local: SocketAddress, remote: SocketAddress) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in
            try UserspaceRequests.destroySubflow(token: token, local: local, remote: remote, family: family)
        }
    }

    public func setBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in
            try UserspaceRequests.setBackup(token: token, local: local, remote: remote, backup: backup, family: family)
        }
    }

    public func addresses(token: UInt32) throws(PathManagerError) -> [Endpoint] {
        try NetlinkBackend.endpoints(in: try transact { () throws(NetlinkError) in
            try UserspaceRequests.addresses(token: token, family: family)
        })
    }

    public var listsAddresses: KernelFeatures.Answer<Bool> { features.listsUserspaceAddresses() }

    public func interfaceIndex(named name: String) -> Int32? { interfaces.index(of: name) }

    public func interfaceName(index: Int32) -> String? { interfaces.name(of: index) }
}
