import Glibc
import MPTCPKit
import Testing

/// One namespace, one identity, whichever way it is reached; and a namespace that
/// cannot be read says why. (Not root: the thread's own namespace file is readable.)
struct NamespaceIdentityTests {
    @Test func theThreadsNamespaceIsOneIdentityByNamePathAndDescriptor() throws {
        let byName = try NamespaceIdentity(netns: nil)
        #expect(try NamespaceIdentity(path: "/proc/thread-self/ns/net") == byName)
        #expect(try NamespaceIdentity(path: "/proc/self/ns/net") == byName)
        let fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(try NamespaceIdentity(descriptor: fd) == byName)
    }

    @Test func anotherFileIsAnotherIdentity() throws {
        #expect(try NamespaceIdentity(path: "/proc/thread-self/ns/uts") != NamespaceIdentity(netns: nil))
    }

    @Test func aNamespaceThatCannotBeReadSaysWhy() {
        let name = "mptcpctl-no-such-namespace-\(getpid())"
        #expect(throws: PathManagerError.namespace(.missing(name))) { try NamespaceIdentity(netns: name) }
        #expect(throws: Errno(rawValue: EBADF)) { try NamespaceIdentity(descriptor: -1) }
        #expect(throws: Errno.noSuchFileOrDirectory) { try NamespaceIdentity(path: "/proc/self/ns/no-such") }
    }
}
