import Glibc
import Netlink

/// The writers' lock of one network namespace: an exclusive flock(2) on
/// DIRECTORY/net-INODE.lock, where INODE is the namespace's own (nsfs) inode, so every
/// name and path of one namespace gives the same lock. Writers that share a directory
/// never interleave their changes to one namespace; readers take none. Released when
/// the value goes (or the process ends).
///
/// The file is removed as the lock is let go, so a namespace written once leaves
/// nothing behind. A writer that was waiting may then hold a lock on a file no longer
/// linked, which no later writer can find: so once it holds one, it checks that the
/// path still names the file it locked, and opens the path again if not (as systemd's
/// lock files do). Only the holder of the file the path names ever removes it.
/// (Not a lock on the namespace's own nsfs file: anyone may open /run/netns/NAME and
/// would hold root's writers off for as long as they liked.)
public final class NamespaceLock {
    private let fd: Int32
    public let path: String

    /// Waits for the lock of namespace `netns` (nil: the calling thread's), kept in
    /// `directory` (made if missing).
    public init(netns: String?, directory: String) throws(PathManagerError) {
        let inode = try NamespaceIdentity(netns: netns).inode
        path = "\(directory)/net-\(inode).lock"
        if mkdir(directory, 0o755) != 0, errno != EEXIST {
            throw .lock(path: directory, .current)
        }
        while true {
            let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if opened < 0 { throw .lock(path: path, .current) }
            do throws(Errno) {
                if try Self.lock(opened, path) { fd = opened; break }
            } catch {
                close(opened)
                throw .lock(path: path, error)
            }
            close(opened)
        }
    }

    /// Waits for the lock of `fd`; true when the path still names the file locked
    /// (false: its holder removed it meanwhile, and the path must be opened again).
    private static func lock(_ fd: Int32, _ path: String) throws(Errno) -> Bool {
        try Errno.retryOnInterrupt { flock(fd, LOCK_EX) }
        var held = stat(), named = stat()
        if fstat(fd, &held) != 0 { throw .current }
        if stat(path, &named) != 0 {
            if errno == ENOENT { return false }
            throw .current
        }
        return held.st_dev == named.st_dev && held.st_ino == named.st_ino
    }

    /// Removed while still held: a writer waiting on it finds it gone and starts again.
    deinit {
        unlink(path)
        close(fd)
    }
}
