import Glibc
import MPTCPKit

/// The supervisor of a program started by `InterceptedLaunch`: answers the TCP socket()
/// calls CMD's tree makes under its seccomp filter with MPTCP sockets made in the
/// caller's name (its network namespace, fsuid, fsgid and groups), until no task is left
/// under the filter.
///
/// A socket is only made here when it would be the caller's own in the kernel's eyes. When
/// it cannot be (the caller is in another cgroup, or out of sight), the call goes on as
/// the caller made it, a TCP socket, and the reason is reported; with no fallback it fails
/// with EPERM instead, never a TCP socket behind the user's back. When the kernel refuses
/// MPTCP, the socket rule holds (`SocketRule`, as in the preload library): TCP, or with
/// no fallback the kernel's errno.
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

    let system: any SupervisorSystem
    let fallback: Bool
    let ownIdentity: TaskIdentity

    /// A supervisor of the calls `system` receives; `fallback` false fails the calls it
    /// cannot make MPTCP.
    public init(system: any SupervisorSystem, fallback: Bool) throws(Errno) {
        self.system = system
        self.fallback = fallback
        ownIdentity = try system.ownIdentity()
    }

    /// The supervisor `InterceptedLaunch` started this process to be: on the listener it
    /// handed over, and once made, says it is ready (one byte on the pipe it waits on).
    /// The signals that would stop it early are ignored from here on: once it is gone,
    /// every TCP socket() of CMD's tree fails with ENOSYS.
    public static func handedOver(fallback: Bool) throws(Errno) -> SocketSupervisor {
        for number in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2] { signal(number, SIG_IGN) }
        let supervisor = try SocketSupervisor(system: try SeccompListener(listener: SupervisorHandOver.listener), fallback: fallback)
        SupervisorHandOver.sayReady()
        return supervisor
    }

    /// Answers calls until the last task under the filter has gone.
    public func run(reporting report: (Report) -> Void) throws(Errno) {
        while let call = try system.nextCall() {
            guard let reason = answer(call) else { continue }
            report(Report(thread: call.thread, reason: reason, fellBack: fallback))
            if fallback { system.proceed(call) } else { system.fail(call, with: .notPermitted) }
        }
    }

    /// Makes and installs the MPTCP socket; the reason when it cannot, nil when the call
    /// was answered (or its caller is gone).
    func answer(_ call: SocketCall) -> Reason? {
        // The filter hands over no other call; one that is not TCP runs as made.
        guard SocketRule.applies(family: call.family, type: call.type, protocol: call.protocol) else {
            system.proceed(call)
            return nil
        }
        guard call.thread > 0 else { return .notVisible }
        let caller = system.caller(call.thread)
        defer { system.release(caller) }
        // The thread id may have been reused once its caller died: only an id still
        // waiting after the reads vouches for them.
        guard system.isWaiting(call) else { return nil }
        guard caller.namespace != nil, let identity = caller.identity else { return .unreadable }
        guard identity.cgroups == ownIdentity.cgroups else { return .otherCgroup }
        do throws(Errno) { try system.enterNamespace(of: caller) } catch { return .cannotEnterNamespace(error) }
        let changesIDs = identity.fsuid != ownIdentity.fsuid || identity.fsgid != ownIdentity.fsgid
            || identity.groups != ownIdentity.groups
        if changesIDs {
            do throws(Errno) { try system.takeFileIDs(identity) } catch {
                restoreIDs()
                return .cannotTakeIdentity(error)
            }
        }
        let made = system.makeSocket(family: call.family, type: call.type, protocol: SocketRule.mptcpProtocol)
        if changesIDs { restoreIDs() }
        switch made {
        case let .failure(code):
            // The kernel refuses MPTCP: the TCP socket asked for, unless no fallback; else
            // (a security module, no memory) the caller sees the kernel's answer.
            if SocketRule.fallsBack(after: code), fallback { system.proceed(call) } else { system.fail(call, with: code) }
        case let .success(fd):
            do throws(Errno) { try system.install(fd, answering: call) } catch {
                // ENOENT: the caller went away, and with it the socket. Else (EMFILE: the
                // caller's descriptor limit) it sees why.
                if error != .noSuchFileOrDirectory { system.fail(call, with: error) }
            }
        }
        return nil
    }

    func restoreIDs() {
        try? system.takeFileIDs(ownIdentity)
    }
}
