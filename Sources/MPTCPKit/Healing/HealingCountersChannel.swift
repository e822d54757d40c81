import Glibc
import Netlink

/// How a healing daemon hands its counters to a reader: an abstract Unix socket inside
/// the namespace it heals, named by the program. Abstract names belong to the network
/// namespace, so a namespace that goes leaves nothing behind (no file to clean), and a
/// reader finds the daemon of the namespace it enters. The daemon answers each
/// connection with `HealingCounters.encoded` and closes it; a reader trusts only an
/// answer from root or from its own user (SO_PEERCRED).
public final class HealingCountersChannel {
    public let fileDescriptor: Int32

    /// Listens on abstract name `name` in namespace `netns` (nil: the current one).
    /// EADDRINUSE: another daemon serves that namespace.
    public static func open(netns: String?, name: String) throws(PathManagerError) -> HealingCountersChannel {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in try HealingCountersChannel(name: name) }
    }

    private init(name: String) throws(PathManagerError) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .transport(.system(.current, operation: "socket(AF_UNIX)")) }
        let bound = Self.withAddress(name) { bind(fd, $0, $1) }
        if bound != 0 || listen(fd, 16) != 0 {
            let failure = Errno.current
            close(fd)
            throw .transport(.system(failure, operation: bound != 0 ? "bind(@\(name))" : "listen"))
        }
        fileDescriptor = fd
    }

    deinit { close(fileDescriptor) }

    /// Answers every connection waiting with `counters`.
    public func answer(_ counters: HealingCounters) {
        let bytes = counters.encoded
        while true {
            // Closed right after its one write, on this one thread: no need of accept4's flags.
            let client = accept(fileDescriptor, nil, nil)
            guard client >= 0 else { return }
            // A few hundred bytes into an empty socket buffer: one write, never blocking.
            _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(client)
        }
    }

    /// The counters of the daemon serving `name` in namespace `netns` (nil: the current
    /// one); nil when none serves it, or when what answers is neither root nor this
    /// user, or says something else.
    public static func read(netns: String?, name: String) -> HealingCounters? {
        let fd = (try? NetworkNamespace.within(netns) { () throws(PathManagerError) in
            socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }) ?? -1
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard withAddress(name, { connect(fd, $0, $1) }) == 0 else { return nil }
        // struct ucred { pid_t pid; uid_t uid; gid_t gid; } (Glibc's module leaves it out).
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var length = socklen_t(12)
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0, length == 12,
              credentials.uid == 0 || credentials.uid == geteuid() else { return nil }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1024)
        while bytes.count < 4096 {
            guard let count = try? Errno.retryOnInterrupt({ buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) } }),
                  count > 0 else { break }
            bytes += buffer.prefix(count)
        }
        return HealingCounters(decoding: bytes)
    }

    /// Calls `body` with the sockaddr_un of abstract name `name` (a leading NUL, no
    /// trailing one) and its length.
    private static func withAddress(_ name: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8.prefix(100))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw[0] = 0
            for (index, byte) in bytes.enumerated() { raw[index + 1] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + 1 + bytes.count)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }
}
