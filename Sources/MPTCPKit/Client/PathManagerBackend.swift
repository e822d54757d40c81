/// The requests `PathManager` sends, one method each, with no logic of its own: the
/// kernel over netlink (`NetlinkBackend`), or a fake kernel in tests and fuzzers
/// (MPTCPKitTesting). Everything above this seam is the same code in both.
///
/// A backend belongs to one network namespace and is used from one thread at a time.
public protocol PathManagerBackend: AnyObject {
    /// GET_ADDR as a dump: every endpoint, by id.
    func dumpEndpoints() throws(PathManagerError) -> [Endpoint]
    /// GET_ADDR of one id.
    func getEndpoint(id: UInt8) throws(PathManagerError) -> Endpoint
    /// ADD_ADDR; the spec's device is already resolved into its interface index.
    func addEndpoint(_ spec: EndpointSpec) throws(PathManagerError)
    /// DEL_ADDR by id (with id 0, of `address` from the connections' initial subflows).
    func deleteEndpoint(id: UInt8, address: IPAddress?) throws(PathManagerError)
    /// SET_FLAGS: backup and fullmesh as in `flags`.
    func setFlags(id: UInt8, _ flags: EndpointFlags) throws(PathManagerError)
    /// FLUSH_ADDRS.
    func flushEndpoints() throws(PathManagerError)
    func getLimits() throws(PathManagerError) -> Limits
    func setLimits(_ change: LimitsChange) throws(PathManagerError)
    /// The namespace's `net.mptcp.*` sysctls.
    func sysctls() throws(PathManagerError) -> [SysctlSetting]
    /// The `net.mptcp.*` values a new namespace gets from the running kernel; nil when
    /// no new namespace can be made (that needs CAP_SYS_ADMIN).
    func defaultSysctls() -> [String: String]?
    /// Sets `net.mptcp.KEY` of the namespace.
    func setSysctl(_ key: String, to value: String) throws(PathManagerError)
    /// The namespace's interface of that name, nil when there is none.
    func interfaceIndex(named name: String) -> Int32?
    func interfaceName(index: Int32) -> String?
}
