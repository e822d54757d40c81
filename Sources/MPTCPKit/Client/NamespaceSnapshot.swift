import Glibc

/// Everything read from one namespace in a single visit: the endpoints, the limits,
/// the kernel's own counters and the sysctls that decide whether in-kernel endpoints
/// do anything. A value: `read` enters the namespace on the calling thread, reads, and
/// returns to where the thread was.
public struct NamespaceSnapshot: Sendable {
    /// nil for the namespace the program runs in.
    public var netns: String?
    public var endpoints: [Endpoint]
    public var limits: Limits
    public var kernel: KernelCounters
    /// `net.mptcp.enabled`; nil when unreadable.
    public var mptcpEnabled: Bool?
    /// nil when unreadable.
    public var pathManager: PathManagerKind?
    /// Whether the kernel has `net.mptcp.path_manager` (Linux 6.15); `pm_type` before.
    public var hasPathManagerSysctl = true
    /// Interface names by index, for the endpoints bound to one (only with interfaces).
    public var interfaceNames: [Int32: String] = [:]
    /// Addresses configured in the namespace (only with interfaces).
    public var localAddresses: Set<IPAddress> = []
    /// The interface holding each configured address (only with interfaces).
    public var addressOwners: [IPAddress: String] = [:]
    /// The interfaces the endpoints use, by name: their own `dev`, else the one holding
    /// their address; and every interface holding an address (only with interfaces).
    public var interfaceStatus: [String: InterfaceStatus] = [:]
    /// NetworkManager or mptcpd running in the namespace (only with interfaces).
    public var otherManagers: [OtherManager] = []
    /// The MPTCP connections, when the caller read them (`ConnectionReader`).
    public var connections: [Connection]?

    public var counts: EndpointCounts { EndpointCounts(endpoints) }

    public init(netns: String?, endpoints: [Endpoint], limits: Limits, kernel: KernelCounters,
                mptcpEnabled: Bool? = true, pathManager: PathManagerKind? = .kernel) {
        self.netns = netns
        self.endpoints = endpoints
        self.limits = limits
        self.kernel = kernel
        self.mptcpEnabled = mptcpEnabled
        self.pathManager = pathManager
    }

    /// Enters `netns` (nil: stays), reads, and returns to where the thread was.
    /// `interfaces` adds the addresses and interface names a diagnosis needs; `family`
    /// spares a visit of many namespaces what is the same in all of them; `features`
    /// are the kernel's (`KernelCounters.read`).
    public static func read(netns: String?, interfaces: Bool = false, family: Int32? = nil,
                            features: KernelFeatures = .running) throws(PathManagerError) -> NamespaceSnapshot {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            let manager = PathManager(backend: try NetlinkBackend(family: family, interfaces: interfaces),
                                      mptcpEnabled: Sysctl.mptcpEnabled())
            let pathManager = Sysctl.pathManager()
            let endpoints = try manager.endpoints()
            var snapshot = NamespaceSnapshot(
                netns: netns, endpoints: endpoints, limits: try manager.limits(),
                // The kernel fills these only for its own path manager.
                kernel: pathManager == .userspace ? .unavailable : KernelCounters.read(endpoints: endpoints, features: features),
                mptcpEnabled: manager.mptcpEnabled, pathManager: pathManager)
            snapshot.hasPathManagerSysctl = Sysctl.read("net/mptcp/path_manager") != nil
            if interfaces {
                for index in Set(snapshot.endpoints.map(\.interfaceIndex)) where index != 0 {
                    if let name = manager.interfaceName(index: index) { snapshot.interfaceNames[index] = name }
                }
                let interfaces = try Interfaces()
                snapshot.addressOwners = interfaces.addressOwners()
                snapshot.localAddresses = Set(snapshot.addressOwners.keys)
                for endpoint in snapshot.endpoints {
                    guard let name = snapshot.interface(of: endpoint), snapshot.interfaceStatus[name] == nil else { continue }
                    snapshot.interfaceStatus[name] = InterfaceStatus.read(name, interfaces: interfaces)
                }
                // Every interface a subflow can leave by (one holding an address): a
                // connection's paths are diagnosed too.
                for name in Set(snapshot.addressOwners.values) where snapshot.interfaceStatus[name] == nil {
                    snapshot.interfaceStatus[name] = InterfaceStatus.read(name, interfaces: interfaces)
                }
                snapshot.otherManagers = OtherManager.running()
            }
            return snapshot
        }
    }

    /// Reads each of `targets` (nil: the current namespace), in order. Many namespaces
    /// are read on a few threads of their own, each entering one namespace at a time.
    /// With `skippingVanished`, a named namespace deleted since it was listed is left
    /// out instead of reported.
    public static func readEach(_ targets: [String?], interfaces: Bool = false, skippingVanished: Bool = false,
                                features: KernelFeatures = .running)
        -> [(netns: String?, result: Result<NamespaceSnapshot, PathManagerError>)] {
        // Resolved once here: generic netlink family ids are the same in every namespace.
        let family = targets.count > 1 ? try? NetlinkBackend.resolveFamily() : nil
        let threads = targets.count >= 64 ? min(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 4) : 1
        let results = ParallelWork.map(targets.count, threads: threads) { index in
            Result { () throws(PathManagerError) in
                try read(netns: targets[index], interfaces: interfaces, family: family, features: features)
            }
        }
        return zip(targets, results).compactMap { netns, result in
            if skippingVanished, case .failure = result, let netns, !NetworkNamespace.exists(netns) { return nil }
            return (netns, result)
        }
    }

    /// The interface an endpoint's subflows use: its `dev`, else the one holding its
    /// address; nil when neither is known.
    public func interface(of endpoint: Endpoint) -> String? {
        endpoint.interfaceIndex != 0 ? interfaceNames[endpoint.interfaceIndex] : addressOwners[endpoint.address]
    }

    /// One counter seen both in the dump and by the kernel, when they differ.
    public struct Mismatch: Sendable, Equatable {
        public enum Counter: Sendable, Equatable { case signal, subflow, address, subflows, addAddrAccepted }
        public var counter: Counter
        public var dump: Int
        public var kernel: Int
    }

    /// Where the dump and MPTCP_INFO disagree (fields the kernel reports only).
    public var mismatches: [Mismatch] {
        let c = counts
        let pairs: [(Mismatch.Counter, Int, Int?)] = [
            (.signal, c.signal, kernel.endpSignalMax),
            (.subflow, c.subflow, kernel.endpSubflowMax),
            (.address, c.address, kernel.endpAddressMax),
            (.subflows, Int(limits.subflows), kernel.limitSubflows),
            (.addAddrAccepted, Int(limits.addAddrAccepted), kernel.limitAddAddrAccepted),
        ]
        return pairs.compactMap { counter, dump, kernel in
            guard let kernel, kernel != dump else { return nil }
            return Mismatch(counter: counter, dump: dump, kernel: kernel)
        }
    }
}
