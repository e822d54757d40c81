import Glibc
import Netlink

/// The interfaces and addresses of one namespace, read and followed through rtnetlink:
/// `snapshot()` reads them all; `next` waits for the next changes. It decides nothing:
/// a program reads a snapshot again when changes come (or were lost) and plans from it.
///
/// Thread and namespace rules: `open` creates both sockets inside the namespace and
/// returns; the watcher is then used from one thread at a time.
public final class InterfaceWatcher {
    /// What one wait brought.
    public enum Arrival: Sendable, Equatable {
        /// Links or addresses changed (how many objects the kernel reported).
        case changed(Int)
        /// The receive buffer overran: changes were lost; read everything again.
        case lost
        case timedOut
        /// One of the wake descriptors became readable.
        case woken(Int32)
    }

    /// About a thousand changes (the kernel counts each message's whole buffer, and
    /// doubles what is asked): enough for a reader that keeps up; one that falls
    /// further behind learns it (`.lost`) and reads everything again, which costs less
    /// than holding megabytes for a burst.
    static let receiveBuffer: Int32 = 1 << 20

    private let reader: RouteSocket
    private let changes: RouteSocket?

    /// Opens the rtnetlink sockets of namespace `netns` (nil: the current one);
    /// `follow` subscribes to link and address changes too.
    public static func open(netns: String?, follow: Bool) throws(PathManagerError) -> InterfaceWatcher {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in
            try PathManagerError.netlink { () throws(NetlinkError) in
                let reader = try RouteSocket()
                var changes: RouteSocket?
                if follow {
                    let socket = try RouteSocket()
                    socket.setReceiveBuffer(bytes: receiveBuffer)
                    try socket.subscribe()
                    changes = socket
                }
                return InterfaceWatcher(reader: reader, changes: changes)
            }
        }
    }

    /// A watcher over sockets already made (`changes` subscribed), for tests.
    init(reader: RouteSocket, changes: RouteSocket?) {
        self.reader = reader
        self.changes = changes
    }

    /// Every interface and address of the namespace now.
    public func snapshot() throws(PathManagerError) -> InterfaceSnapshot {
        try PathManagerError.netlink { () throws(NetlinkError) in
            let links = try reader.links().map(NetworkInterface.init(route:))
            let addresses = try reader.addresses().compactMap(InterfaceAddress.init(route:))
            return InterfaceSnapshot(interfaces: links, addresses: addresses)
        }
    }

    /// Waits up to `milliseconds` (-1: for ever) for changes; `.woken` as soon as one of
    /// `wake` is readable. Without a subscription, only waits.
    public func next(timeout milliseconds: Int32, wake: [Int32] = []) throws(PathManagerError) -> Arrival {
        guard let changes else { return .timedOut }
        switch try PathManagerError.netlink({ () throws(NetlinkError) in try changes.receive(timeout: milliseconds, wake: wake) }) {
        case let .changes(objects): return .changed(objects.count)
        case .overrun: return .lost
        case .timedOut: return .timedOut
        case let .woken(fd): return .woken(fd)
        }
    }
}

extension NetworkInterface {
    /// The values of an rtnetlink link.
    public init(route link: RouteObject.Link) {
        self.init(index: link.index, name: link.name, isUp: link.flags & UInt32(IFF_UP) != 0,
                  isRunning: link.flags & UInt32(IFF_RUNNING) != 0,
                  isLoopback: link.flags & UInt32(IFF_LOOPBACK) != 0)
    }
}

extension InterfaceAddress {
    /// IFA_F_* bits (linux/if_addr.h).
    static let dadFailedFlag: UInt32 = 0x08, deprecatedFlag: UInt32 = 0x20, tentativeFlag: UInt32 = 0x40

    /// The values of an rtnetlink address; nil for a family other than IPv4 and IPv6.
    public init?(route: RouteObject.Address) {
        let address: IPAddress
        switch (route.family, route.bytes.count) {
        case (AF_INET, 4): address = .v4(route.bytes)
        case (AF_INET6, 16): address = .v6(route.bytes)
        default: return nil
        }
        self.init(interfaceIndex: route.interfaceIndex, address: address, prefixLength: Int(route.prefixLength),
                  isTentative: route.flags & Self.tentativeFlag != 0, dadFailed: route.flags & Self.dadFailedFlag != 0,
                  isDeprecated: route.flags & Self.deprecatedFlag != 0, scope: route.scope)
    }
}
