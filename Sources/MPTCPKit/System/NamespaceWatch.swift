import Glibc

/// Notices a named namespace going away: an inotify watch on /run/netns, readable when
/// a name there is removed or moved. `isGone` then says whether it was this one (or a
/// namespace of the same name that is not the one followed).
public final class NamespaceWatch {
    public let fileDescriptor: Int32
    private let name: String
    private let inode: UInt64

    /// Watches /run/netns/NAME, whose namespace has `inode` now; nil when inotify fails.
    public init?(name: String, inode: UInt64) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, NetworkNamespace.directory, UInt32(IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF)) >= 0 else {
            close(fd)
            return nil
        }
        fileDescriptor = fd
        self.name = name
        self.inode = inode
    }

    deinit { close(fileDescriptor) }

    /// Reads what is queued and says whether /run/netns/NAME is gone or is another namespace.
    public func isGone() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(fileDescriptor, $0.baseAddress, $0.count) }) > 0 {}
        var info = stat()
        return stat(NetworkNamespace.path(of: name), &info) != 0 || UInt64(info.st_ino) != inode
    }
}
