/// How many MPTCP connections and subflows a namespace holds right now: what a metrics
/// pipeline wants of the connection list.
public struct ConnectionCounts: Sendable, Equatable {
    /// MPTCP sockets that are not listening (connecting, established or closing).
    public var connections: Int
    /// The subflows of those connections (TCP sockets with the "mptcp" upper-layer
    /// protocol, joined to their connection by token).
    public var subflows: Int

    public init(connections: Int, subflows: Int) {
        self.connections = connections
        self.subflows = subflows
    }

    /// Counts a connection list; listeners are left out.
    public init(_ list: [Connection]) {
        let open = list.filter { !$0.isListening }
        connections = open.count
        subflows = open.reduce(0) { $0 + $1.subflows.count }
    }
}
