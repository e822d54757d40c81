import Glibc
import Netlink

/// Everything mptcpctl reads from one namespace in a single visit: the endpoints,
/// the limits, the kernel's own counters and the sysctls that decide whether
/// in-kernel endpoints do anything.
public struct NamespaceSnapshot: Sendable {
    /// nil for the namespace mptcpctl runs in.
    public var netns: String?
    public var endpoints: [Endpoint]
    public var limits: Limits
    public var kernel: KernelCounters
    /// `net.mptcp.enabled`; nil when unreadable.
    public var mptcpEnabled: Bool?
    /// "kernel" or "userspace" (`net.mptcp.path_manager`, or `pm_type` before 6.15).
    public var pathManager: String?
    /// Interface names by index, for the endpoints bound to one (only with interfaces).
    public var interfaceNames: [Int32: String] = [:]
    /// Addresses configured in the namespace (only with interfaces).
    public var localAddresses: Set<IPAddress> = []

    public var counts: EndpointCounts { EndpointCounts(endpoints) }

    public init(netns: String?, endpoints: [Endpoint], limits: Limits, kernel: KernelCounters,
                mptcpEnabled: Bool? = true, pathManager: String? = "kernel") {
        self.netns = netns
        self.endpoints = endpoints
        self.limits = limits
        self.kernel = kernel
        self.mptcpEnabled = mptcpEnabled
        self.pathManager = pathManager
    }

    /// Enters `netns` (nil: stays), reads, and returns to where the thread was.
    /// `interfaces` adds the addresses and interface names `doctor` needs.
    public static func read(netns: String?, interfaces: Bool = false) throws(MPTCPError) -> NamespaceSnapshot {
        try NetworkNamespace.within(netns) { () throws(MPTCPError) in
            let manager = try PathManager.open(netns: nil)
            return try MPTCPError.reporting("reading namespace \(netns ?? "(current)")") {
                let pathManager = Sysctl.read("net/mptcp/path_manager")
                    ?? Sysctl.read("net/mptcp/pm_type").map { $0 == "1" ? "userspace" : "kernel" }
                var snapshot = NamespaceSnapshot(
                    netns: netns, endpoints: try manager.endpoints(), limits: try manager.limits(),
                    // The kernel fills these only for its own path manager.
                    kernel: pathManager == "userspace" ? .unavailable : KernelCounters.read(),
                    mptcpEnabled: manager.mptcpEnabled, pathManager: pathManager)
                if interfaces {
                    for index in Set(snapshot.endpoints.map(\.interfaceIndex)) where index != 0 {
                        if let name = manager.interfaceName(index: index) { snapshot.interfaceNames[index] = name }
                    }
                    snapshot.localAddresses = try Interfaces().addresses()
                }
                return snapshot
            }
        }
    }

    /// The named namespaces (/run/netns), sorted; empty when there are none.
    public static func namedNamespaces() -> [String] {
        guard let directory = opendir(NetworkNamespace.directory) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// One counter seen both in the dump and by the kernel, when they differ.
    public struct Mismatch: Sendable, Equatable {
        public var name: String
        public var dump: Int
        public var kernel: Int
    }

    /// Where the dump and MPTCP_INFO disagree (fields the kernel reports only).
    public var mismatches: [Mismatch] {
        let c = counts
        let pairs: [(String, Int, Int?)] = [
            ("signal", c.signal, kernel.endpSignalMax),
            ("subflow", c.subflow, kernel.endpSubflowMax),
            ("address", c.address, kernel.endpAddressMax),
            ("subflows", Int(limits.subflows), kernel.limitSubflows),
            ("add_addr_accepted", Int(limits.addAddrAccepted), kernel.limitAddAddrAccepted),
        ]
        return pairs.compactMap { name, dump, kernel in
            guard let kernel, kernel != dump else { return nil }
            return Mismatch(name: name, dump: dump, kernel: kernel)
        }
    }
}
