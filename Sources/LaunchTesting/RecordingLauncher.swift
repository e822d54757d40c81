import Glibc
import Launch
import MPTCPKit

/// A stand-in for `SystemLauncher`: what would have started is recorded, in order, and
/// nothing starts; the process it speaks for (environment, user, users known) and the
/// outcome of each start are as scripted. A program run in-process over it never execs,
/// forks or exits.
public final class RecordingLauncher: Launcher {
    public enum Event: Equatable, Sendable {
        case replaced(Program, account: String?, readable: String)
        case started(Program, identity: ProgramIdentity?, newSession: Bool, readable: String?)
        case startedIntercepted(Program, identity: ProgramIdentity?, newSession: Bool, supervisor: InterceptedLaunch.Supervisor)
        case followed(pid: pid_t, session: Bool)
        case ended(ChildProcess.Termination)
        case ran([String])
    }

    public var environment: EnvironmentVariables = ["PATH": "/usr/bin:/bin", "HOME": "/root"]
    public var effectiveUserID: uid_t = 0
    /// The test binary's own: the build tree's library is found beside it.
    public var binaryDirectory = SystemLauncher().binaryDirectory
    public var accounts = [PasswordDatabase.Account(name: "root", uid: 0, gid: 0, home: "/root", groups: [0]),
                           PasswordDatabase.Account(name: "nobody", uid: 65534, gid: 65534, home: "/nonexistent", groups: [65534])]
    /// When set, the password database cannot be asked.
    public var accountFailure: Errno?
    public var replaceFailure: ProcessImage.Failure?
    public var startFailure: ChildProcess.StartFailure?
    public var interceptFailure: InterceptedLaunch.Failure?
    /// The pid a started child gets.
    public var pid: pid_t = 4242
    public var termination = ChildProcess.Termination.exited(0)
    public var waitFailure: Errno?
    /// What `run(_:)` returns: a program's exit status.
    public var status: Int32 = 0
    /// The kernel's side of the supervisor this process would be.
    public var supervisorSystem: any SupervisorSystem = RecordingSupervisor()
    public var supervisorFailure: Errno?
    public private(set) var events: [Event] = []

    public init() {}

    public func account(_ user: String) throws(Errno) -> PasswordDatabase.Account? {
        if let accountFailure { throw accountFailure }
        return accounts.first { $0.name == user || String($0.uid) == user }
    }

    public func replace(with program: Program, as account: PasswordDatabase.Account?, readable: String) -> ProcessImage.Failure? {
        events.append(.replaced(program, account: account?.name, readable: readable))
        return replaceFailure
    }

    public func start(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
                      readable: String?) throws(ChildProcess.StartFailure) -> pid_t {
        events.append(.started(program, identity: identity, newSession: newSession, readable: readable))
        if let startFailure { throw startFailure }
        return pid
    }

    public func startIntercepted(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
                                 supervisor: InterceptedLaunch.Supervisor) throws(InterceptedLaunch.Failure) -> pid_t {
        events.append(.startedIntercepted(program, identity: identity, newSession: newSession, supervisor: supervisor))
        if let interceptFailure { throw interceptFailure }
        return pid
    }

    public func follow(_ pid: pid_t, session: Bool) throws(Errno) -> ChildProcess.Termination {
        events.append(.followed(pid: pid, session: session))
        if let waitFailure { throw waitFailure }
        return termination
    }

    public func end(as termination: ChildProcess.Termination) {
        events.append(.ended(termination))
    }

    public func run(_ words: [String]) -> Int32 {
        events.append(.ran(words))
        return status
    }

    public func handedOverSupervisor(fallback: Bool) throws(Errno) -> SocketSupervisor {
        if let supervisorFailure { throw supervisorFailure }
        return try SocketSupervisor(system: supervisorSystem, fallback: fallback)
    }
}
