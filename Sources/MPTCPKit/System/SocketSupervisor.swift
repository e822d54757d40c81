import Glibc
import Netlink

/// The supervisor of a program started by `InterceptedLaunch`: answers the TCP socket() calls CMD's tree makes
/// under the seccomp filter of `InterceptedLaunch` with MPTCP sockets made in the
/// caller's name (its network namespace, fsuid, fsgid and groups), until no task is left
/// under the filter.
///
/// A socket is only made here when it would be the caller's own in the kernel's eyes. When
/// it cannot be (the caller is in another cgroup, or out of sight), the call goes on as
/// the caller made it, a TCP socket, and the reason is reported; with no fallback it fails
/// with EPERM instead, never a TCP socket behind the user's back. When the kernel refuses
/// MPTCP, the rules of the preload library hold: TCP, or with no fallback the kernel's errno.
public struct SocketSupervisor {
    /// Why a call was not answered with an MPTCP socket.
    public enum Reason: Sendable, Equatable {
        /// The caller's thread is not visible in this pid namespace.
        case notVisible
        /// The caller's /proc files could not be read.
        case unreadable
        /// The caller is in other cgroups than the supervisor: a socket made here would
        /// carry the supervisor's.
        case otherCgroup
        /// The caller's network namespace could not be entered.
        case cannotEnterNamespace(Errno)
        /// The caller's fsuid, fsgid or groups could not be taken.
        case cannotTakeIdentity(Errno)
    }

    /// One call left to TCP (`fellBack`) or failed, and why.
    public struct Report: Sendable, Equatable {
        public let thread: Int32
        public let reason: Reason
        public let fellBack: Bool
    }

    let listener: Int32
    let fallback: Bool
    let buffer: HiddenSystemCalls.NotificationBuffer
    let ownIdentity: TaskIdentity

    /// A supervisor of `listener`; `fallback` false fails the calls it cannot make MPTCP.
    public init(listener: Int32, fallback: Bool) throws(Errno) {
        self.listener = listener
        self.fallback = fallback
        buffer = try HiddenSystemCalls.NotificationBuffer()
        var groups = [gid_t](repeating: 0, count: Int(getgroups(0, nil)))
        let count = groups.withUnsafeMutableBufferPointer { getgroups(Int32($0.count), $0.baseAddress) }
        if count < 0 { throw .current }
        ownIdentity = TaskIdentity(fsuid: geteuid(), fsgid: getegid(), groups: Array(groups.prefix(Int(count))),
                                   cgroups: TaskIdentity.ownCgroups() ?? "")
    }

    /// The supervisor `InterceptedLaunch` started this process to be: on the listener it
    /// handed over, and once made, says it is ready (one byte on the pipe it waits on).
    public static func handedOver(fallback: Bool) throws(Errno) -> SocketSupervisor {
        let supervisor = try SocketSupervisor(listener: HiddenSystemCalls.supervisorListener, fallback: fallback)
        var byte: UInt8 = 1
        _ = write(HiddenSystemCalls.supervisorReady, &byte, 1)
        close(HiddenSystemCalls.supervisorReady)
        return supervisor
    }

    /// Answers calls until the last task under the filter has gone (the listener hangs up).
    public func run(reporting report: (Report) -> Void) throws(Errno) {
        var namespace = NetworkNamespace.identity(of: "/proc/thread-self/ns/net")
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        while true {
            poller.revents = 0
            if poll(&poller, 1, -1) < 0 {
                if Errno.current == .interrupted { continue }
                throw .current
            }
            if poller.revents & Int16(POLLIN) != 0 {
                let call: HiddenSystemCalls.SocketCall
                do throws(Errno) { call = try buffer.receive(listener) } catch {
                    // ENOENT: the caller went away (or was interrupted) before the read.
                    if error == .noSuchFileOrDirectory || error == .interrupted { continue }
                    throw error
                }
                if let reason = answer(call, namespace: &namespace) {
                    report(Report(thread: call.thread, reason: reason, fellBack: fallback))
                    if fallback { try? buffer.proceed(listener, call.id) } else { try? buffer.fail(listener, call.id, with: .notPermitted) }
                }
                continue
            }
            if poller.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return }
        }
    }

    /// Makes and installs the MPTCP socket; the reason when it cannot, nil when the call
    /// was answered (or its caller is gone).
    func answer(_ call: HiddenSystemCalls.SocketCall, namespace: inout NetworkNamespace.Identity?) -> Reason? {
        guard call.thread > 0 else { return .notVisible }
        let path = "/proc/\(call.thread)/ns/net"
        let target = open(path, O_RDONLY | O_CLOEXEC)
        let identity = TaskIdentity.read(thread: call.thread)
        defer { if target >= 0 { close(target) } }
        // The thread id may have been reused once its caller died: only an id still
        // waiting after the reads vouches for them.
        guard HiddenSystemCalls.isWaiting(listener, call.id) else { return nil }
        guard target >= 0, let identity else { return .unreadable }
        guard identity.cgroups == ownIdentity.cgroups else { return .otherCgroup }
        let wanted = NetworkNamespace.identity(of: target)
        if wanted == nil || wanted != namespace {
            do throws(Errno) { try ThreadNamespace.enter(target) } catch { return .cannotEnterNamespace(error) }
            namespace = wanted
        }
        let changesIDs = identity.fsuid != ownIdentity.fsuid || identity.fsgid != ownIdentity.fsgid
            || identity.groups != ownIdentity.groups
        if changesIDs {
            do throws(Errno) {
                try HiddenSystemCalls.setThreadFileIDs(uid: identity.fsuid, gid: identity.fsgid, groups: identity.groups)
            } catch {
                restoreIDs()
                return .cannotTakeIdentity(error)
            }
        }
        let made: Result<Int32, Errno>
        // Close-on-exec here; the caller's flags are ADDFD's to set.
        let fd = socket(call.family, call.type | Int32(SOCK_CLOEXEC.rawValue), 262 /* IPPROTO_MPTCP */)
        made = fd >= 0 ? .success(fd) : .failure(.current)
        if changesIDs { restoreIDs() }
        switch made {
        case let .failure(code):
            // The rules of the preload library: when the kernel refuses MPTCP
            // (ENOPROTOOPT: net.mptcp.enabled=0; EPROTONOSUPPORT, EINVAL: no MPTCP) the TCP
            // socket asked for, unless no fallback; else (a security module, no memory)
            // the caller sees the kernel's answer.
            let refused = code.rawValue == ENOPROTOOPT || code.rawValue == EPROTONOSUPPORT || code == .invalidArgument
            if refused, fallback { try? buffer.proceed(listener, call.id) } else { try? buffer.fail(listener, call.id, with: code) }
        case let .success(fd):
            defer { close(fd) }
            do throws(Errno) {
                _ = try HiddenSystemCalls.install(fd, answering: call.id, on: listener,
                                                  closeOnExec: call.type & Int32(SOCK_CLOEXEC.rawValue) != 0)
            } catch {
                // ENOENT: the caller went away, and with it the socket. Else (EMFILE: the
                // caller's descriptor limit) it sees why.
                if error != .noSuchFileOrDirectory { try? buffer.fail(listener, call.id, with: error) }
            }
        }
        return nil
    }

    func restoreIDs() {
        try? HiddenSystemCalls.setThreadFileIDs(uid: ownIdentity.fsuid, gid: ownIdentity.fsgid, groups: ownIdentity.groups)
    }

}
