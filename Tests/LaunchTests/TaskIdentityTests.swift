import Foundation
import Glibc
@testable import Launch
import MPTCPKit
import Testing

/// The identity an intercepted socket is made with, read from /proc/TID/status.
struct TaskIdentityTests {
    static let status = """
        Name:\tbusybox
        Umask:\t0022
        State:\tS (sleeping)
        Uid:\t65534\t65534\t65534\t1000
        Gid:\t65534\t65534\t65534\t1001
        FDSize:\t64
        Groups:\t24 27 65534 
        NStgid:\t4242
        """

    @Test func theFileSystemIDsAndGroupsAreTheOnesTaken() {
        #expect(TaskIdentity.parse(status: Self.status, cgroups: "0::/")
            == TaskIdentity(fsuid: 1000, fsgid: 1001, groups: [24, 27, 65534], cgroups: "0::/"))
        let none = Self.status.replacingOccurrences(of: "Groups:\t24 27 65534 ", with: "Groups:\t")
        #expect(TaskIdentity.parse(status: none, cgroups: "")?.groups == [])
    }

    @Test(arguments: ["Uid:\t65534\t65534\t65534\t1000\n", "Gid:\t65534\t65534\t65534\t1001\n", "Groups:\t24 27 65534 \n"])
    func aStatusWithoutAnIDLineIsNoIdentity(_ line: String) {
        #expect(TaskIdentity.parse(status: Self.status.replacingOccurrences(of: line, with: ""), cgroups: "") == nil)
    }

    /// A thread in 3,000 groups, laid out as /proc lays it out in a folder: its status
    /// (about 21 KB) is read whole, every group kept, the last one too (a 16 KiB read
    /// kept about 2,300 and a bogus last one of the cut digits).
    @Test func aStatusOfThousandsOfGroupsIsReadWhole() throws {
        let proc = FileManager.default.temporaryDirectory.appendingPathComponent("proc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: proc) }
        try FileManager.default.createDirectory(atPath: proc + "/4242", withIntermediateDirectories: true)
        let groups = (0..<3000).map { gid_t(100_000 + $0) }
        let status = Self.status.replacingOccurrences(of: "Groups:\t24 27 65534 ", with: "Groups:\t" + groups.map { "\($0) " }.joined())
            + "\n" + String(repeating: "Padding:\t0\n", count: 10)
        #expect(status.utf8.count > 21_000)
        #expect(FileManager.default.createFile(atPath: proc + "/4242/status", contents: Data(status.utf8)))
        #expect(FileManager.default.createFile(atPath: proc + "/4242/cgroup", contents: Data("0::/user.slice\n".utf8)))
        let read = try #require(TaskIdentity.read(thread: 4242, proc: proc))
        // A failure shows the count and the last groups, not 3,000 numbers.
        let all = read.groups == groups
        #expect(all, "\(read.groups.count) groups, the last \(read.groups.suffix(2))")
        #expect(read.fsuid == 1000 && read.fsgid == 1001 && read.cgroups == "0::/user.slice")
        #expect(TaskIdentity.read(thread: 4243, proc: proc) == nil)
    }

    /// Read whole or not at all: a file longer than the limit is nothing, never its
    /// first part; without `whole`, the first part, as before.
    @Test func aFileLongerThanTheLimitIsNotReadWhole() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("whole-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(String(repeating: "1234567890", count: 10).utf8)))
        #expect(Sysctl.contents(of: path, limit: 100, whole: true)?.count == 100)
        #expect(Sysctl.contents(of: path, limit: 99, whole: true) == nil)
        #expect(Sysctl.contents(of: path, limit: 99) == String(repeating: "1234567890", count: 10).dropLast().description)
    }

    @Test func thisThreadReadsAsItself() throws {
        let own = try #require(TaskIdentity.read(thread: Int32(getpid())))
        #expect(own.fsuid == geteuid() && own.fsgid == getegid())
        #expect(own.cgroups == TaskIdentity.ownCgroups())
    }
}
