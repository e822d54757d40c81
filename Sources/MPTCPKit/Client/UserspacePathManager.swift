import Netlink

/// The userspace path manager of one network namespace (`net.mptcp.pm_type` 1, or
/// `path_manager` "userspace"): announcements and subflows of one connection at a time,
/// named by its token, as a daemon such as mptcpd drives them.
///
/// Thread and namespace rules: `open` creates its sockets inside the namespace and
/// returns; the instance then works from any one thread at a time, in that namespace.
public final class UserspacePathManager {
    private let socket: PathManagerSocket
    private var family: Int32 { socket.family }
    private let interfaces: Interfaces

    /// Opens it in namespace `netns` (the current one when nil).
    public static func open(netns: String?) throws(PathManagerError) -> UserspacePathManager {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            UserspacePathManager(socket: try PathManagerSocket(), interfaces: try Interfaces())
        }
    }

    private init(socket: PathManagerSocket, interfaces: Interfaces) {
        self.socket = socket
        self.interfaces = interfaces
    }

    private func transact(_ build: () throws(NetlinkError) -> MessageBuilder) throws(PathManagerError) -> [GenericMessage] {
        try socket.transact(build)
    }

    /// `spec` with its device resolved into the namespace's interface index.
    private func resolve(_ spec: EndpointSpec) throws(PathManagerError) -> EndpointSpec {
        try spec.resolved(interfaces.index(of:))
    }

    /// Announces `spec` (address, id, optional port and interface) to the peer.
    public func announce(token: UInt32, _ spec: EndpointSpec) throws(PathManagerError) {
        let resolved = try resolve(spec)
        _ = try transact { () throws(NetlinkError) in try UserspaceRequests.announce(token: token, resolved, family: family) }
    }

    /// Withdraws the address with local id `id` (RM_ADDR), closing its subflows.
    public func remove(token: UInt32, id: UInt8) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try UserspaceRequests.remove(token: token, id: id, family: family) }
    }

    /// Opens a subflow from `local` (address, id, interface, backup) to `remote`.
    public func createSubflow(token: UInt32, local: EndpointSpec, remote: SocketAddress) throws(PathManagerError) {
        let resolved = try resolve(local)
        _ = try transact { () throws(NetlinkError) in
            try UserspaceRequests.createSubflow(token: token, local: resolved, remote: remote, family: family)
        }
    }

    /// Closes the subflow from `local` to `remote` (both with their ports).
    public func destroySubflow(token: UInt32, local: SocketAddress, remote: SocketAddress) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in
            try UserspaceRequests.destroySubflow(token: token, local: local, remote: remote, family: family)
        }
    }

    /// Sets the backup priority of the subflow from `local` to `remote` (MP_PRIO).
    public func setBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in
            try UserspaceRequests.setBackup(token: token, local: local, remote: remote, backup: backup, family: family)
        }
    }

    /// The local addresses the userspace PM holds for connection `token`; a kernel that
    /// cannot list them (before Linux 6.9) is refused rather than asked, as it would
    /// answer with the in-kernel endpoints.
    public func addresses(token: UInt32) throws(PathManagerError) -> [Endpoint] {
        if KernelFeatures.listsUserspaceAddresses == false { throw .noUserspaceAddressList }
        return try listed(token: token)
    }

    /// GET_ADDR dumped with `token`, whatever the kernel makes of the token.
    func listed(token: UInt32) throws(PathManagerError) -> [Endpoint] {
        try transact { () throws(NetlinkError) in try UserspaceRequests.addresses(token: token, family: family) }
            .compactMap(Endpoint.init(message:))
    }

    public func interfaceName(index: Int32) -> String? { interfaces.name(of: index) }
}
