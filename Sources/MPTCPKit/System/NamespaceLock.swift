import Glibc
import Netlink

/// The writers' lock of one network namespace: an exclusive flock(2) on
/// DIRECTORY/net-INODE.lock, where INODE is the namespace's own (nsfs) inode, so every
/// name and path of one namespace gives the same lock. Writers that share a directory
/// never interleave their changes to one namespace; readers take none. Released when
/// the value goes (or the process ends).
public final class NamespaceLock {
    private let fd: Int32
    public let path: String

    /// Waits for the lock of namespace `netns` (nil: the calling thread's), kept in
    /// `directory` (made if missing).
    public init(netns: String?, directory: String) throws(PathManagerError) {
        let inode = try Self.identity(of: netns)
        path = "\(directory)/net-\(inode).lock"
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw .lock(path: directory, .current)
        }
        let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if opened < 0 { throw .lock(path: path, .current) }
        fd = opened
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let failure = Errno.current
            close(fd)
            throw .lock(path: path, failure)
        }
    }

    deinit { close(fd) }

    /// The inode of namespace `netns` (nil: the calling thread's), which names it for
    /// as long as it lives.
    public static func identity(of netns: String?) throws(PathManagerError) -> UInt64 {
        let path = netns.map(NetworkNamespace.path(of:)) ?? "/proc/thread-self/ns/net"
        var info = stat()
        if stat(path, &info) != 0 {
            let code = Errno.current
            guard let netns else { throw .namespace(.noThreadNamespace(code)) }
            throw .namespace(code == .noSuchFileOrDirectory ? .missing(netns) : .cannotOpen(path: path, code))
        }
        return UInt64(info.st_ino)
    }
}
