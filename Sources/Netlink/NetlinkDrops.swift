import Glibc

/// How many messages the kernel dropped for one netlink socket, from the Drops
/// column of the netlink table of procfs: ENOBUFS says that events were lost, this
/// says how many.
public final class NetlinkDrops {
    private let fd: Int32
    private let inode: UInt64
    private var seen: Int = 0

    /// Must run inside the socket's namespace, on the thread that is in it: the file
    /// opened answers for that namespace for as long as it is open (/proc/net is the
    /// main thread's namespace, not necessarily this thread's).
    public init?(inode: UInt64) {
        fd = open("/proc/thread-self/net/netlink", O_RDONLY | O_CLOEXEC)
        self.inode = inode
        guard fd >= 0 else { return nil }
        seen = current() ?? 0
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Drops since the last call.
    public func sinceLastCall() -> Int? {
        guard let total = current() else { return nil }
        defer { seen = total }
        return total - seen
    }

    private func current() -> Int? {
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        var offset: off_t = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count <= 0 { break }
            text += chunk.prefix(count)
            offset += off_t(count)
        }
        for line in String(decoding: text, as: UTF8.self).split(separator: "\n").dropFirst() {
            let columns = line.split(separator: " ")
            guard columns.count >= 10, UInt64(columns[columns.count - 1]) == inode else { continue }
            return Int(columns[columns.count - 2])
        }
        return nil
    }
}
