import Glibc
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

    @Test func thisThreadReadsAsItself() throws {
        let own = try #require(TaskIdentity.read(thread: Int32(getpid())))
        #expect(own.fsuid == geteuid() && own.fsgid == getegid())
        #expect(own.cgroups == TaskIdentity.ownCgroups())
    }
}
