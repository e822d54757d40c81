import Glibc
import MPTCPKit

/// Who a thread is, for the sockets made in its name (`SocketSupervisor`): its fsuid,
/// fsgid and groups (what a socket takes from its creator: the owner `ss -e` shows and
/// `iptables -m owner` matches) and its cgroups (what cgroup firewalls and BPF see).
public struct TaskIdentity: Sendable, Equatable {
    public var fsuid: uid_t
    public var fsgid: gid_t
    public var groups: [gid_t]
    /// /proc/TID/cgroup as read: one line per hierarchy.
    public var cgroups: String

    public init(fsuid: uid_t, fsgid: gid_t, groups: [gid_t], cgroups: String) {
        self.fsuid = fsuid
        self.fsgid = fsgid
        self.groups = groups
        self.cgroups = cgroups
    }

    /// The most a /proc/TID/status or cgroup file is read to: a status with the most
    /// groups a task can have (NGROUPS_MAX, 65,536 of up to 10 digits and a space) is
    /// about 720 KiB. A file longer than this, or one that cannot be read to its end, is
    /// no identity: a cut group list would give a socket the groups before the cut and a
    /// bogus one of the cut digits.
    static let fileLimit = 1 << 20

    /// Thread `thread`'s identity from its status and cgroup files in `proc` (/proc: the
    /// thread id in this pid namespace), each read whole; nil when it is gone or a file
    /// cannot be read whole.
    public static func read(thread: Int32, proc: String = "/proc") -> TaskIdentity? {
        guard let status = Sysctl.contents(of: "\(proc)/\(thread)/status", limit: fileLimit, whole: true),
              let cgroups = Sysctl.contents(of: "\(proc)/\(thread)/cgroup", limit: fileLimit, whole: true) else { return nil }
        return parse(status: status, cgroups: cgroups)
    }

    /// The calling thread's cgroups, to compare with a target's.
    public static func ownCgroups() -> String? {
        Sysctl.contents(of: "/proc/thread-self/cgroup", limit: fileLimit, whole: true)
    }

    /// The ids of a /proc status text: the fourth field of `Uid:` and `Gid:` (the file
    /// system ids) and `Groups:`.
    public static func parse(status: String, cgroups: String) -> TaskIdentity? {
        var fsuid: uid_t?
        var fsgid: gid_t?
        var groups: [gid_t]?
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            switch fields.first {
            case "Uid:": if fields.count == 5 { fsuid = uid_t(fields[4]) }
            case "Gid:": if fields.count == 5 { fsgid = gid_t(fields[4]) }
            case "Groups:":
                let numbers = fields.dropFirst().compactMap { gid_t($0) }
                if numbers.count == fields.count - 1 { groups = numbers }
            default: break
            }
        }
        guard let fsuid, let fsgid, let groups else { return nil }
        return TaskIdentity(fsuid: fsuid, fsgid: fsgid, groups: groups, cgroups: cgroups)
    }
}
