import Foundation
import Glibc
import MPTCPKitTesting

/// The kernel's side of one netlink exchange, played by the test (mdlayher's `nltest` is
/// the model): a NETLINK_USERSOCK socket, which any user may open and send from, reads
/// the request a socket made with `init(userSocketPeer: peer.port)` sends it and answers
/// with the datagrams the test wrote, so the socket's framing is tested without root.
final class FakeNetlinkPeer: @unchecked Sendable {
    /// linux/netlink.h, which Glibc's module does not bring.
    enum Linux {
        static let userSocket: Int32 = 2
        static let error: UInt16 = 2, done: UInt16 = 3
        static let request: UInt16 = 0x01, multi: UInt16 = 0x02, ack: UInt16 = 0x04, dumpInterrupted: UInt16 = 0x10
        static let dump: UInt16 = 0x300, capped: UInt16 = 0x100, ackTLVs: UInt16 = 0x200
        /// NLMSGERR_ATTR_MSG: the extended ack's text.
        static let errorMessage: UInt16 = 1
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// A request as the peer received it; its `reply` methods write answers to it (its
    /// sequence number, its sender's port).
    struct Request: Sendable {
        let bytes: [UInt8]
        /// The sender's port, where answers go.
        let sender: UInt32
        var type: UInt16 { UInt16(bytes[4]) | UInt16(bytes[5]) << 8 }
        var flags: UInt16 { UInt16(bytes[6]) | UInt16(bytes[7]) << 8 }
        var sequence: UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[8 + $1]) << (8 * $1) } }
        /// What follows the netlink header.
        var payload: [UInt8] { Array(bytes.dropFirst(16)) }

        /// One message to this request: `type` (the request's own by default), `flags`, `payload`.
        func reply(type: UInt16? = nil, flags: UInt16 = 0, sequence: UInt32? = nil, _ payload: [UInt8]) -> [UInt8] {
            FakeNetlinkPeer.message(type: type ?? self.type, flags: flags, sequence: sequence ?? self.sequence, port: sender, payload)
        }

        /// A generic netlink reply: command, version 1, then `attributes`.
        func generic(_ command: UInt8, flags: UInt16 = 0, _ attributes: [UInt8]) -> [UInt8] {
            reply(flags: flags, [command, 1, 0, 0] + attributes)
        }

        /// NLMSG_DONE, the end of a dump.
        func done() -> [UInt8] { reply(type: Linux.done, flags: Linux.multi, le32(0)) }

        /// NLMSG_ERROR: `errno` (0: an ack), the request's header echoed (capped, as
        /// NETLINK_CAP_ACK asks), and the extended ack's text when there is one.
        func error(_ errno: Int32, extack: String? = nil) -> [UInt8] {
            let text = extack.map { attribute(Linux.errorMessage, Array($0.utf8) + [0]) } ?? []
            let flags = Linux.capped | (extack == nil ? 0 : Linux.ackTLVs)
            return reply(type: Linux.error, flags: flags, le32(UInt32(bitPattern: -errno)) + bytes.prefix(16) + text)
        }
    }

    let fd: Int32
    let port: UInt32
    private let lock = NSLock()
    private var received: Request?

    init() throws {
        fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Linux.userSocket)
        guard fd >= 0 else { throw Failure(description: "socket(NETLINK_USERSOCK): errno \(errno)") }
        port = try Self.bind(fd)
    }

    deinit { close(fd) }

    /// Binds `fd` to a port the kernel picks (struct sockaddr_nl: family, padding, port,
    /// groups) and returns it.
    static func bind(_ fd: Int32) throws -> UInt32 {
        var address: [UInt8] = [UInt8(AF_NETLINK), 0] + [UInt8](repeating: 0, count: 10)
        let bound = address.withUnsafeBytes { Glibc.bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count)) }
        guard bound == 0 else { throw Failure(description: "bind(AF_NETLINK): errno \(errno)") }
        return try port(of: fd, &address)
    }

    /// The port of netlink socket `fd` (getsockname).
    static func port(of fd: Int32) throws -> UInt32 {
        var address = [UInt8](repeating: 0, count: 12)
        return try port(of: fd, &address)
    }

    private static func port(of fd: Int32, _ address: inout [UInt8]) throws -> UInt32 {
        var length = socklen_t(address.count)
        let named = address.withUnsafeMutableBytes { getsockname(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length) }
        guard named == 0 else { throw Failure(description: "getsockname: errno \(errno)") }
        return (0..<4).reduce(0) { $0 | UInt32(address[4 + $1]) << (8 * $1) }
    }

    /// A netlink message: header, `payload`, padded to 4 bytes.
    static func message(type: UInt16, flags: UInt16, sequence: UInt32, port: UInt32, _ payload: [UInt8]) -> [UInt8] {
        let bytes = le32(UInt32(16 + payload.count)) + le16(type) + le16(flags) + le32(sequence) + le32(port) + payload
        return bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
    }

    /// Sends `datagram` to port `port`.
    func send(_ datagram: [UInt8], to port: UInt32) {
        let address: [UInt8] = [UInt8(AF_NETLINK), 0, 0, 0] + le32(port) + le32(0)
        _ = address.withUnsafeBytes { to in
            sendto(fd, datagram, datagram.count, 0, to.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(to.count))
        }
    }

    /// The request the last `answering` received, if one came.
    var request: Request? { lock.withLock { received } }

    /// Runs `body`, which sends one request to this peer and reads the answer, while a
    /// thread of the peer's reads the request and sends each datagram `answer` makes of
    /// it. A reader still reading 10 s later (one that missed the end of the answer) is
    /// sent an error (ETIMEDOUT, "the fake peer has nothing more to say"): the test fails,
    /// it does not hang.
    func answering<T>(_ answer: @escaping @Sendable (Request) -> [[UInt8]], _ body: () throws -> T) throws -> T {
        lock.withLock { received = nil }
        let ended = DispatchSemaphore(value: 0), served = DispatchSemaphore(value: 0)
        Thread { [self] in
            defer { served.signal() }
            guard let request = receiveRequest(until: ended) else { return }
            lock.withLock { received = request }
            for datagram in answer(request) { send(datagram, to: request.sender) }
            if ended.wait(timeout: .now() + 10) == .timedOut {
                send(request.error(ETIMEDOUT, extack: "the fake peer has nothing more to say"), to: request.sender)
            }
        }.start()
        defer {
            ended.signal()
            served.wait()
        }
        return try body()
    }

    /// One request, or nil when `answering`'s body ended (`ended`) without sending one.
    private func receiveRequest(until ended: DispatchSemaphore) -> Request? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, 10) != 1 {
            if ended.wait(timeout: .now()) == .success { return nil }
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var address = [UInt8](repeating: 0, count: 12)
        var length = socklen_t(address.count)
        let count = buffer.withUnsafeMutableBytes { data in
            address.withUnsafeMutableBytes { recvfrom(fd, data.baseAddress, data.count, 0, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length) }
        }
        guard count >= 16 else { return nil }
        return Request(bytes: Array(buffer.prefix(count)), sender: (0..<4).reduce(0) { $0 | UInt32(address[4 + $1]) << (8 * $1) })
    }
}
