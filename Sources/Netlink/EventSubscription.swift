import CLibNL
import Glibc

/// Multicast events on a generic netlink socket: join a group, then receive with a
/// timeout, noticing when the kernel had to drop events (ENOBUFS).
extension GenericNetlinkSocket {
    /// What one wait for events brought.
    public enum Received: Sendable {
        case messages([GenericMessage])
        /// The receive buffer overran: the kernel dropped events since the last read.
        case overrun
        case timedOut
        /// The other descriptor being watched (a stop signal) became readable.
        case woken
    }

    /// Joins multicast group `group` (an id from `resolveGroup`).
    public func join(group: Int32) throws(NetlinkError) {
        let result = withSocket { nl_socket_add_membership($0, group) }
        // Joining is a setsockopt the kernel may refuse for want of privilege: kept as
        // the errno it is, so callers word it as every other permission failure.
        if -result == NLE_PERM || -result == NLE_NOACCESS {
            throw .system(-result == NLE_PERM ? .notPermitted : .permissionDenied, operation: "joining the events group")
        }
        if result < 0 { throw .library(code: -result, operation: "nl_socket_add_membership") }
    }

    /// Asks for a receive buffer of `bytes`, beyond rmem_max when privileged.
    public func setReceiveBuffer(bytes: Int32) {
        Subscription.setReceiveBuffer(fileDescriptor, bytes: bytes)
    }

    /// The socket's inode, as /proc/net/netlink lists it.
    public var inode: UInt64 {
        var info = stat()
        return fstat(fileDescriptor, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    /// Waits up to `milliseconds` (-1: for ever) for one datagram and decodes every
    /// message in it. With `wake`, also returns `.woken` as soon as that descriptor is
    /// readable (checked first, so a stop is never held up by a stream of events).
    /// A signal does not end the wait; a failed poll or receive is thrown, never
    /// mistaken for a quiet socket.
    public func receiveEvents(timeout milliseconds: Int32, wake: Int32? = nil) throws(NetlinkError) -> Received {
        switch try Subscription.receive(on: fileDescriptor, timeout: milliseconds, wake: wake.map { [$0] } ?? []) {
        case let .datagram(bytes): return .messages(GenericMessage.messages(inDatagram: bytes))
        case .overrun: return .overrun
        case .timedOut: return .timedOut
        case .woken: return .woken
        }
    }
}
