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
        /// A signal arrived while waiting.
        case interrupted
    }

    /// Joins multicast group `group` (an id from `resolveGroup`).
    public func join(group: Int32) throws(NetlinkError) {
        let result = withSocket { nl_socket_add_membership($0, group) }
        if result < 0 { throw .library(code: -result, operation: "nl_socket_add_membership") }
    }

    /// Asks for a receive buffer of `bytes`, beyond rmem_max when privileged.
    public func setReceiveBuffer(bytes: Int32) {
        var size = bytes
        let fd = fileDescriptor
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// The socket's inode, as /proc/net/netlink lists it.
    public var inode: UInt64 {
        var info = stat()
        return fstat(fileDescriptor, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    /// Waits up to `milliseconds` (-1: for ever) for one datagram and decodes every
    /// message in it.
    public func receiveEvents(timeout milliseconds: Int32) -> Received {
        let fd = fileDescriptor
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, milliseconds)
        if ready < 0 { return errno == EINTR ? .interrupted : .timedOut }
        if ready == 0 { return .timedOut }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if count < 0 {
            switch errno {
            case ENOBUFS: return .overrun
            case EINTR: return .interrupted
            default: return .messages([])
            }
        }
        return .messages(GenericMessage.messages(inDatagram: Array(buffer.prefix(count))))
    }
}
