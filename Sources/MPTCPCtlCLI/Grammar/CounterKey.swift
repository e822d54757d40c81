import MPTCPKit

/// The counters `check` reads, named as in `counters -j`, and the two of live state:
/// MPTCP connections and established subflows.
enum CounterKey: String, Sendable, CaseIterable {
    case endpoints, signal, subflow, address, fullmesh, backup, implicit, subflows
    case addAddrAccepted = "add_addr_accepted"
    case connections
    case liveSubflows = "live_subflows"

    /// Whether it is read from the connections (sock_diag), not the configuration.
    var isLive: Bool { self == .connections || self == .liveSubflows }

    /// The names, in the order help and messages list them.
    static let names = allCases.map(\.rawValue)

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
        case .connections: return snapshot.connections?.filter { !$0.isListening }.count ?? 0
        case .liveSubflows:
            return snapshot.connections?.reduce(0) { $0 + $1.subflows.filter(\.isEstablished).count } ?? 0
        }
    }
}
