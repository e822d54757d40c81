/// The requests `UserspacePathManager` sends, one method each, with no logic of its own:
/// the kernel over netlink (`UserspaceNetlinkBackend`), or the fake kernel in tests
/// (MPTCPKitTesting). Devices are resolved above this seam, once, for both.
///
/// A backend belongs to one network namespace and is used from one thread at a time.
public protocol UserspaceBackend: AnyObject {
    /// MPTCP_PM_CMD_ANNOUNCE; the spec's device is already resolved into its index.
    func announce(token: UInt32, _ spec: EndpointSpec) throws(PathManagerError)
    /// MPTCP_PM_CMD_REMOVE of local id `id`.
    func remove(token: UInt32, id: UInt8) throws(PathManagerError)
    /// MPTCP_PM_CMD_SUBFLOW_CREATE; the local spec's device is already resolved.
    func createSubflow(token: UInt32, local: EndpointSpec, remote: SocketAddress) throws(PathManagerError)
    /// MPTCP_PM_CMD_SUBFLOW_DESTROY.
    func destroySubflow(token: UInt32, local: SocketAddress, remote: SocketAddress) throws(PathManagerError)
    /// MPTCP_PM_CMD_SET_FLAGS of one subflow (MP_PRIO).
    func setBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool) throws(PathManagerError)
    /// GET_ADDR dumped with `token`, whatever the kernel makes of the token.
    func addresses(token: UInt32) throws(PathManagerError) -> [Endpoint]
    /// Whether the kernel lists a connection's addresses by token (Linux 6.9), or why it
    /// could not be asked.
    var listsAddresses: KernelFeatures.Answer<Bool> { get }
    /// The namespace's interface of that name, nil when there is none.
    func interfaceIndex(named name: String) -> Int32?
    func interfaceName(index: Int32) -> String?
}
