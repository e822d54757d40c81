import Glibc
import MPTCPKit

/// The system's launcher: this process, its binary, getent, fork and exec.
public struct SystemLauncher: Launcher {
    public init() {}

    public var environment: EnvironmentVariables { EnvironmentVariables.current() }

    public var effectiveUserID: uid_t { geteuid() }

    public var binaryDirectory: String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return "." }
        let path = String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
    }

    public func account(_ user: String) throws(Errno) -> PasswordDatabase.Account? {
        try PasswordDatabase.account(user)
    }

    public func replace(with program: Program, as account: PasswordDatabase.Account?, readable: String) -> ProcessImage.Failure? {
        ProcessImage.replace(with: program, as: account, readable: readable)
    }

    public func start(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
                      readable: String?) throws(ChildProcess.StartFailure) -> pid_t {
        try ChildProcess.start(program, identity: identity, newSession: newSession, readable: readable)
    }

    public func startIntercepted(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
                                 supervisor: InterceptedLaunch.Supervisor) throws(InterceptedLaunch.Failure) -> pid_t {
        try InterceptedLaunch.start(program, identity: identity, newSession: newSession, supervisor: supervisor)
    }

    public func follow(_ pid: pid_t, session: Bool) throws(Errno) -> ChildProcess.Termination {
        ChildProcess.forwardSignals(to: pid, session: session)
        return try ChildProcess.wait(pid, followingStops: session)
    }

    public func end(as termination: ChildProcess.Termination) {
        ChildProcess.end(as: termination)
    }

    public func run(_ words: [String]) -> Int32 {
        ChildProcess.run(words)
    }

    public func handedOverSupervisor(fallback: Bool) throws(Errno) -> SocketSupervisor {
        try SocketSupervisor.handedOver(fallback: fallback)
    }
}
