import Glibc
import Netlink

/// Whether a file may decide what root does, checked as sshd's StrictModes checks key
/// files, on the file opened rather than on its name: a regular file owned by a trusted
/// user, writable by its owner only, below directories owned by a trusted user that
/// nobody else may write, from the file's directory up to `/`. Two policies
/// (`Policy`): a file that decides the host's endpoints (`sync`, `apply`, `-b`) may be
/// root's or the caller's, below a sticky directory such as /tmp (there only an entry's
/// owner may replace it, and the entry is checked); a library root's services preload
/// must be root's, up to `/`, with no exception. A file read is read from the
/// descriptor checked, so a file swapped in after the check is never read.
public enum FileTrust {
    /// Whom a file and the directories above it may belong to, and whether a sticky
    /// directory that others may write is accepted above it.
    public struct Policy: Sendable, Equatable {
        /// Besides root, the user running (its effective uid).
        public var trustsCaller: Bool
        public var acceptsStickyDirectories: Bool

        /// A file that decides the host's endpoints.
        public static let decidesEndpoints = Policy(trustsCaller: true, acceptsStickyDirectories: true)
        /// A file root's own programs load: root's alone, no exception.
        public static let rootOnly = Policy(trustsCaller: false, acceptsStickyDirectories: false)
    }

    public enum Problem: Error, Sendable, Equatable {
        /// Owned by a user the check does not trust.
        case foreignOwner(path: String, uid: UInt32)
        /// Writable by the group or by others: the mode's octal value.
        case writableByOthers(path: String, mode: UInt32)
        /// A directory above the file is owned by a user the policy does not trust, who
        /// could put another file in its place.
        case foreignDirectory(path: String, uid: UInt32)
        /// A directory above the file, not sticky, is writable by the group or others.
        case writableDirectory(path: String, mode: UInt32)
        /// Not a regular file (a FIFO, a device, a directory…): its `st_mode`.
        case notRegular(path: String, mode: UInt32)
        /// Larger than `limit` bytes.
        case tooLarge(path: String, size: Int, limit: Int)
        /// The path no longer names the file opened: it was moved or replaced while
        /// being checked.
        case replaced(path: String)
        case cannotRead(path: String, Errno)
    }

    /// What a file that decides the host's endpoints may weigh (a state file of
    /// thousands of namespaces is a few MiB).
    public static let sizeLimit = 16 << 20

    /// The contents of `path`, opened, checked and read from one descriptor, at most
    /// `limit` bytes; the first reason it cannot be trusted is thrown.
    public static func read(_ path: String, limit: Int = sizeLimit) throws(Problem) -> [UInt8] {
        let fd = try open(path)
        defer { close(fd) }
        return try read(fd, path: path, limit: limit)
    }

    /// Opens `path` for reading and checks the file opened and every directory above
    /// it; returns the descriptor, which the caller closes.
    public static func open(_ path: String) throws(Problem) -> Int32 {
        // Non-blocking, so that a FIFO does not hang the open; regular files ignore it.
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        if fd < 0 { throw .cannotRead(path: path, .current) }
        do throws(Problem) {
            try check(fd, path: path)
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Checks the open file `fd` (opened by the name `path`) and the directories above
    /// it, by `policy`.
    public static func check(_ fd: Int32, path: String, policy: Policy = .decidesEndpoints) throws(Problem) {
        var file = stat()
        if fstat(fd, &file) != 0 { throw .cannotRead(path: path, .current) }
        if file.st_mode & S_IFMT != S_IFREG { throw .notRegular(path: path, mode: file.st_mode) }
        if !policy.trusts(file.st_uid) { throw .foreignOwner(path: path, uid: file.st_uid) }
        if file.st_mode & (S_IWGRP | S_IWOTH) != 0 { throw .writableByOthers(path: path, mode: file.st_mode & 0o7777) }
        try checkDirectories(above: fd, file: file, path: path, policy: policy)
    }

    /// Reads `fd` whole, at most `limit` bytes.
    public static func read(_ fd: Int32, path: String, limit: Int = sizeLimit) throws(Problem) -> [UInt8] {
        do throws(FileContents.Failure) { return try FileContents.read(fd, limit: limit) } catch {
            switch error {
            case let .read(code): throw .cannotRead(path: path, code)
            case let .tooLarge(size): throw .tooLarge(path: path, size: size, limit: limit)
            }
        }
    }

    /// Walks from / down to the file's directory (by the path the kernel gives the open
    /// file, each step without following links), checking each directory, then checks
    /// that the last one still holds the file opened: the chain checked leads to it.
    private static func checkDirectories(above fd: Int32, file: stat, path: String, policy: Policy) throws(Problem) {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        if length < 0 { throw .cannotRead(path: path, .current) }
        let real = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // A file removed since it was opened reads "/dir/name (deleted)"; one outside
        // this mount namespace's root has no path from /.
        guard real.hasPrefix("/"), !real.hasSuffix(" (deleted)") else { throw .replaced(path: path) }
        var components = real.split(separator: "/").map(String.init)
        guard let name = components.popLast() else { throw .replaced(path: path) }
        var directory: Int32
        do throws(Errno) { directory = try HiddenSystemCalls.openDirectoryPath("/") } catch { throw .cannotRead(path: "/", error) }
        defer { close(directory) }
        var walked = ""
        try checkDirectory(directory, path: "/", policy: policy)
        for component in components {
            walked += "/" + component
            let next: Int32
            do throws(Errno) { next = try HiddenSystemCalls.openDirectoryPath(component, under: directory) } catch {
                switch error.rawValue {
                // Gone, or made a link, since the file was opened.
                case ENOENT, ENOTDIR, ELOOP: throw .replaced(path: path)
                default: throw .cannotRead(path: walked, error)
                }
            }
            close(directory)
            directory = next
            try checkDirectory(directory, path: walked, policy: policy)
        }
        var named = stat()
        guard fstatat(directory, name, &named, AT_SYMLINK_NOFOLLOW) == 0, named.st_dev == file.st_dev, named.st_ino == file.st_ino
        else { throw .replaced(path: path) }
    }

    private static func checkDirectory(_ fd: Int32, path: String, policy: Policy) throws(Problem) {
        var info = stat()
        if fstat(fd, &info) != 0 { throw .cannotRead(path: path, .current) }
        if !policy.trusts(info.st_uid) { throw .foreignDirectory(path: path, uid: info.st_uid) }
        if info.st_mode & (S_IWGRP | S_IWOTH) != 0, !(policy.acceptsStickyDirectories && info.st_mode & S_ISVTX != 0) {
            throw .writableDirectory(path: path, mode: info.st_mode & 0o7777)
        }
    }

    /// Throws the first reason the regular file at `path` cannot be trusted with root's
    /// own programs (a library root's services preload), by `Policy.rootOnly`: the file
    /// as opened (a link in its place is refused) and every directory above it.
    public static func checkRootOnly(_ path: String) throws(Problem) {
        let fd = Glibc.open(path, HiddenSystemCalls.pathOnly | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 { throw .cannotRead(path: path, .current) }
        defer { close(fd) }
        try check(fd, path: path, policy: .rootOnly)
    }
}

extension FileTrust.Policy {
    func trusts(_ uid: uid_t) -> Bool { uid == 0 || (trustsCaller && uid == geteuid()) }
}
