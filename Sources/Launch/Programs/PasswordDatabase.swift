import Glibc
import MPTCPKit

/// Users and their groups as the system's name service knows them (files, LDAP,
/// systemd…), asked of `getent`: mptcpctl is a static binary, and the C library's
/// getpwnam and initgroups load NSS modules with the dynamic loader it lacks (a user
/// not in /etc/passwd crashed it, asked through `systemd`'s module).
public enum PasswordDatabase {
    public struct Account: Sendable, Equatable {
        public let name: String
        public let uid: uid_t
        public let gid: gid_t
        public let home: String
        /// Every group the user is in, its own first (what initgroups would set).
        public let groups: [gid_t]

        public init(name: String, uid: uid_t, gid: gid_t, home: String, groups: [gid_t]) {
            self.name = name
            self.uid = uid
            self.gid = gid
            self.home = home
            self.groups = groups
        }
    }

    /// The user named `user` (a name, or a uid in decimal); nil when there is none.
    /// Throws when `getent` cannot be run.
    public static func account(_ user: String) throws(Errno) -> Account? {
        guard let entry = try getent("passwd", user), let account = parse(passwd: entry) else { return nil }
        // `getent initgroups NAME` prints the name, then the supplementary groups.
        let groups = try getent("initgroups", account.name).map { line in
            line.split(whereSeparator: { $0 == " " || $0 == "\n" }).dropFirst().compactMap { gid_t($0) }
        } ?? []
        return Account(name: account.name, uid: account.uid, gid: account.gid, home: account.home,
                       groups: [account.gid] + groups.filter { $0 != account.gid })
    }

    /// A line of passwd(5): name:password:uid:gid:gecos:home:shell.
    public static func parse(passwd line: String) -> Account? {
        let fields = line.split(separator: "\n").first.map { $0.split(separator: ":", omittingEmptySubsequences: false) } ?? []
        guard fields.count >= 7, let uid = uid_t(fields[2]), let gid = gid_t(fields[3]) else { return nil }
        return Account(name: String(fields[0]), uid: uid, gid: gid, home: String(fields[5]), groups: [gid])
    }

    /// What `getent DATABASE KEY` prints; nil when it finds nothing (exit 2).
    private static func getent(_ database: String, _ key: String) throws(Errno) -> String? {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw Errno.current }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDOUT_FILENO)
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        let words: [String] = ["getent", database, "--", key]
        var argv = words.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "getent", &actions, nil, argv, environ)
        close(pipeEnds[1])
        defer { close(pipeEnds[0]) }
        guard spawned == 0 else { throw Errno(rawValue: spawned) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            guard let count = try? Errno.retryOnInterrupt({ read(pipeEnds[0], &chunk, chunk.count) }), count > 0 else { break }
            output += chunk[..<count]
        }
        // Exited, with status 0: found.
        guard (try? ChildProcess.wait(pid)) == .exited(0) else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}
