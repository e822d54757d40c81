import Glibc
import MPTCPKit

/// Starts a program (CMD) under a seccomp filter that hands its TCP socket() calls (and
/// its children's) to a supervisor, a second process in a session of its own that answers
/// them with MPTCP sockets (`SocketSupervisor`) and leaves when the last task under the
/// filter has gone. Needs seccomp user notification with
/// SECCOMP_ADDFD_FLAG_SEND (Linux 5.14).
public enum InterceptedLaunch {
    /// Why CMD could not be started.
    public enum Failure: Error, Sendable, Equatable {
        /// fork() or a pipe failed.
        case cannotStart(Errno)
        /// The kernel refused the filter (no seccomp user notification, or CMD's process is
        /// under another listener already: EBUSY).
        case filterRefused(Errno)
        /// The kernel cannot install a socket and answer at once (before Linux 5.14).
        case noInstallAndAnswer
        /// The supervisor could not be started, or left before it was ready.
        case supervisorFailed(Errno?)
        /// CMD's user, group or groups could not be taken.
        case cannotTakeIdentity(Errno)
        /// execve failed.
        case cannotExecute(Errno)
        /// The network namespace asked for could not be entered.
        case namespace(PathManagerError)
    }

    /// The supervisor to start: the program that runs a `SocketSupervisor` on the listener
    /// (the caller's own, for one), its arguments and environment.
    public struct Supervisor: Sendable, Equatable {
        public var path: String
        public var arguments: [String]
        public var environment: [String]

        public init(path: String, arguments: [String], environment: [String]) {
            self.path = path
            self.arguments = arguments
            self.environment = environment
        }
    }

    /// Starts `program` (CMD) as `identity`, in a session of its own when `newSession`,
    /// with its supervisor; CMD's pid, for the caller to wait for (`ChildProcess`).
    public static func start(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
                             supervisor: Supervisor) throws(Failure) -> pid_t {
        // Asked before this opens anything: closed, 2 is soon one of the descriptors below.
        let standardErrorOpen = fcntl(STDERR_FILENO, F_GETFD) >= 0
        let child = try spawn(program, identity: identity, newSession: newSession)
        defer { close(child.control) }
        guard let listener = child.listener else {
            throw stopped(child, report: child.failure)
        }
        defer { close(listener) }
        guard LaunchCalls.installsAndAnswers(listener) else {
            throw stopped(child, report: nil, failure: .noInstallAndAnswer)
        }
        try start(supervisor, on: listener, keepingStandardError: standardErrorOpen, for: child)
        let report: LaunchCalls.Failure?
        do throws(Errno) {
            try LaunchCalls.letGo(child.control)
            report = try LaunchCalls.failure(child.control)
        } catch {
            throw stopped(child, report: nil, failure: .cannotStart(error))
        }
        if let report { throw stopped(child, report: report) }
        return child.pid
    }

    /// The child that becomes `program`, in its namespace, stopped before exec.
    static func spawn(_ program: Program, identity: ProgramIdentity?, newSession: Bool) throws(Failure) -> LaunchCalls.InterceptedChild {
        var spawned: Result<LaunchCalls.InterceptedChild, Errno> = .failure(.ioError)
        do throws(PathManagerError) {
            // fork() copies the calling thread's namespaces: CMD starts in the one asked for.
            try NetworkNamespace.within(program.netns) { () throws(PathManagerError) in
                do throws(Errno) {
                    spawned = .success(try LaunchCalls.spawnIntercepted(
                        path: program.path, arguments: program.arguments, environment: program.environment.entries,
                        identity: identity, newSession: newSession))
                } catch {
                    spawned = .failure(error)
                }
            }
        } catch {
            throw .namespace(error)
        }
        switch spawned {
        case let .success(child): return child
        case let .failure(code): throw .cannotStart(code)
        }
    }

    /// Starts the supervisor on `listener` and waits until it says it is ready.
    static func start(_ supervisor: Supervisor, on listener: Int32, keepingStandardError: Bool,
                      for child: LaunchCalls.InterceptedChild) throws(Failure) {
        var ready: [Int32] = [-1, -1]
        guard pipe(&ready) == 0, fcntl(ready[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(ready[1], F_SETFD, FD_CLOEXEC) == 0 else {
            throw stopped(child, report: nil, failure: .cannotStart(.current))
        }
        defer { close(ready[0]) }
        do throws(Errno) {
            _ = try LaunchCalls.spawnSupervisor(path: supervisor.path, arguments: supervisor.arguments,
                                                environment: supervisor.environment, listener: listener, ready: ready[1],
                                                keepStandardError: keepingStandardError)
        } catch {
            close(ready[1])
            throw stopped(child, report: nil, failure: .supervisorFailed(error))
        }
        close(ready[1])
        var byte: UInt8 = 0
        guard (try? Errno.retryOnInterrupt { read(ready[0], &byte, 1) }) == 1 else { throw stopped(child, report: nil, failure: .supervisorFailed(nil)) }
    }

    /// Reaps a child that stopped before exec, and says why.
    static func stopped(_ child: LaunchCalls.InterceptedChild, report: LaunchCalls.Failure?, failure: Failure? = nil) -> Failure {
        if failure != nil { kill(child.pid, SIGKILL) }
        _ = try? ChildProcess.wait(child.pid)
        if let failure { return failure }
        guard let report else { return .cannotStart(.ioError) }
        switch report.step {
        case .filter: return .filterRefused(report.code)
        case .handOver: return .cannotStart(report.code)
        case .ids: return .cannotTakeIdentity(report.code)
        case .exec: return .cannotExecute(report.code)
        case .readable: return .cannotStart(report.code)
        }
    }
}
