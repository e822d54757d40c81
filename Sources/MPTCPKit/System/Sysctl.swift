import Glibc

/// Reads sysctls of the namespace the calling thread is in (procfs answers for the
/// opener's namespace, so call this while inside it).
public enum Sysctl {
    /// The trimmed value of /proc/sys/`key` ("net/mptcp/enabled"), nil if unreadable.
    public static func read(_ key: String) -> String? {
        contents(of: "/proc/sys/\(key)")
    }

    /// The trimmed text of a procfs file, up to `limit` bytes; nil if unreadable.
    static func contents(of path: String, limit: Int = 256) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: min(limit, 65536))
        while bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += buffer.prefix(count)
        }
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace
    }

    /// `net.mptcp.enabled`: nil when unreadable.
    public static func mptcpEnabled() -> Bool? {
        read("net/mptcp/enabled").map { $0 != "0" }
    }

    /// The namespace's path manager: `net.mptcp.path_manager` (Linux 6.15+), or
    /// `net.mptcp.pm_type` before; nil when neither can be read.
    public static func pathManager() -> PathManagerKind? {
        if let name = read("net/mptcp/path_manager") {
            switch name {
            case "kernel": return .kernel
            case "userspace": return .userspace
            default: return .other(name)
            }
        }
        return read("net/mptcp/pm_type").map { $0 == "1" ? .userspace : .kernel }
    }
}

extension String {
    var trimmingWhitespace: String {
        var scalars = Substring(self)
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        return String(scalars)
    }
}
