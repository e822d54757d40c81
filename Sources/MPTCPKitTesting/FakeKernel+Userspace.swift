import MPTCPKit

/// The userspace path manager of the fake kernel, with Linux 6.18's rules and words
/// (net/mptcp/pm_userspace.c): a token no connection has is refused first; an
/// announcement needs an id other than 0; a subflow is destroyed by both its ports.
/// Every request is recorded in `requests`.
extension FakeKernel: UserspaceBackend {
    private func connection(_ token: UInt32) throws(PathManagerError) -> [Endpoint] {
        guard let addresses = userspaceConnections[token] else { throw Self.refused(.invalidArgument, "invalid token") }
        return addresses
    }

    public func announce(token: UInt32, _ spec: EndpointSpec) throws(PathManagerError) {
        requests.append("announce \(token) \(spec.id ?? 0)")
        var addresses = try connection(token)
        guard let id = spec.id, id != 0 else { throw Self.refused(.invalidArgument, "invalid addr id") }
        addresses.removeAll { $0.id == id }
        addresses.append(Endpoint(id: id, address: spec.address, port: spec.port ?? 0, flags: spec.flags.union(.signal),
                                  interfaceIndex: spec.interfaceIndex ?? 0))
        userspaceConnections[token] = addresses
    }

    public func remove(token: UInt32, id: UInt8) throws(PathManagerError) {
        requests.append("remove \(token) \(id)")
        userspaceConnections[token] = try connection(token).filter { $0.id != id }
    }

    public func createSubflow(token: UInt32, local: EndpointSpec, remote: SocketAddress) throws(PathManagerError) {
        requests.append("create \(token) \(local.address) \(local.interfaceIndex ?? 0) \(remote.address)")
        _ = try connection(token)
    }

    public func destroySubflow(token: UInt32, local: SocketAddress, remote: SocketAddress) throws(PathManagerError) {
        requests.append("destroy \(token) \(local.address) \(remote.address)")
        _ = try connection(token)
        if local.port ?? 0 == 0 { throw Self.refused(.invalidArgument, "missing local port") }
        if remote.port ?? 0 == 0 { throw Self.refused(.invalidArgument, "missing remote port") }
    }

    public func setBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool) throws(PathManagerError) {
        requests.append("backup \(token) \(local.address) \(remote.address) \(backup)")
        _ = try connection(token)
    }

    /// A token no connection has lists nothing, as the kernel answers it.
    public func addresses(token: UInt32) throws(PathManagerError) -> [Endpoint] {
        userspaceConnections[token] ?? []
    }

    public var listsAddresses: KernelFeatures.Answer<Bool> { listsUserspaceAddresses }

    /// A userspace path manager over this fake kernel.
    public var userspaceManager: UserspacePathManager { UserspacePathManager(backend: self) }
}
