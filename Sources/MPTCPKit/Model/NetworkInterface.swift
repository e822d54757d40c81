/// An interface of a namespace as rtnetlink reports it: what deciding whether its
/// addresses may carry endpoints needs.
public struct NetworkInterface: Sendable, Equatable {
    public var index: Int32
    public var name: String
    /// IFF_UP: administratively up.
    public var isUp: Bool
    /// IFF_RUNNING: up with a carrier (operationally up).
    public var isRunning: Bool
    /// IFF_LOOPBACK.
    public var isLoopback: Bool

    public init(index: Int32, name: String, isUp: Bool, isRunning: Bool, isLoopback: Bool = false) {
        self.index = index
        self.name = name
        self.isUp = isUp
        self.isRunning = isRunning
        self.isLoopback = isLoopback
    }
}
