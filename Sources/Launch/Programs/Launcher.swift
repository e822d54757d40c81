import Glibc
import MPTCPKit

/// How the command line starts programs, and what it asks of the process around them:
/// its environment and user, the users it may start a program as. The system's
/// (`SystemLauncher`); in tests, a stand-in that records what would have started, so
/// `run` and `enable` run in-process without root.
public protocol Launcher {
    /// This process's environment.
    var environment: EnvironmentVariables { get }
    /// This process's effective user.
    var effectiveUserID: uid_t { get }
    /// The directory of this binary (where the preload library is looked for first).
    var binaryDirectory: String { get }
    /// The user named `user` (a name, or a uid in decimal) with its groups; nil when
    /// there is none. Throws when the password database cannot be asked.
    func account(_ user: String) throws(Errno) -> PasswordDatabase.Account?
    /// Becomes `program` (`ProcessImage.replace`), as `account` when given, who must then
    /// be able to read `readable`. Returns only when that failed: why; a stand-in
    /// returns nil, having "become" it.
    func replace(with program: Program, as account: PasswordDatabase.Account?, readable: String) -> ProcessImage.Failure?
    /// Starts `program` as a child (`ChildProcess.start`): its pid once it has exec'd.
    func start(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
               readable: String?) throws(ChildProcess.StartFailure) -> pid_t
    /// Starts `program` under `run --intercept`'s filter with its supervisor
    /// (`InterceptedLaunch.start`): its pid.
    func startIntercepted(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
                          supervisor: InterceptedLaunch.Supervisor) throws(InterceptedLaunch.Failure) -> pid_t
    /// Passes the signals meant for child `pid` on to it (to its process group, and
    /// following its stops, when it leads a `session` of its own) until it ends: how.
    func follow(_ pid: pid_t, session: Bool) throws(Errno) -> ChildProcess.Termination
    /// Ends this process as a child ended (`ChildProcess.end`); a stand-in records it and
    /// returns.
    func end(as termination: ChildProcess.Termination)
    /// Runs a program found along PATH and waits: its exit status, -1 when it could not
    /// be started or did not exit.
    func run(_ words: [String]) -> Int32
    /// The supervisor this process was started as by `run --intercept`, on the listener
    /// handed over; it has said it is ready.
    func handedOverSupervisor(fallback: Bool) throws(Errno) -> SocketSupervisor
}
