/// What healing did or saw, as values for a program to report: a path went down, came
/// back, was repaired, healed; a repair failed; only the peer can bring a path back.
public enum HealingEvent: Sendable, Equatable {
    /// A path went down; the connections that had a subflow on it (tokens at this end).
    case pathDown(PathReport, reason: PathDetector.Reason, connections: [UInt32])
    /// A path came back after `downFor` seconds; `connections` lack it until they heal.
    case pathUp(PathReport, reason: PathDetector.Reason, downFor: Double, connections: [UInt32])
    /// The endpoint of the path's local address was deleted and added again (same id,
    /// address, interface and flags): the in-kernel path manager's one lever, which opens
    /// a subflow from it on every connection at once (a `signal` endpoint: withdraws the
    /// address and announces it again). `lacking` needed it; `touched` had working
    /// subflows from it that it closed and opened again.
    case repaired(PathReport, endpoint: Endpoint, lacking: [UInt32], touched: [UInt32], attempt: Int)
    /// Deleting or adding the endpoint again failed; the next attempt waits its turn.
    case repairFailed(PathReport, endpoint: Endpoint, PathManagerError)
    /// The connections carry traffic on the path again (or hold an established,
    /// unstalled subflow on it while idle), `seconds` after it came back (seen at that
    /// moment, so at most one check late), after `repairs` repairs.
    case healed(PathReport, connections: [UInt32], seconds: Double, repairs: Int)
    /// The connections lack the path and only the peer can bring it back: the local
    /// endpoint is an `address` one, used only when the peer announces an address.
    case waitingForPeer(PathReport, connections: [UInt32])
    /// The connections still lack the path `seconds` after it came back; healing stops
    /// trying for them (a new failure of the path starts again).
    case gaveUp(PathReport, connections: [UInt32], seconds: Double)
}

/// A path as a report names it: its two addresses, the interface it leaves by, and the
/// endpoint of its local address.
public struct PathReport: Sendable, Equatable {
    public var path: NetworkPath
    public var interface: String?
    public var endpoint: UInt8?

    public init(path: NetworkPath, interface: String?, endpoint: UInt8?) {
        self.path = path
        self.interface = interface
        self.endpoint = endpoint
    }
}
