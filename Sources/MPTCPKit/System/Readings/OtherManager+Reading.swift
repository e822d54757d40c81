import Glibc

extension OtherManager {
    /// The managers running in namespace `namespace` (nil: the calling thread's):
    /// processes named NetworkManager or mptcpd whose network namespace is that one.
    /// Two managers of one namespace undo each other's endpoints. None when the
    /// thread's own namespace or /proc cannot be read.
    public static func running(inNamespace namespace: NamespaceIdentity? = nil) -> [OtherManager] {
        guard let identity = namespace ?? (try? NamespaceIdentity(netns: nil)),
              let proc = opendir("/proc") else { return [] }
        defer { closedir(proc) }
        var found: [OtherManager] = []
        while let entry = readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name) else { continue }
            let program: Program
            switch Sysctl.contents(of: "/proc/\(pid)/comm") {
            case "NetworkManager": program = .networkManager
            case "mptcpd": program = .mptcpd
            default: continue
            }
            guard (try? NamespaceIdentity(path: "/proc/\(pid)/ns/net")) == identity else { continue }
            found.append(OtherManager(program: program, pid: pid))
        }
        return found.sorted { $0.pid < $1.pid }
    }
}
