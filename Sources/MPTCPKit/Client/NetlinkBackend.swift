import Netlink

/// `PathManagerBackend` over a generic netlink socket and an interface socket, both
/// created inside the backend's namespace: create it inside `NetworkNamespace.within`,
/// then use it from one thread at a time; it keeps answering for that namespace.
public final class NetlinkBackend: PathManagerBackend {
    private let socket: PathManagerSocket
    private var family: Int32 { socket.family }
    /// nil when made without: then no interface is known by name or index.
    private let interfaces: Interfaces?
    /// The namespace by name (nil: the one the backend was made in), entered again for
    /// its sysctls: procfs answers for the namespace of the thread that opens a file.
    private let namespace: String?

    /// Must run inside the namespace it is for (see `NetworkNamespace.within`).
    /// `family` is the `mptcp_pm` family id when already known: generic netlink ids
    /// are global, so a program that visits many namespaces resolves it once.
    /// `interfaces: false` saves the interface socket when no name will be asked for.
    /// `namespace` names it for its sysctls (nil: the process's own namespace).
    public init(family: Int32? = nil, interfaces: Bool = true, namespace: String? = nil) throws(PathManagerError) {
        self.namespace = namespace
        socket = try PathManagerSocket(family: family)
        self.interfaces = interfaces ? try Interfaces() : nil
    }

    /// The `mptcp_pm` family id, resolved in the current namespace (valid in all).
    public static func resolveFamily() throws(PathManagerError) -> Int32 { try PathManagerSocket().family }

    private func transact(_ build: () throws(NetlinkError) -> MessageBuilder) throws(PathManagerError) -> [GenericMessage] {
        try socket.transact(build)
    }

    public func dumpEndpoints() throws(PathManagerError) -> [Endpoint] {
        try Self.endpoints(in: try transact { () throws(NetlinkError) in try Requests.dump(family: family) })
    }

    /// The endpoints of a dump's replies, every one of them: the first malformed
    /// attribute fails the dump, as a namespace read in part would be acted on in part.
    static func endpoints(in replies: [GenericMessage]) throws(PathManagerError) -> [Endpoint] {
        try PathManagerError.decoding { () throws(MalformedAttribute) in try replies.map(Endpoint.init(message:)) }
    }

    public func getEndpoint(id: UInt8) throws(PathManagerError) -> Endpoint {
        let replies = try transact { () throws(NetlinkError) in try Requests.get(id: id, family: family) }
        guard let reply = replies.first else { throw .malformedReply(MalformedAttribute("MPTCP_PM_ATTR_ADDR", .missing)) }
        return try PathManagerError.decoding { () throws(MalformedAttribute) in try Endpoint(message: reply) }
    }

    public func addEndpoint(_ spec: EndpointSpec) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try Requests.add(spec, family: family) }
    }

    public func deleteEndpoint(id: UInt8, address: IPAddress?) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try Requests.delete(id: id, address: address, family: family) }
    }

    public func setFlags(id: UInt8, _ flags: EndpointFlags) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try Requests.setFlags(id: id, flags, family: family) }
    }

    public func flushEndpoints() throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try Requests.flush(family: family) }
    }

    public func getLimits() throws(PathManagerError) -> Limits {
        let replies = try transact { () throws(NetlinkError) in try Requests.getLimits(family: family) }
        guard let reply = replies.first else { throw .malformedReply(MalformedAttribute("MPTCP_PM_ATTR_SUBFLOWS", .missing)) }
        return try PathManagerError.decoding { () throws(MalformedAttribute) in try Limits(message: reply) }
    }

    public func setLimits(_ change: LimitsChange) throws(PathManagerError) {
        _ = try transact { () throws(NetlinkError) in try Requests.setLimits(change, family: family) }
    }

    public func sysctls() throws(PathManagerError) -> [SysctlSetting] {
        try NetworkNamespace.within(namespace) { () throws(PathManagerError) in Sysctl.mptcpSettings() }
    }

    public func defaultSysctls() -> [String: String]? {
        guard let settings = try? NetworkNamespace.withinNew({ () throws(PathManagerError) in Sysctl.mptcpSettings() }) else { return nil }
        return Dictionary(settings.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public func setSysctl(_ key: String, to value: String) throws(PathManagerError) {
        try NetworkNamespace.within(namespace) { () throws(PathManagerError) in try Sysctl.writeMPTCP(key, value) }
    }

    public func interfaceIndex(named name: String) -> Int32? { interfaces?.index(of: name) }

    public func interfaceName(index: Int32) -> String? { interfaces?.name(of: index) }
}
