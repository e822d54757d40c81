import Glibc
import Netlink

/// Whether a file may decide what a root daemon does: owned by root or by the user
/// running, and writable by its owner only (the rule sshd applies to key files), so
/// nobody else can rewrite the host's endpoints through it.
public enum FileTrust {
    public enum Problem: Error, Sendable, Equatable {
        /// Owned by a user other than root and the one running.
        case foreignOwner(path: String, uid: UInt32)
        /// Writable by the group or by others: the mode's octal value.
        case writableByOthers(path: String, mode: UInt32)
        case cannotRead(path: String, Errno)
    }

    /// Throws the first reason the file at `path` cannot be trusted.
    public static func check(_ path: String) throws(Problem) {
        var info = stat()
        if stat(path, &info) != 0 { throw .cannotRead(path: path, .current) }
        if info.st_uid != 0, info.st_uid != geteuid() { throw .foreignOwner(path: path, uid: info.st_uid) }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0 { throw .writableByOthers(path: path, mode: info.st_mode & 0o7777) }
    }
}
