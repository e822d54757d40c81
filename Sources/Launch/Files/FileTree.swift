import Glibc
import MPTCPKit

/// A tree of files under a root of its own, as `enable` reads and changes an image's
/// systemd configuration: every path absolute, as the root's own programs see it
/// (`/etc/systemd/system`), and resolved inside the root, links included. On disk,
/// `RootDirectory`; in tests, a tree in memory.
public protocol FileTree: AnyObject {
    /// What `path` names: its last link followed or not; nil when nothing (or nothing
    /// that can be reached) is there.
    func kind(of path: String, followingLinks: Bool) -> FileKind?
    /// The text of the link at `path`; nil when it is no link.
    func linkTarget(_ path: String) -> String?
    /// The names in the directory `path`, sorted; empty when it cannot be read.
    func entries(_ path: String) -> [String]
    /// The bytes of the regular file at `path`, at most `limit` of them; anything else
    /// refused before it is opened for reading. With `followingLastLink` false, a link in
    /// the last place is refused too.
    func read(_ path: String, limit: Int, followingLastLink: Bool) throws(FileTreeFailure) -> [UInt8]
    /// Makes the directory `path` and those above it that are missing.
    func makeDirectories(_ path: String, mode: mode_t) throws(FileTreeFailure)
    /// Replaces the file at `path` with `bytes` (mode `mode`): a reader sees the old
    /// file or the new one, and whatever stood at `path` (a link too) is replaced, never
    /// followed.
    func replaceFile(_ path: String, with bytes: [UInt8], mode: mode_t) throws(FileTreeFailure)
    /// Removes the file (or link) at `path`, never what a link points to.
    func removeFile(_ path: String) throws(FileTreeFailure)
    /// Removes the directory `path` when it is empty; true when it did.
    @discardableResult
    func removeDirectoryIfEmpty(_ path: String) -> Bool
}

/// Why a path under a `FileTree`'s root could not be read or changed; `path` as given.
public enum FileTreeFailure: Error, Sendable, Equatable {
    case system(path: String, Errno)
    /// Not a regular file (a FIFO, a device, a directory, a link where none is
    /// followed): never opened for reading.
    case notRegularFile(path: String, FileKind)
    /// More than `limit` bytes.
    case tooLarge(path: String, limit: Int)
}

extension FileTree {
    public func read(_ path: String, limit: Int) throws(FileTreeFailure) -> [UInt8] {
        try read(path, limit: limit, followingLastLink: true)
    }

    public func makeDirectories(_ path: String) throws(FileTreeFailure) {
        try makeDirectories(path, mode: 0o755)
    }

    public func replaceFile(_ path: String, with bytes: [UInt8]) throws(FileTreeFailure) {
        try replaceFile(path, with: bytes, mode: 0o644)
    }
}
