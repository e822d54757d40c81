import Foundation
import MPTCPKit
import Testing

/// Which processes hold a socket, read from /proc as `ss -p` reads it: the link text
/// of a descriptor, a process table laid out in a folder (races and all), and this
/// test process's own socket in the real /proc.
struct SocketOwnersTests {
    @Test(arguments: [
        ("socket:[123]", UInt64(123)), ("socket:[0]", 0), ("socket:[18446744073709551615]", UInt64.max),
        ("socket:[18446744073709551616]", nil), ("socket:[]", nil), ("socket:[12a]", nil), ("socket:[12", nil),
        ("socket:12]", nil), ("pipe:[123]", nil), ("anon_inode:[eventpoll]", nil), ("/dev/null", nil),
        ("socket:[-1]", nil), ("socket:[ 1]", nil), ("", nil),
    ] as [(String, UInt64?)])
    func aLinkIsASocketsWhenItSaysSo(link: String, inode: UInt64?) {
        #expect(SocketOwners.socketInode(ofLink: Array(link.utf8)) == inode)
    }

    /// A process table as /proc lays it out, in a folder: 123 (curl) and 124 (sh) share
    /// socket 777; 125 holds another socket and a file; 126 has ended (no fd folder);
    /// 127 ended between its descriptors and its name; "self" is no process.
    @Test func aProcessTableInAFolder() throws {
        let proc = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: proc) }
        func process(_ pid: String, comm: String?, links: [String: String]) throws {
            try FileManager.default.createDirectory(atPath: "\(proc)/\(pid)/fd", withIntermediateDirectories: true)
            if let comm { #expect(FileManager.default.createFile(atPath: "\(proc)/\(pid)/comm", contents: Data((comm + "\n").utf8))) }
            for (fd, target) in links { #expect(symlink(target, "\(proc)/\(pid)/fd/\(fd)") == 0) }
        }
        try process("123", comm: "curl", links: ["0": "/dev/null", "5": "socket:[777]", "7": "socket:[778]"])
        try process("124", comm: "sh", links: ["3": "socket:[777]", "10": "socket:[777]"])
        try process("125", comm: "mptcp-peer-with", links: ["4": "socket:[900]", "5": "/tmp/file"])
        try FileManager.default.createDirectory(atPath: "\(proc)/126", withIntermediateDirectories: true)
        try process("127", comm: nil, links: ["4": "socket:[777]"])
        try process("self", comm: "x", links: ["4": "socket:[777]"])

        let owners = SocketOwners.read(inodes: [777, 900, 555], proc: proc)
        #expect(owners[inode: 777] == [SocketOwners.Owner(pid: 123, name: "curl", fd: 5), SocketOwners.Owner(pid: 124, name: "sh", fd: 3),
                                       SocketOwners.Owner(pid: 124, name: "sh", fd: 10)])
        #expect(owners[inode: 900] == [SocketOwners.Owner(pid: 125, name: "mptcp-peer-with", fd: 4)])
        #expect(owners[inode: 778] == [], "not asked for")
        #expect(owners[inode: 555] == [])
        #expect(owners[inode: 0] == [])
        #expect(SocketOwners.read(inodes: [], proc: proc) == SocketOwners())
        #expect(SocketOwners.read(inodes: [777], proc: proc + "/nowhere") == SocketOwners())
    }

    /// The kernel keeps 15 bytes of a name: a longer one matches by those.
    @Test func namesMatchAsTheKernelKeepsThem() {
        let owner = SocketOwners.Owner(pid: 1, name: "mptcp-peer-with", fd: 3)
        #expect(owner.isNamed("mptcp-peer-with"))
        #expect(owner.isNamed("mptcp-peer-with-a-long-name"))
        #expect(!owner.isNamed("mptcp-peer-wit"))
        #expect(!owner.isNamed("MPTCP-peer-with"))
        #expect(!SocketOwners.Owner(pid: 1, name: "curl", fd: 3).isNamed("cur"))
    }

    /// A socket this process holds, found in the real /proc under its pid and name.
    @Test func thisProcesssOwnSocket() throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var status = stat()
        try #require(fstat(fd, &status) == 0)
        let name = try String(contentsOfFile: "/proc/self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
        let owners = SocketOwners.read(inodes: [UInt64(status.st_ino)])
        #expect(owners[inode: UInt32(status.st_ino)] == [SocketOwners.Owner(pid: getpid(), name: name, fd: fd)])
    }
}
