import Glibc
import MPTCPKit

/// A directory read and changed as a root of its own: an image, a container's root, or
/// `/`. Every path given is resolved inside it by openat2(2) with RESOLVE_IN_ROOT |
/// RESOLVE_NO_MAGICLINKS: `/`, `..` and absolute links stay inside, as systemd resolves
/// them under `--root`, and /proc's magic links are refused. A file is written under a
/// temporary name in its directory, created without following a link, and renamed over
/// the old one; directories are made one at a time, each inside the root. Paths are
/// absolute, as the root's own programs see them (`/etc/systemd/system`).
public final class RootDirectory: FileTree {
    private static let pathOnly = LaunchCalls.pathOnly

    /// The root as it was given.
    public let path: String
    private let descriptor: Int32

    /// Opens `path` as a root; it must be a directory.
    public init(_ path: String) throws(Errno) {
        let descriptor = Glibc.open(path, Self.pathOnly | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 { throw .current }
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// What `path` names: its last link followed or not; nil when nothing (or nothing
    /// that can be reached) is there.
    public func kind(of path: String, followingLinks: Bool) -> FileKind? {
        guard let fd = try? open(path, Self.pathOnly | (followingLinks ? 0 : O_NOFOLLOW)) else { return nil }
        defer { close(fd) }
        var status = stat()
        return fstat(fd, &status) == 0 ? Self.kind(status) : nil
    }

    /// The text of the link at `path`; nil when it is no link.
    public func linkTarget(_ path: String) -> String? {
        guard let fd = try? open(path, Self.pathOnly | O_NOFOLLOW) else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
        // An empty path reads the link the descriptor itself stands for.
        let count = buffer.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { readlinkat(fd, "", $0.baseAddress!, $0.count) }
        }
        return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// The names in the directory `path`, sorted; empty when it cannot be read.
    public func entries(_ path: String) -> [String] {
        guard let fd = try? open(path, O_RDONLY | O_DIRECTORY) else { return [] }
        guard let handle = fdopendir(fd) else {
            close(fd)
            return []
        }
        return Directory.entries(handle)
    }

    /// The bytes of the regular file at `path`, at most `limit` of them. Anything else is
    /// refused before it is opened for reading: a FIFO would block, a device could be
    /// endless or act when opened (a watchdog). With `followingLastLink` false, a link
    /// in the last place is refused too.
    public func read(_ path: String, limit: Int, followingLastLink: Bool) throws(FileTreeFailure) -> [UInt8] {
        let found: Int32
        do throws(Errno) { found = try open(path, Self.pathOnly | (followingLastLink ? 0 : O_NOFOLLOW)) } catch {
            throw .system(path: path, error)
        }
        defer { close(found) }
        var status = stat()
        if fstat(found, &status) != 0 { throw .system(path: path, .current) }
        let kind = Self.kind(status)
        guard kind == .regular else { throw .notRegularFile(path: path, kind) }
        if status.st_size > limit { throw .tooLarge(path: path, limit: limit) }
        // The very file looked at, opened for reading through its descriptor's own link.
        let fd = Glibc.open("/proc/self/fd/\(found)", O_RDONLY | O_CLOEXEC | O_NOCTTY)
        if fd < 0 { throw .system(path: path, .current) }
        defer { close(fd) }
        // It may grow while it is read.
        do throws(FileContents.Failure) { return try FileContents.read(fd, limit: limit) } catch {
            switch error {
            case let .read(code): throw .system(path: path, code)
            case .tooLarge: throw .tooLarge(path: path, limit: limit)
            }
        }
    }

    /// Makes the directory `path` and those above it that are missing (mode `mode`), each
    /// made in its parent as found inside the root; one that exists must be a directory
    /// there (a link to one inside the root counts).
    public func makeDirectories(_ path: String, mode: mode_t) throws(FileTreeFailure) {
        var current = "/"
        var parent: Int32
        do throws(Errno) { parent = try open(current, Self.pathOnly | O_DIRECTORY) } catch { throw .system(path: current, error) }
        defer { close(parent) }
        for name in path.split(separator: "/") {
            current += (current == "/" ? "" : "/") + name
            if mkdirat(parent, String(name), mode) != 0, errno != EEXIST { throw .system(path: current, .current) }
            close(parent)
            do throws(Errno) { parent = try open(current, Self.pathOnly | O_DIRECTORY) } catch {
                parent = -1
                throw .system(path: current, error)
            }
        }
    }

    /// Replaces the file at `path` with `bytes` (mode `mode`): a reader sees the old file
    /// or the new one, never a part, and whatever stood at `path` (a link too) is
    /// replaced, never followed. The new file is made with O_EXCL | O_NOFOLLOW under a
    /// temporary name in the same directory, written, synced, and renamed over `path`.
    public func replaceFile(_ path: String, with bytes: [UInt8], mode: mode_t) throws(FileTreeFailure) {
        let (directory, name) = try Self.split(path)
        let parent: Int32
        do throws(Errno) { parent = try open(directory, Self.pathOnly | O_DIRECTORY) } catch { throw .system(path: directory, error) }
        defer { close(parent) }
        var temporary = "", fd: Int32 = -1
        for _ in 0..<100 {
            temporary = ".\(name).\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
            fd = openat(parent, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 { throw .system(path: path, .current) }
        var failure: Errno?
        var offset = 0
        while failure == nil, offset < bytes.count {
            do throws(Errno) {
                let written = try Errno.retryOnInterrupt { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) } }
                offset += written
            } catch {
                failure = error
            }
        }
        // The umask does not decide the mode.
        if failure == nil, fchmod(fd, mode) != 0 { failure = .current }
        if failure == nil, fsync(fd) != 0 { failure = .current }
        if close(fd) != 0, failure == nil { failure = .current }
        if failure == nil, renameat(parent, temporary, parent, name) != 0 { failure = .current }
        if let failure {
            unlinkat(parent, temporary, 0)
            throw .system(path: path, failure)
        }
    }

    /// Removes the file (or link) at `path`, never what a link points to.
    public func removeFile(_ path: String) throws(FileTreeFailure) {
        try remove(path, flags: 0)
    }

    /// Removes the directory `path` when it is empty; true when it did.
    @discardableResult
    public func removeDirectoryIfEmpty(_ path: String) -> Bool {
        (try? remove(path, flags: AT_REMOVEDIR)) != nil
    }

    private func remove(_ path: String, flags: Int32) throws(FileTreeFailure) {
        let (directory, name) = try Self.split(path)
        let parent: Int32
        do throws(Errno) { parent = try open(directory, Self.pathOnly | O_DIRECTORY) } catch { throw .system(path: directory, error) }
        defer { close(parent) }
        if unlinkat(parent, name, flags) != 0 { throw .system(path: path, .current) }
    }

    /// `path` opened inside the root (close-on-exec).
    private func open(_ path: String, _ flags: Int32) throws(Errno) -> Int32 {
        try LaunchCalls.openInRoot(descriptor, path, flags: flags | O_CLOEXEC)
    }

    /// The directory of `path` and its last name, which must be a name ("", "." and
    /// ".." are not).
    private static func split(_ path: String) throws(FileTreeFailure) -> (directory: String, name: String) {
        let slash = path.lastIndex(of: "/")
        let name = String(slash.map { path[path.index(after: $0)...] } ?? path[...])
        guard !name.isEmpty, name != ".", name != ".." else { throw .system(path: path, .invalidArgument) }
        let directory = slash.map { String(path[..<$0]) } ?? ""
        return (directory.isEmpty ? "/" : directory, name)
    }

    /// What a stat(2) result says is there.
    static func kind(_ status: stat) -> FileKind {
        switch status.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        case S_IFBLK: return .blockDevice
        case S_IFCHR:
            // Linux's encoding of a device number (glibc's gnu_dev_major and gnu_dev_minor).
            let device = UInt64(status.st_rdev)
            return .characterDevice(major: UInt32(truncatingIfNeeded: ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)),
                                    minor: UInt32(truncatingIfNeeded: (device & 0xff) | ((device >> 12) & ~0xff)))
        default: return .unknown
        }
    }
}
