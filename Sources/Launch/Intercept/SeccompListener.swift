import Glibc
import MPTCPKit

/// The kernel's side of `SocketSupervisor`: the seccomp listener `InterceptedLaunch`
/// handed over, and the calling threads as /proc shows them (their namespace, ids and
/// cgroups), entered and impersonated on the supervisor's own thread.
final class SeccompListener: SupervisorSystem {
    let listener: Int32
    let buffer: LaunchCalls.NotificationBuffer
    /// The network namespace this thread is in, as last entered (nil: unknown).
    var namespace: NamespaceIdentity?

    init(listener: Int32) throws(Errno) {
        self.listener = listener
        buffer = try LaunchCalls.NotificationBuffer()
        namespace = try? NamespaceIdentity(netns: nil)
    }

    func ownIdentity() throws(Errno) -> TaskIdentity {
        var groups = [gid_t](repeating: 0, count: Int(getgroups(0, nil)))
        let count = groups.withUnsafeMutableBufferPointer { getgroups(Int32($0.count), $0.baseAddress) }
        if count < 0 { throw .current }
        return TaskIdentity(fsuid: geteuid(), fsgid: getegid(), groups: Array(groups.prefix(Int(count))),
                            cgroups: TaskIdentity.ownCgroups() ?? "")
    }

    func nextCall() throws(Errno) -> SocketCall? {
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        while true {
            poller.revents = 0
            try Errno.retryOnInterrupt { poll(&poller, 1, -1) }
            if poller.revents & Int16(POLLIN) != 0 {
                do throws(Errno) { return try buffer.receive(listener) } catch {
                    // ENOENT: the caller went away (or was interrupted) before the read.
                    if error == .noSuchFileOrDirectory || error == .interrupted { continue }
                    throw error
                }
            }
            if poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return nil }
        }
    }

    func caller(_ thread: Int32) -> SocketCaller {
        let namespace = open("/proc/\(thread)/ns/net", O_RDONLY | O_CLOEXEC)
        return SocketCaller(namespace: namespace < 0 ? nil : namespace, identity: TaskIdentity.read(thread: thread))
    }

    func release(_ caller: SocketCaller) {
        if let namespace = caller.namespace { close(namespace) }
    }

    func isWaiting(_ call: SocketCall) -> Bool {
        LaunchCalls.isWaiting(listener, call.id)
    }

    func enterNamespace(of caller: SocketCaller) throws(Errno) {
        guard let target = caller.namespace else { throw .invalidArgument }
        // A namespace whose identity cannot be read is entered all the same.
        let wanted = try? NamespaceIdentity(descriptor: target)
        guard wanted == nil || wanted != namespace else { return }
        try ThreadNamespace.enter(target)
        namespace = wanted
    }

    func takeFileIDs(_ identity: TaskIdentity) throws(Errno) {
        try LaunchCalls.setThreadFileIDs(uid: identity.fsuid, gid: identity.fsgid, groups: identity.groups)
    }

    func makeSocket(family: Int32, type: Int32, protocol: Int32) -> Result<Int32, Errno> {
        // Close-on-exec here; the caller's flags are ADDFD's to set.
        let fd = socket(family, type | Int32(SOCK_CLOEXEC.rawValue), `protocol`)
        return fd >= 0 ? .success(fd) : .failure(.current)
    }

    func install(_ socket: Int32, answering call: SocketCall) throws(Errno) {
        defer { close(socket) }
        _ = try LaunchCalls.install(socket, answering: call.id, on: listener, closeOnExec: call.type & Int32(SOCK_CLOEXEC.rawValue) != 0)
    }

    func proceed(_ call: SocketCall) {
        try? buffer.proceed(listener, call.id)
    }

    func fail(_ call: SocketCall, with code: Errno) {
        try? buffer.fail(listener, call.id, with: code)
    }
}
