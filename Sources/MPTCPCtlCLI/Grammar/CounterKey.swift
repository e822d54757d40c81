import MPTCPKit

/// The counters `check` reads, named as in `counters -j`, and those of live state:
/// MPTCP connections (not those closed and held by no process), established subflows,
/// and stalled ones.
enum CounterKey: String, Sendable, CaseIterable {
    case endpoints, signal, subflow, address, fullmesh, backup, implicit, subflows
    case addAddrAccepted = "add_addr_accepted"
    case connections
    case liveSubflows = "live_subflows"
    case stalledSubflows = "stalled_subflows"

    /// Whether it is read from the connections (sock_diag), not the configuration.
    var isLive: Bool { self == .connections || self == .liveSubflows || self == .stalledSubflows }

    /// The names, in the order help and messages list them.
    static let names = allCases.map(\.rawValue)

    /// The key a name gives: the names above, and `laminar` (iproute2's word) for `address`.
    static func named(_ name: String) -> CounterKey? {
        name == "laminar" ? .address : CounterKey(rawValue: name)
    }

    /// Its value in a namespace.
    func value(in snapshot: NamespaceSnapshot) -> Int {
        let c = snapshot.counts
        switch self {
        case .endpoints: return c.total
        case .signal: return c.signal
        case .subflow: return c.subflow
        case .address: return c.address
        case .fullmesh: return c.fullmesh
        case .backup: return c.backup
        case .implicit: return c.implicit
        case .subflows: return Int(snapshot.limits.subflows)
        case .addAddrAccepted: return Int(snapshot.limits.addAddrAccepted)
        // A socket its program closed and the kernel still winds down is no connection any more.
        case .connections: return snapshot.connections?.filter { !$0.isListening && !$0.isOrphan }.count ?? 0
        case .liveSubflows:
            return snapshot.connections?.reduce(0) { $0 + $1.subflows.filter(\.isEstablished).count } ?? 0
        case .stalledSubflows:
            return snapshot.connections?.reduce(0) { $0 + $1.subflows.filter { $0.health().isStalled }.count } ?? 0
        }
    }
}
