import Glibc

/// Reads sysctls of the namespace the calling thread is in (procfs answers for the
/// opener's namespace, so call this while inside it).
public enum Sysctl {
    /// The trimmed value of /proc/sys/`key` ("net/mptcp/enabled"), nil if unreadable.
    public static func read(_ key: String) -> String? {
        let fd = open("/proc/sys/\(key)", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self)
        return text.trimmingWhitespace
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
