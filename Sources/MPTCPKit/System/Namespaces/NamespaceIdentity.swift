import Glibc
import Netlink

/// A network namespace's identity: the device and inode of its nsfs file, the same
/// through every name, path and descriptor that refers to it, for as long as the
/// namespace lives. (Only the pair names it: an inode alone is unique on one device.)
public struct NamespaceIdentity: Hashable, Sendable {
    public let device: UInt64
    public let inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        (self.device, self.inode) = (device, inode)
    }

    /// The identity of namespace `netns` (nil: the calling thread's): /run/netns/NAME,
    /// or /proc/thread-self/ns/net.
    public init(netns: String?) throws(PathManagerError) {
        let path = netns.map(NetworkNamespace.path(of:)) ?? Self.threadPath
        do throws(Errno) { try self.init(path: path) } catch {
            guard let netns else { throw .namespace(.noThreadNamespace(error)) }
            throw .namespace(error == .noSuchFileOrDirectory ? .missing(netns) : .cannotOpen(path: path, error))
        }
    }

    /// The identity of the namespace whose file is `path` (/proc/PID/ns/net, …).
    public init(path: String) throws(Errno) {
        var status = stat()
        if stat(path, &status) != 0 { throw .current }
        self.init(status)
    }

    /// The identity of the namespace the descriptor refers to.
    public init(descriptor: Int32) throws(Errno) {
        var status = stat()
        if fstat(descriptor, &status) != 0 { throw .current }
        self.init(status)
    }

    private init(_ status: stat) {
        self.init(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }

    /// The calling thread's namespace file (/proc/self is the main thread's).
    static let threadPath = "/proc/thread-self/ns/net"
}
