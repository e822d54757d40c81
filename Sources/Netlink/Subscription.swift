import Glibc

/// What the sockets joined to multicast groups share (`EventSubscription`'s events,
/// `RouteSocket`'s changes): a receive buffer beyond the default, and the one wait for
/// the next datagram beside other descriptors (a stop signal).
enum Subscription {
    /// What one wait brought.
    enum Received: Equatable {
        /// One datagram (empty when the socket had nothing after all).
        case datagram([UInt8])
        /// The receive buffer overran: the kernel dropped datagrams since the last read.
        case overrun
        case timedOut
        /// This descriptor of those being watched became readable.
        case woken(Int32)
    }

    /// Asks for a receive buffer of `bytes` on socket `fd`, beyond rmem_max when privileged.
    static func setReceiveBuffer(_ fd: Int32, bytes: Int32) {
        var size = bytes
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Waits up to `milliseconds` (-1: for ever) for a datagram on `fd`, and reads it.
    /// Returns `.woken(fd)` as soon as one of `wake` is readable (checked first, so a
    /// stop is never held up by a stream of datagrams). A signal that interrupts the
    /// wait is not its end: it goes on for the time left. A failed wait or read is
    /// thrown, never taken for a quiet socket; a socket error the kernel reports (ENOBUFS:
    /// an overrun) is the read's.
    static func receive(on fd: Int32, timeout milliseconds: Int32, wake: [Int32]) throws(NetlinkError) -> Received {
        var pollers = wake.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        pollers.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0))
        let deadline = milliseconds < 0 ? nil : monotonicMilliseconds() + Int64(milliseconds)
        let ready: Int32
        do throws(Errno) {
            ready = try Errno.retryOnInterrupt {
                poll(&pollers, nfds_t(pollers.count), deadline.map { Int32(clamping: max(0, $0 - monotonicMilliseconds())) } ?? -1)
            }
        } catch {
            throw .system(error, operation: "poll")
        }
        if ready == 0 { return .timedOut }
        if let woken = pollers.dropLast().first(where: { $0.revents != 0 }) { return .woken(woken.fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        do throws(Errno) {
            let count = try Errno.retryOnInterrupt {
                buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            }
            return .datagram(Array(buffer.prefix(count)))
        } catch {
            switch error {
            case .noBufferSpace: return .overrun
            case .resourceTemporarilyUnavailable: return .datagram([])
            default: throw .system(error, operation: "recv")
            }
        }
    }

    /// CLOCK_MONOTONIC in milliseconds.
    private static func monotonicMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
