import Netlink

/// The path manager's events of one namespace (the `mptcp_pm_events` group), as they
/// come: a subscription that yields decoded events and counts what the kernel dropped.
/// It renders nothing and decides nothing about when to stop.
///
/// Thread and namespace rules: `open` subscribes inside the namespace and returns; the
/// monitor is then read from one thread at a time.
public final class EventMonitor {
    /// What one wait brought.
    public enum Arrival: Sendable, Equatable {
        /// Events of the path manager, in the order the kernel sent them.
        case events([PathManagerEvent], at: Timestamp)
        /// The receive buffer overran: this many events were lost (nil: unknown).
        case lost(Int?, at: Timestamp)
        /// The wait's time ran out.
        case timedOut
        /// The wake descriptor (a stop signal) became readable.
        case woken
    }

    /// Large enough that a burst of hundreds of connections loses nothing.
    static let receiveBuffer: Int32 = 16 << 20

    private let socket: GenericNetlinkSocket
    private let family: Int32
    private let interfaces: Interfaces
    private let drops: NetlinkDrops?

    /// Subscribes to `mptcp_pm_events` in namespace `netns` (nil: the current one).
    public static func open(netns: String?) throws(PathManagerError) -> EventMonitor {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            let channel = try PathManagerSocket(), socket = channel.socket
            try PathManagerError.netlink { () throws(NetlinkError) in
                let group = try socket.resolveGroup(family: PathManagerFamily.name, group: PathManagerFamily.eventsGroup)
                socket.setReceiveBuffer(bytes: receiveBuffer)
                try socket.join(group: group)
            }
            return EventMonitor(socket: socket, family: channel.family, interfaces: try Interfaces(),
                                drops: NetlinkDrops(inode: socket.inode))
        }
    }

    private init(socket: GenericNetlinkSocket, family: Int32, interfaces: Interfaces, drops: NetlinkDrops?) {
        self.socket = socket
        self.family = family
        self.interfaces = interfaces
        self.drops = drops
    }

    /// Waits up to `milliseconds` (-1: for ever) for what comes next; returns `.woken`
    /// as soon as `wake` is readable. A failed wait is thrown, never taken for silence.
    public func next(timeout milliseconds: Int32, wake: Int32? = nil) throws(PathManagerError) -> Arrival {
        switch try PathManagerError.netlink({ () throws(NetlinkError) in try socket.receiveEvents(timeout: milliseconds, wake: wake) }) {
        case .timedOut: return .timedOut
        case .woken: return .woken
        case .overrun: return .lost(drops?.sinceLastCall(), at: .now())
        case let .messages(messages):
            let events = messages.filter { Int32($0.type) == family }.map(PathManagerEvent.init(message:))
            return .events(events, at: .now())
        }
    }

    /// The socket's descriptor, for a loop that waits on it beside others (then reads
    /// with `next(timeout: 0)`).
    public var fileDescriptor: Int32 { socket.fileDescriptor }

    /// The name of an interface of the monitored namespace.
    public func interfaceName(index: Int32) -> String? { interfaces.name(of: index) }
}
