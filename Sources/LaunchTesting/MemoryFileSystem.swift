import Glibc
import Launch
import MPTCPKit

/// A `FileSystem` in memory: the files `run` and `enable` ask about (programs, the
/// preload library), the trust of each, and the images `enable --root` opens.
public final class MemoryFileSystem: FileSystem {
    /// What stat(2) finds, by path.
    public var files: [String: FileStatus] = [:]
    /// Why a path could be replaced by someone but root (none: only root can).
    public var untrusted: [String: FileTrust.Problem] = [:]
    /// Paths that are links, with the canonical path each leads to.
    public var links: [String: String] = [:]
    /// The directories that open as roots.
    public var roots: [String: MemoryFileTree] = [:]

    public init() {}

    /// A regular file at `path` with the permission bits `mode`.
    public func add(_ path: String, mode: mode_t = 0o755) {
        files[path] = FileStatus(kind: .regular, mode: mode)
    }

    public func status(_ path: String) -> FileStatus? {
        files[links[path] ?? path]
    }

    public func canAccess(_ path: String, _ access: FileAccess) -> Bool {
        if roots[path] != nil { return true }
        guard let status = status(path) else { return false }
        switch access {
        case .exists: return true
        case .read: return status.mode & 0o444 != 0
        case .execute: return status.mode & 0o111 != 0
        }
    }

    public func canonicalPath(_ path: String) throws(Errno) -> String {
        let found = links[path] ?? path
        guard files[found] != nil else { throw .noSuchFileOrDirectory }
        return found
    }

    public func checkRootOnly(_ path: String) throws(FileTrust.Problem) {
        if let problem = untrusted[path] { throw problem }
    }

    public func openRoot(_ path: String) throws(Errno) -> any FileTree {
        guard let root = roots[path] else { throw .noSuchFileOrDirectory }
        return root
    }
}
