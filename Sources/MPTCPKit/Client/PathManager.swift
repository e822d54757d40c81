import Glibc

/// The in-kernel path manager of one network namespace: its endpoints and limits.
///
/// What a program embeds: every operation returns values or throws a
/// `PathManagerError`; nothing is printed. The requests go through a backend, the
/// kernel's (`open(netns:)`) or a fake one, so the rules here (the address-flag
/// read-back, finding an endpoint by address) are written once for both.
///
/// Thread and namespace rules: `open` creates its sockets inside the namespace and
/// returns; the instance then works from any one thread at a time, and always in the
/// namespace it was opened for.
public final class PathManager {
    public let backend: PathManagerBackend
    /// `net.mptcp.enabled` of the namespace; nil when it could not be read.
    public let mptcpEnabled: Bool?

    public init(backend: PathManagerBackend, mptcpEnabled: Bool? = true) {
        self.backend = backend
        self.mptcpEnabled = mptcpEnabled
    }

    /// Opens the path manager of namespace `netns` (the current one when nil).
    public static func open(netns: String?) throws(PathManagerError) -> PathManager {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            PathManager(backend: try NetlinkBackend(namespace: netns), mptcpEnabled: Sysctl.mptcpEnabled())
        }
    }

    public func endpoints() throws(PathManagerError) -> [Endpoint] { try backend.dumpEndpoints() }

    public func endpoint(id: UInt8) throws(PathManagerError) -> Endpoint {
        try naming(id) { () throws(PathManagerError) in try backend.getEndpoint(id: id) }
    }

    /// The kernel answers an unknown id with EINVAL "address not found"; as a value it
    /// is the same failure as an unknown address, so both read alike. Id 0 names no
    /// endpoint (it is the initial subflow's): the kernel's answer stays its own.
    private func naming<T>(_ id: UInt8, _ body: () throws(PathManagerError) -> T) throws(PathManagerError) -> T {
        do { return try body() } catch {
            if id != 0, case let .kernel(code, extack) = error, code == .invalidArgument, extack == "address not found" {
                throw .noSuchID(id)
            }
            throw error
        }
    }

    /// The one endpoint with this address (and port, when given). An address matches as
    /// the kernel matches it (10.0.3.2 finds ::ffff:10.0.3.2), the same form first.
    public func find(address: IPAddress, port: UInt16?) throws(PathManagerError) -> Endpoint {
        let candidates = try endpoints().filter { $0.address.isKernelEqual(to: address) && (port == nil || $0.port == port) }
        let exact = candidates.filter { $0.address == address }
        let matches = exact.isEmpty ? candidates : exact
        guard let first = matches.first else { throw .noSuchEndpoint(address, port: port) }
        guard matches.count == 1 else { throw .ambiguousAddress(address, port: port, ids: matches.map(\.id)) }
        return first
    }

    /// The interface index for `spec.device`, resolved in this namespace.
    public func resolve(_ spec: EndpointSpec) throws(PathManagerError) -> EndpointSpec {
        try spec.resolved(backend.interfaceIndex(named:))
    }

    /// Adds an endpoint. Kernels before 6.18 drop flag bits they do not know: an
    /// endpoint asked for with the address flag is read back, and if the flag is gone,
    /// taken away again (`addressFlagDropped`), so nothing changes.
    public func add(_ spec: EndpointSpec) throws(PathManagerError) {
        let resolved = try resolve(spec)
        try backend.addEndpoint(resolved)
        guard let dropped = try droppedAddressFlag(added: [resolved]) else { return }
        guard let created = dropped.endpoint else { throw .notListed(resolved.address) }
        try backend.deleteEndpoint(id: created.id, address: nil)
        throw .addressFlagDropped(resolved.address)
    }

    /// The address-flag read-back: kernels before 6.18 drop flag bits they do not know.
    /// Of `added`, endpoints just added, the first asked for with the address flag that
    /// the kernel lists without it, and what it lists for it (by id, else by address and
    /// port; nil: nothing); nil when every one kept the flag. One dump, none without such
    /// an endpoint.
    public func droppedAddressFlag(added: [EndpointSpec]) throws(PathManagerError) -> (spec: EndpointSpec, endpoint: Endpoint?)? {
        let asked = added.filter { $0.flags.contains(.address) }
        guard !asked.isEmpty else { return nil }
        let now = try endpoints()
        for spec in asked {
            let listed = now.first { endpoint in
                spec.id.map { endpoint.id == $0 } ?? (endpoint.address == spec.address && endpoint.port == spec.port ?? 0)
            }
            if listed?.flags.contains(.address) != true { return (spec, listed) }
        }
        return nil
    }

    public func delete(id: UInt8) throws(PathManagerError) {
        try naming(id) { () throws(PathManagerError) in try backend.deleteEndpoint(id: id, address: nil) }
    }

    /// Deletes endpoint `id` only if it has `address`.
    public func delete(id: UInt8, ifAddressIs address: IPAddress) throws(PathManagerError) {
        let current = try endpoint(id: id)
        guard current.address == address else { throw .addressMismatch(id: id, has: current.address, asked: address) }
        try delete(id: id)
    }

    /// Removes `address` from the connections' initial subflows (DEL_ADDR with id 0).
    public func removeFromInitialSubflows(_ address: IPAddress) throws(PathManagerError) {
        try backend.deleteEndpoint(id: 0, address: address)
    }

    /// Sets and clears backup and fullmesh; the flags not named keep their value (the
    /// kernel would clear one left out of the request).
    public func change(_ endpoint: Endpoint, set: EndpointFlags, clear: EndpointFlags) throws(PathManagerError) {
        let wanted = endpoint.flags.union(set).subtracting(clear)
        try naming(endpoint.id) { () throws(PathManagerError) in
            try backend.setFlags(id: endpoint.id, wanted.intersection(EndpointFlags.changeable))
        }
    }

    /// Sets backup and fullmesh exactly as in `flags`.
    public func setFlags(id: UInt8, _ flags: EndpointFlags) throws(PathManagerError) {
        try naming(id) { () throws(PathManagerError) in try backend.setFlags(id: id, flags.intersection(EndpointFlags.changeable)) }
    }

    public func flush() throws(PathManagerError) { try backend.flushEndpoints() }

    public func limits() throws(PathManagerError) -> Limits { try backend.getLimits() }

    public func setLimits(_ change: LimitsChange) throws(PathManagerError) { try backend.setLimits(change) }

    public func sysctls() throws(PathManagerError) -> [SysctlSetting] { try backend.sysctls() }

    /// The `net.mptcp.*` values of a new namespace on this kernel; nil when none can be made.
    public func defaultSysctls() -> [String: String]? { backend.defaultSysctls() }

    public func setSysctl(_ key: String, to value: String) throws(PathManagerError) { try backend.setSysctl(key, to: value) }

    public func interfaceName(index: Int32) -> String? { backend.interfaceName(index: index) }

    public func interfaceIndex(named name: String) -> Int32? { backend.interfaceIndex(named: name) }
}
