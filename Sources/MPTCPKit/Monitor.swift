import Glibc
import Netlink

/// `mptcpctl monitor`: the path manager's events of one namespace, as they happen.
public final class Monitor {
    public struct Options: Sendable {
        /// Event types to print; empty: all.
        public var events: Set<String> = []
        /// Stop after this many printed events.
        public var count: Int?
        /// Give up after this many seconds.
        public var timeout: Double?
        public var format = OutputFormat()

        public init(events: Set<String> = [], count: Int? = nil, timeout: Double? = nil, format: OutputFormat = OutputFormat()) {
            self.events = events
            self.count = count
            self.timeout = timeout
            self.format = format
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// --count events were printed.
        case satisfied
        /// A signal asked to stop, or --timeout passed with no --count.
        case stopped
        /// --timeout passed before --count events came.
        case timedOut
    }

    /// Large enough that a burst of hundreds of connections loses nothing.
    static let receiveBuffer: Int32 = 16 << 20

    private let socket: GenericNetlinkSocket
    private let family: Int32
    private let interfaces: Interfaces
    private let drops: NetlinkDrops?

    /// Subscribes to `mptcp_pm_events` in namespace `netns` (nil: the current one).
    public static func open(netns: String?) throws(MPTCPError) -> Monitor {
        try NetworkNamespace.within(netns) { () throws(MPTCPError) in
            try MPTCPError.reporting("monitor") {
                let socket = try GenericNetlinkSocket()
                let family = try socket.resolveFamily(PathManagerProtocol.familyName)
                let group = try socket.resolveGroup(family: PathManagerProtocol.familyName, group: PathManagerProtocol.eventsGroup)
                socket.setReceiveBuffer(bytes: receiveBuffer)
                try socket.join(group: group)
                return Monitor(socket: socket, family: family, interfaces: try Interfaces(), drops: NetlinkDrops(inode: socket.inode))
            }
        }
    }

    private init(socket: GenericNetlinkSocket, family: Int32, interfaces: Interfaces, drops: NetlinkDrops?) {
        self.socket = socket
        self.family = family
        self.interfaces = interfaces
        self.drops = drops
    }

    /// Prints events through `emit` until the options are satisfied, time is up, or
    /// `stopRequested` says so. Lost events are reported through `warn` and, in JSON,
    /// as a `{"type":"lost"}` line.
    public func run(_ options: Options, emit: (String) -> Void, warn: (String) -> Void,
                    stopRequested: () -> Bool) -> Outcome {
        let view = EventView(interfaceName: { [interfaces] in interfaces.name(of: $0) })
        let deadline = options.timeout.map { Self.monotonic() + $0 }
        var printed = 0
        while !stopRequested() {
            var wait: Int32 = -1
            if let deadline {
                let left = deadline - Self.monotonic()
                if left <= 0 { return options.count == nil ? .stopped : .timedOut }
                wait = Int32(min((left * 1000).rounded(.up), 3_600_000))
            }
            switch socket.receiveEvents(timeout: wait) {
            case .timedOut, .interrupted:
                continue
            case .overrun:
                let lost = drops?.sinceLastCall()
                warn("\(lost.map(String.init) ?? "some") event(s) lost: the receive buffer overran")
                if options.format.json {
                    var members: [(String, JSON)] = [("type", .string("lost"))]
                    if let lost { members.append(("count", .int(Int64(lost)))) }
                    members.append(("time", .string(Timestamp.now().rfc3339)))
                    emit(JSON.object(members).rendered())
                }
            case let .messages(messages):
                let time = Timestamp.now()
                for message in messages where Int32(message.type) == family {
                    let event = PathManagerEvent(message: message)
                    guard options.events.isEmpty || options.events.contains(event.type) else { continue }
                    emit(options.format.json ? view.json(event, time: time).rendered(pretty: options.format.pretty)
                                             : view.text(event, time: time))
                    printed += 1
                    if let count = options.count, printed >= count { return .satisfied }
                }
            }
        }
        return .stopped
    }

    static func monotonic() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
