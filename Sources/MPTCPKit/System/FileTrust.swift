import Glibc
import Netlink

/// Whether a file may decide what a root daemon does: owned by root or by the user
/// running, and writable by its owner only (the rule sshd applies to key files), so
/// nobody else can rewrite the host's endpoints through it.
public enum FileTrust {
    public enum Problem: Error, Sendable, Equatable {
        /// Owned by a user the check does not trust.
        case foreignOwner(path: String, uid: UInt32)
        /// Writable by the group or by others: the mode's octal value.
        case writableByOthers(path: String, mode: UInt32)
        case cannotRead(path: String, Errno)
        /// Not a regular file (a FIFO, a device, a directory).
        case notRegularFile(path: String)
    }

    /// Throws the first reason the file at `path` cannot be trusted.
    public static func check(_ path: String) throws(Problem) {
        var info = stat()
        if stat(path, &info) != 0 { throw .cannotRead(path: path, .current) }
        if info.st_uid != 0, info.st_uid != geteuid() { throw .foreignOwner(path: path, uid: info.st_uid) }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 { throw .writableByOthers(path: path, mode: info.st_mode & 0o7777) }
    }

    /// Throws the first reason the regular file at `path`, a canonical path (no link,
    /// no '.' or '..'), cannot be trusted with root's own programs (a library root's
    /// services preload): it and every directory above it, `/` included, must be owned
    /// by root and writable by no group and no other, as sshd's StrictModes judges a
    /// root-owned path (a sticky directory such as /tmp is no exception). The file is
    /// judged as opened (a link in its place is refused), the directories as found.
    public static func checkRootOnly(_ path: String) throws(Problem) {
        let fd = open(path, HiddenSystemCalls.pathOnly | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw .cannotRead(path: path, .current) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw .cannotRead(path: path, .current) }
        if info.st_mode & S_IFMT != S_IFREG { throw .notRegularFile(path: path) }
        try judgeRootOnly(info, path)
        var directory = path
        while directory != "/" {
            let slash = directory.lastIndex(of: "/") ?? directory.startIndex
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
            if stat(directory, &info) != 0 { throw .cannotRead(path: directory, .current) }
            try judgeRootOnly(info, directory)
        }
    }

    private static func judgeRootOnly(_ info: stat, _ path: String) throws(Problem) {
        if info.st_uid != 0 { throw .foreignOwner(path: path, uid: info.st_uid) }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 { throw .writableByOthers(path: path, mode: info.st_mode & 0o7777) }
    }
}
