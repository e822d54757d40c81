import Glibc

/// Notices a named namespace going away: an inotify watch on /run/netns, readable when
/// a name there is removed or moved. `isGone` then says whether it was this one (or a
/// namespace of the same name that is not the one followed).
public final class NamespaceWatch {
    public let fileDescriptor: Int32
    private let name: String
    private let identity: NamespaceIdentity

    /// Watches /run/netns/NAME, whose namespace is `identity` now; nil when inotify fails.
    public init?(name: String, identity: NamespaceIdentity) {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { return nil }
        guard inotify_add_watch(fd, NetworkNamespace.directory, UInt32(IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF)) >= 0 else {
            close(fd)
            return nil
        }
        fileDescriptor = fd
        self.name = name
        self.identity = identity
    }

    deinit { close(fileDescriptor) }

    /// Reads what is queued and says whether /run/netns/NAME is gone or is another namespace.
    public func isGone() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while buffer.withUnsafeMutableBytes({ read(fileDescriptor, $0.baseAddress, $0.count) }) > 0 {}
        return (try? NamespaceIdentity(path: NetworkNamespace.path(of: name))) != identity
    }
}
