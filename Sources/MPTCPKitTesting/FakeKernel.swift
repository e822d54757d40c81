import Glibc
import MPTCPKit
import Netlink

/// Stands in for the kernel's path manager, with the rules and the error texts of
/// Linux 6.18 (see MPTCP-FACTS): at most 8 endpoints, one per address and port, one per
/// id; only backup and fullmesh change in place; limits up to 8. It also shows what
/// the real kernel cannot: `knownFlags` set to 0x1f is a kernel before 6.18 that
/// drops the address flag. Every request that would change something is recorded.
public final class FakeKernel: PathManagerBackend {
    public var table: [Endpoint] = []
    public var limits = Limits(subflows: 2, addAddrAccepted: 0)
    /// Flag bits this kernel keeps; a kernel before 6.18 with the stable fix keeps 0x1f.
    public var knownFlags: UInt32 = 0x3f
    /// "add", "delete ID", "set ID FLAGS", "flush", "limits", and the userspace ones
    /// ("announce TOKEN ID", …), in order.
    public internal(set) var requests: [String] = []
    /// The namespace's `net.mptcp.*` sysctls (a new namespace's), and the read-only one.
    public var sysctlValues = FakeKernel.newNamespaceSysctls
    public var readOnlySysctls = ["available_path_managers": "kernel userspace", "available_schedulers": "default"]
    /// Interfaces of the namespace, by index.
    public var interfaces: [Int32: String] = [3: "eth1"]

    /// Addresses configured in the namespace, with the interface holding each.
    public var addresses: [IPAddress: String] = [:]
    /// What a diagnosis finds of each interface, by name (nil: up, routed both ways, no
    /// reverse-path filter).
    public var interfaceStatus: [String: InterfaceStatus] = [:]
    /// The kernel's own counters (MPTCP_INFO); nil: they agree with the table.
    public var counters: KernelCounters?
    /// The userspace path manager's connections, by token, with the addresses announced
    /// on each (FakeKernel+Userspace.swift).
    public var userspaceConnections: [UInt32: [Endpoint]] = [:]
    /// Whether this kernel lists a connection's addresses by token (6.9), or why it could
    /// not be asked.
    public var listsUserspaceAddresses: KernelFeatures.Answer<Bool> = .success(true)
    /// A kernel whose endpoint dumps do not read as the uapi says (one that mptcpctl
    /// does not know, or a bug): every dump fails with this, as `NetlinkBackend`'s does.
    public var malformedDump: MalformedAttribute?

    public init(table: [Endpoint] = [], limits: Limits = Limits(subflows: 2, addAddrAccepted: 0)) {
        self.table = table
        self.limits = limits
    }

    static func refused(_ code: Errno, _ extack: String) -> PathManagerError {
        .kernel(code, extack: extack)
    }

    public func dumpEndpoints() throws(PathManagerError) -> [Endpoint] {
        if let malformedDump { throw .malformedReply(malformedDump) }
        return table
    }

    public func getEndpoint(id: UInt8) throws(PathManagerError) -> Endpoint {
        guard let found = table.first(where: { $0.id == id }) else { throw Self.refused(.invalidArgument, "address not found") }
        return found
    }

    public func addEndpoint(_ spec: EndpointSpec) throws(PathManagerError) {
        requests.append("add")
        if spec.flags.contains(.implicit) { throw Self.refused(.invalidArgument, "can't create IMPLICIT endpoint") }
        if spec.flags.contains(.signal), spec.flags.contains(.fullmesh) {
            throw Self.refused(.invalidArgument, "flags mustn't have both signal and fullmesh")
        }
        if spec.port != nil, !spec.flags.contains(.signal) || spec.flags.contains(.subflow) {
            throw Self.refused(.invalidArgument, "flags must have signal and not subflow when using port")
        }
        if table.contains(where: { $0.address.isKernelEqual(to: spec.address) && $0.port == spec.port ?? 0 }) {
            throw Self.refused(.fileExists, "too many addresses or duplicate one: -17")
        }
        if let id = spec.id, id != 0, table.contains(where: { $0.id == id }) {
            throw Self.refused(.resourceBusy, "too many addresses or duplicate one: -16")
        }
        guard table.count < PathManagerFamily.maxEndpoints,
              let id = spec.id.flatMap({ $0 == 0 ? nil : $0 }) ?? (1...255).first(where: { id in !table.contains { $0.id == id } })
        else { throw Self.refused(.outOfRange, "too many addresses or duplicate one: -34") }
        table.append(Endpoint(id: id, address: spec.address, port: spec.port ?? 0,
                              flags: EndpointFlags(rawValue: spec.flags.rawValue & knownFlags),
                              interfaceIndex: spec.interfaceIndex ?? 0))
        // The kernel dumps by id.
        table.sort { $0.id < $1.id }
    }

    public func deleteEndpoint(id: UInt8, address: IPAddress?) throws(PathManagerError) {
        requests.append("delete \(id)")
        // id 0 with an address succeeds and deletes no endpoint.
        if id == 0 { return }
        guard table.contains(where: { $0.id == id }) else { throw Self.refused(.invalidArgument, "address not found") }
        table.removeAll { $0.id == id }
    }

    public func setFlags(id: UInt8, _ flags: EndpointFlags) throws(PathManagerError) {
        requests.append("set \(id) \(flags.rawValue)")
        if id == 0 { throw Self.refused(.notSupportedOnSocket, "missing address ID") }
        guard let index = table.firstIndex(where: { $0.id == id }) else { throw Self.refused(.invalidArgument, "address not found") }
        let mask = EndpointFlags.changeable
        if flags.contains(.fullmesh), !table[index].flags.isDisjoint(with: [.signal, .implicit]) {
            throw Self.refused(.invalidArgument, "invalid addr flags")
        }
        table[index].flags = table[index].flags.subtracting(mask).union(flags.intersection(mask))
    }

    public func flushEndpoints() throws(PathManagerError) {
        requests.append("flush")
        table = []
    }

    public func getLimits() throws(PathManagerError) -> Limits { limits }

    public func setLimits(_ change: LimitsChange) throws(PathManagerError) {
        requests.append("limits")
        for value in [change.subflows, change.addAddrAccepted].compactMap({ $0 }) where value > PathManagerFamily.maxLimit {
            throw Self.refused(.invalidArgument, "limit greater than maximum (\(PathManagerFamily.maxLimit))")
        }
        limits = limits.applying(change)
    }

    public func sysctls() throws(PathManagerError) -> [SysctlSetting] {
        (sysctlValues.map { SysctlSetting(key: $0.key, value: $0.value) }
            + readOnlySysctls.map { SysctlSetting(key: $0.key, value: $0.value, writable: false) }).sorted { $0.key < $1.key }
    }

    public func defaultSysctls() -> [String: String]? { Self.newNamespaceSysctls }

    /// The writable values of a new namespace on Linux 6.18, the kernel this fake imitates.
    public static let newNamespaceSysctls: [String: String] = [
        "enabled": "1", "add_addr_timeout": "120", "allow_join_initial_addr_port": "1", "blackhole_timeout": "3600",
        "checksum_enabled": "0", "close_timeout": "60", "path_manager": "kernel", "pm_type": "0", "scheduler": "default",
        "stale_loss_cnt": "4", "syn_retrans_before_tcp_fallback": "2",
    ]

    public func setSysctl(_ key: String, to value: String) throws(PathManagerError) {
        requests.append("sysctl \(key) \(value)")
        guard sysctlValues[key] != nil else { throw .kernel(.noSuchFileOrDirectory, extack: nil) }
        // As the kernel: the two names of the path manager move together.
        switch key {
        case "pm_type":
            guard value == "0" || value == "1" else { throw .kernel(.invalidArgument, extack: nil) }
            sysctlValues["path_manager"] = value == "1" ? "userspace" : "kernel"
        case "path_manager":
            guard value == "kernel" || value == "userspace" else { throw .kernel(.noSuchFileOrDirectory, extack: nil) }
            sysctlValues["pm_type"] = value == "userspace" ? "1" : "0"
        default: break
        }
        sysctlValues[key] = value
    }

    public func interfaceIndex(named name: String) -> Int32? {
        interfaces.first { $0.value == name }?.key
    }

    public func interfaceName(index: Int32) -> String? { interfaces[index] }

    /// The namespace as `NamespaceSnapshot.read` finds it on a kernel like this one; with
    /// `interfaces`, what a diagnosis reads of the interfaces too.
    public func snapshot(netns: String?, interfaces withInterfaces: Bool = false) -> NamespaceSnapshot {
        let counts = EndpointCounts(table)
        var snapshot = NamespaceSnapshot(
            netns: netns, endpoints: table, limits: limits,
            kernel: counters ?? KernelCounters(endpSignalMax: counts.signal, endpSubflowMax: counts.subflow,
                                               endpAddressMax: counts.address, limitSubflows: Int(limits.subflows),
                                               limitAddAddrAccepted: Int(limits.addAddrAccepted)),
            mptcpEnabled: sysctlValues["enabled"] == "1",
            pathManager: sysctlValues["path_manager"] == "userspace" ? .userspace : .kernel)
        guard withInterfaces else { return snapshot }
        for endpoint in table where endpoint.interfaceIndex != 0 {
            snapshot.interfaceNames[endpoint.interfaceIndex] = interfaces[endpoint.interfaceIndex]
        }
        snapshot.addressOwners = addresses
        snapshot.localAddresses = Set(addresses.keys)
        // As the kernel's: the endpoints' interfaces, and every one holding an address.
        for name in table.compactMap({ snapshot.interface(of: $0) }) + addresses.values {
            snapshot.interfaceStatus[name] = interfaceStatus[name]
                ?? InterfaceStatus(name: name, isUp: true, hasIPv4Route: true, hasIPv6Route: true, reversePathFilter: 0)
        }
        return snapshot
    }

    /// A path manager over this fake kernel.
    public var manager: PathManager { PathManager(backend: self) }
}
