import Glibc

/// Other programs that manage MPTCP endpoints (mptcpd; NetworkManager with its
/// per-connection mptcp-flags), found by their process name among the processes whose
/// network namespace is the one asked about. Two managers of one namespace undo each
/// other's endpoints.
public enum OtherManagers {
    /// A process that manages endpoints.
    public struct Process: Sendable, Equatable {
        public var pid: Int32
        public var name: String
    }

    /// The process names looked for.
    public static let names = ["mptcpd", "NetworkManager"]

    /// The managers running in the namespace whose inode is `namespace`.
    public static func running(inNamespace namespace: UInt64) -> [Process] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var found: [Process] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), let command = comm(pid), names.contains(command) else { continue }
            var info = stat()
            guard stat("/proc/\(pid)/ns/net", &info) == 0, UInt64(info.st_ino) == namespace else { continue }
            found.append(Process(pid: pid, name: command))
        }
        return found.sorted { $0.pid < $1.pid }
    }

    private static func comm(_ pid: Int32) -> String? {
        let fd = open("/proc/\(pid)/comm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).prefix { $0 != 10 }, as: UTF8.self)
    }
}
