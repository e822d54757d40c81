import Glibc
import Netlink

/// Reads sysctls of the namespace the calling thread is in (procfs answers for the
/// opener's namespace, so call this while inside it).
public enum Sysctl {
    /// The trimmed value of /proc/sys/`key` ("net/mptcp/enabled"), nil if unreadable.
    public static func read(_ key: String) -> String? {
        contents(of: "/proc/sys/\(key)")
    }

    /// The trimmed text of a procfs file, up to `limit` bytes; nil if unreadable. With
    /// `whole`, nil too when the file holds more than `limit` bytes: never a cut text.
    package static func contents(of path: String, limit: Int = 256, whole: Bool = false) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: min(limit + (whole ? 1 : 0), 65536))
        while whole || bytes.count < limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += buffer.prefix(count)
            if whole, bytes.count > limit { return nil }
        }
        return String(decoding: bytes, as: UTF8.self).trimmingWhitespace
    }

    /// Calls `body` with each line of a procfs table (without its newline), read 64 KiB at
    /// a time: a table of any size (a router's million routes) is read to its end, never
    /// cut at a bound. False when the file cannot be opened or read (the lines given
    /// until then stand).
    @discardableResult
    package static func forEachLine(of path: String, _ body: (Substring) -> Void) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        var partial: [UInt8] = []
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return false }
            if count == 0 { break }
            var start = 0
            for index in 0..<count where buffer[index] == UInt8(ascii: "\n") {
                partial += buffer[start..<index]
                body(Substring(String(decoding: partial, as: UTF8.self)))
                partial.removeAll(keepingCapacity: true)
                start = index + 1
            }
            partial += buffer[start..<count]
        }
        if !partial.isEmpty { body(Substring(String(decoding: partial, as: UTF8.self))) }
        return true
    }

    /// The `net.mptcp.*` sysctls of the namespace the calling thread is in, by key.
    public static func mptcpSettings() -> [SysctlSetting] {
        Directory.entries("/proc/sys/net/mptcp").compactMap { key in
            guard !key.hasPrefix("."), let value = read("net/mptcp/\(key)") else { return nil }
            return SysctlSetting(key: key, value: value, writable: access("/proc/sys/net/mptcp/\(key)", W_OK) == 0)
        }
    }

    /// Writes `net.mptcp.KEY` of the namespace the calling thread is in.
    public static func writeMPTCP(_ key: String, _ value: String) throws(PathManagerError) {
        guard !key.contains("/"), !key.hasPrefix(".") else { throw .transport(.system(.invalidArgument, operation: "sysctl \(key)")) }
        let fd = open("/proc/sys/net/mptcp/\(key)", O_WRONLY | O_CLOEXEC)
        if fd < 0 { throw Self.failure(.current, key) }
        defer { close(fd) }
        let bytes = Array((value + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written != bytes.count { throw Self.failure(written < 0 ? .current : .ioError, key) }
    }

    /// A refused write, worded as the kernel refuses requests: a sysctl has no extack.
    private static func failure(_ code: Errno, _ key: String) -> PathManagerError {
        code.isPermissionFailure ? .permission(code, extack: nil) : .kernel(code, extack: nil)
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
