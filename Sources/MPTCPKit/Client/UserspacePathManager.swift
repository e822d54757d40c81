/// The userspace path manager of one network namespace (`net.mptcp.pm_type` 1, or
/// `path_manager` "userspace"): announcements and subflows of one connection at a time,
/// named by its token, as a daemon such as mptcpd drives them.
///
/// The requests go through a backend, the kernel's (`open(netns:)`) or a fake one, so
/// what is decided here (devices resolved in the namespace, a kernel that cannot list
/// addresses refused rather than asked) is the same code for both.
///
/// Thread and namespace rules: `open` creates its sockets inside the namespace and
/// returns; the instance then works from any one thread at a time, in that namespace.
public final class UserspacePathManager {
    public let backend: UserspaceBackend

    public init(backend: UserspaceBackend) {
        self.backend = backend
    }

    /// Opens it in namespace `netns` (the current one when nil), on a kernel with `features`.
    public static func open(netns: String?, features: KernelFeatures = .running) throws(PathManagerError) -> UserspacePathManager {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            UserspacePathManager(backend: try UserspaceNetlinkBackend(features: features))
        }
    }

    /// `spec` with its device resolved into the namespace's interface index.
    private func resolve(_ spec: EndpointSpec) throws(PathManagerError) -> EndpointSpec {
        try spec.resolved(backend.interfaceIndex(named:))
    }

    /// Announces `spec` (address, id, optional port and interface) to the peer.
    public func announce(token: UInt32, _ spec: EndpointSpec) throws(PathManagerError) {
        try backend.announce(token: token, try resolve(spec))
    }

    /// Withdraws the address with local id `id` (RM_ADDR), closing its subflows.
    public func remove(token: UInt32, id: UInt8) throws(PathManagerError) {
        try backend.remove(token: token, id: id)
    }

    /// Opens a subflow from `local` (address, id, interface, backup) to `remote`.
    public func createSubflow(token: UInt32, local: EndpointSpec, remote: SocketAddress) throws(PathManagerError) {
        try backend.createSubflow(token: token, local: try resolve(local), remote: remote)
    }

    /// Closes the subflow from `local` to `remote` (both with their ports).
    public func destroySubflow(token: UInt32, local: SocketAddress, remote: SocketAddress) throws(PathManagerError) {
        try backend.destroySubflow(token: token, local: local, remote: remote)
    }

    /// Sets the backup priority of the subflow from `local` to `remote` (MP_PRIO).
    public func setBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool) throws(PathManagerError) {
        try backend.setBackup(token: token, local: local, remote: remote, backup: backup)
    }

    /// The local addresses the userspace PM holds for connection `token`; a kernel that
    /// cannot list them (before Linux 6.9) is refused rather than asked, as it would
    /// answer with the in-kernel endpoints. A kernel that could not be asked whether it
    /// can is asked for the addresses all the same.
    public func addresses(token: UInt32) throws(PathManagerError) -> [Endpoint] {
        if case .success(false) = backend.listsAddresses { throw .noUserspaceAddressList }
        return try backend.addresses(token: token)
    }

    public func interfaceName(index: Int32) -> String? { backend.interfaceName(index: index) }
}
