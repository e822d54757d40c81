import Glibc

extension OtherManager {
    /// The managers running in the namespace the calling thread is in: processes named
    /// NetworkManager or mptcpd whose network namespace is this thread's.
    public static func running() -> [OtherManager] {
        var here = stat()
        guard stat("/proc/thread-self/ns/net", &here) == 0, let proc = opendir("/proc") else { return [] }
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
            guard stat("/proc/\(pid)/ns/net", &theirs) == 0, theirs.st_ino == here.st_ino, theirs.st_dev == here.st_dev else { continue }
            found.append(OtherManager(program: program, pid: pid))
        }
        return found.sorted { $0.pid < $1.pid }
    }
}
