/// How many MPTCP connections and subflows a namespace holds right now.
///
/// A stand-in for the count of the `connections` command: it is read with a minimal
/// sock_diag dump (`ConnectionCounts.read()`), and is meant to be computed from the
/// full connection list once MPTCPKit has one.
public struct ConnectionCounts: Sendable, Equatable {
    /// MPTCP sockets that are not listening (connecting, established or closing).
    public var connections: Int
    /// TCP sockets that are subflows of an MPTCP connection (ULP "mptcp"), listeners
    /// left out.
    public var subflows: Int

    public init(connections: Int, subflows: Int) {
        self.connections = connections
        self.subflows = subflows
    }
}
