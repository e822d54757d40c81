import Glibc
import MPTCPKit

/// What `run` and `enable` ask of the file system around a launch: a program's kind and
/// mode, whether it may be executed or read, a library's canonical path and whether only
/// root can replace it, and an image's root. The system's (`SystemFileSystem`), or a
/// stand-in in tests.
public protocol FileSystem {
    /// stat(2) of `path`, links followed; nil when it cannot be.
    func status(_ path: String) -> FileStatus?
    /// access(2): whether this process may do `access` to `path`.
    func canAccess(_ path: String, _ access: FileAccess) -> Bool
    /// `path` with '.', '..' and links resolved (realpath(3)).
    func canonicalPath(_ path: String) throws(Errno) -> String
    /// Throws why the file at the canonical `path` could be replaced by someone but root
    /// (`FileTrust.checkRootOnly`).
    func checkRootOnly(_ path: String) throws(FileTrust.Problem)
    /// The directory `path` opened as a root of its own; it must be a directory.
    func openRoot(_ path: String) throws(Errno) -> any FileTree
}

/// What stat(2) says of a file that a launch cares about.
public struct FileStatus: Sendable, Equatable {
    public var kind: FileKind
    /// The permission bits, set-user-ID and set-group-ID included.
    public var mode: mode_t

    public init(kind: FileKind, mode: mode_t) { (self.kind, self.mode) = (kind, mode) }
}

/// What access(2) is asked.
public enum FileAccess: Sendable {
    case exists, read, execute
}
