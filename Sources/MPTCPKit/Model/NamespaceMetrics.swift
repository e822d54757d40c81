/// What a metrics pipeline wants of one namespace, read in one visit: the snapshot
/// (endpoints, limits, MPTCP_INFO), the connections and subflows, and the MPTCP MIB.
public struct NamespaceMetrics: Sendable {
    public var snapshot: NamespaceSnapshot
    /// nil when sock_diag could not count them (no MPTCP diag support in the kernel).
    public var connections: ConnectionCounts?
    /// Empty when the kernel shows no MPTcpExt counters.
    public var mib: MIBCounters
    /// What the daemon healing the namespace's paths counted; nil when none heals it.
    public var healing: HealingCounters?

    public init(snapshot: NamespaceSnapshot, connections: ConnectionCounts?, mib: MIBCounters, healing: HealingCounters? = nil) {
        self.snapshot = snapshot
        self.connections = connections
        self.mib = mib
        self.healing = healing
    }
}
