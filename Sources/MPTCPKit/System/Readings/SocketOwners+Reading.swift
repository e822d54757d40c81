import Glibc

extension SocketOwners {
    /// The processes holding each socket of `inodes`, found as `ss -p` finds them: by
    /// reading every `/proc/PID/fd/*` link and keeping those of the form
    /// `socket:[INODE]` whose inode is asked for, then the name of each process that
    /// holds one. Nothing is read when `inodes` is empty.
    ///
    /// What cannot be read is left out without a word: a process that ended meanwhile
    /// (ENOENT, ESRCH), a descriptor closed meanwhile, and the descriptors of another
    /// user's processes unless the caller may read them (EACCES: root, or
    /// CAP_SYS_PTRACE). Only the links are read; a name only for a process that holds
    /// an asked socket.
    public static func read(inodes: Set<UInt64>, proc: String = "/proc") -> SocketOwners {
        guard !inodes.isEmpty, let directory = opendir(proc) else { return SocketOwners() }
        defer { closedir(directory) }
        let procFD = dirfd(directory)
        var found: [UInt64: [Owner]] = [:]
        var held: [(inode: UInt64, fd: Int32)] = []
        while let entry = readdir(directory) {
            guard let pid = name(of: entry) else { continue }
            held.removeAll(keepingCapacity: true)
            descriptors(of: pid, in: procFD) { fd, inode in
                if inodes.contains(inode) { held.append((inode, fd)) }
            }
            // A process that ended before its name was read is left out with its sockets.
            guard !held.isEmpty, let name = Sysctl.contents(of: "\(proc)/\(pid)/comm") else { continue }
            for (inode, fd) in held { found[inode, default: []].append(Owner(pid: pid, name: name, fd: fd)) }
        }
        for inode in found.keys {
            found[inode]?.sort { ($0.pid, $0.fd) < ($1.pid, $1.fd) }
        }
        return SocketOwners(found)
    }

    /// Calls `each` with every descriptor of process `pid` that is a socket, and its
    /// inode; nothing when its descriptors cannot be read.
    private static func descriptors(of pid: Int32, in procFD: Int32, _ each: (Int32, UInt64) -> Void) {
        let fdDirectory = openat(procFD, "\(pid)/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fdDirectory >= 0 else { return }
        guard let descriptors = fdopendir(fdDirectory) else { close(fdDirectory); return }
        defer { closedir(descriptors) }
        // "socket:[" and up to 20 digits and "]" fit; a longer link is no socket's.
        var link = [UInt8](repeating: 0, count: 32)
        while let entry = readdir(descriptors) {
            guard let fd = name(of: entry) else { continue }
            let length = withNamePointer(entry) { name in
                link.withUnsafeMutableBufferPointer { bytes in
                    bytes.withMemoryRebound(to: CChar.self) { readlinkat(fdDirectory, name, $0.baseAddress!, $0.count) }
                }
            }
            guard length > 0, length < link.count else { continue }
            if let inode = socketInode(ofLink: link.prefix(length)) { each(fd, inode) }
        }
    }

    /// The inode of a descriptor's link text `socket:[INODE]`; nil for any other
    /// link (a file, a pipe, `anon_inode:…`) or a number that does not fit.
    public static func socketInode(ofLink link: some BidirectionalCollection<UInt8>) -> UInt64? {
        let prefix = "socket:[".utf8
        guard link.starts(with: prefix), link.last == UInt8(ascii: "]") else { return nil }
        return decimal(link.dropFirst(prefix.count).dropLast())
    }

    /// A directory entry's name read as a decimal number (a pid, a descriptor); nil
    /// for ".", ".." and any other name.
    private static func name(of entry: UnsafeMutablePointer<dirent>) -> Int32? {
        withUnsafeBytes(of: entry.pointee.d_name) { decimal($0.prefix { $0 != 0 }) }.flatMap { Int32(exactly: $0) }
    }

    /// Decimal digits as a number; nil when empty, not all digits, or too large.
    private static func decimal(_ digits: some Collection<UInt8>) -> UInt64? {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflow || carry { return nil }
            value = sum
        }
        return value
    }

    /// Lends the entry's name, as the C string it is, to `body`.
    private static func withNamePointer<T>(_ entry: UnsafeMutablePointer<dirent>, _ body: (UnsafePointer<CChar>) -> T) -> T {
        let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        return body(UnsafeRawPointer(entry).advanced(by: offset).assumingMemoryBound(to: CChar.self))
    }
}
