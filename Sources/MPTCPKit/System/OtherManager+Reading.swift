import Glibc

extension OtherManager {
    /// The managers running in the namespace whose (nsfs) inode is `namespace` (nil: the
    /// calling thread's): processes named NetworkManager or mptcpd whose network
    /// namespace is that one. Two managers of one namespace undo each other's endpoints.
    public static func running(inNamespace namespace: UInt64? = nil) -> [OtherManager] {
        var here = stat()
        guard let inode = namespace ?? (stat("/proc/thread-self/ns/net", &here) == 0 ? UInt64(here.st_ino) : nil),
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
            var theirs = stat()
            guard stat("/proc/\(pid)/ns/net", &theirs) == 0, UInt64(theirs.st_ino) == inode else { continue }
            found.append(OtherManager(program: program, pid: pid))
        }
        return found.sorted { $0.pid < $1.pid }
    }
}
