import Glibc
import MPTCPKit

/// A child process of this one: started as a program (as another user, in a session of
/// its own), its signals passed on, and waited for: how it ended, as waitpid(2) reports
/// it; and this process ended the same way.
public enum ChildProcess {
    public enum Termination: Sendable, Equatable {
        /// Exited with this status (0–255).
        case exited(Int32)
        /// Killed by this signal.
        case signaled(Int32)
    }

    /// Why the program could not be started.
    public enum StartFailure: Error, Sendable, Equatable {
        /// fork() or its control socket failed.
        case cannotStart(Errno)
        /// The session, groups, group or user could not be taken.
        case cannotTakeIdentity(Errno)
        /// The file that had to be readable as the user was not.
        case cannotRead(Errno)
        /// execve failed.
        case cannotExecute(Errno)
        /// The network namespace asked for could not be entered.
        case namespace(PathManagerError)
    }

    /// Starts `program` as a child, in its namespace, that takes before exec a session of
    /// its own (`newSession`: no controlling terminal) and `identity`'s ids, and checks
    /// that it can read `readable`; returns its pid once it has exec'd.
    public static func start(_ program: Program, identity: ProgramIdentity?, newSession: Bool,
                             readable: String?) throws(StartFailure) -> pid_t {
        var started: Result<pid_t, StartFailure> = .failure(.cannotStart(.ioError))
        do throws(PathManagerError) {
            // fork() copies the calling thread's namespaces: the child starts in the one asked for.
            try NetworkNamespace.within(program.netns) { () throws(PathManagerError) in
                do throws(Errno) {
                    started = try LaunchCalls.spawnProgram(path: program.path, arguments: program.arguments,
                                                           environment: program.environment.entries, identity: identity,
                                                           newSession: newSession, readable: readable).mapError(Self.failure)
                } catch {
                    started = .failure(.cannotStart(error))
                }
            }
        } catch {
            throw .namespace(error)
        }
        return try started.get()
    }

    /// Where and why the child stopped before exec, as a start's failure.
    static func failure(_ failure: LaunchCalls.Failure) -> StartFailure {
        switch failure.step {
        case .ids: return .cannotTakeIdentity(failure.code)
        case .readable: return .cannotRead(failure.code)
        case .exec: return .cannotExecute(failure.code)
        case .filter, .handOver: return .cannotStart(failure.code)
        }
    }

    /// Until `pid` ends, the signals meant for it go on to it: SIGHUP, SIGTERM, SIGUSR1,
    /// SIGUSR2, SIGCONT and SIGWINCH, while SIGINT and SIGQUIT, which the terminal sends
    /// to the child as well, are ignored. With `session` (the child leads a session of its
    /// own, which the terminal's signals never reach), SIGINT, SIGQUIT, SIGWINCH and
    /// SIGCONT go to its process group, and SIGTSTP (Ctrl-Z) stops the group; `wait`
    /// with `followingStops` then stops this process too.
    public static func forwardSignals(to pid: pid_t, session: Bool) {
        LaunchCalls.forwardSignals(to: pid, session: session)
    }

    /// Waits for child `pid` to end, through interruptions; the errno when it cannot. With
    /// `followingStops`, a stop of the child stops this process too, as the terminal stops
    /// a job (the shell then sees it stopped), until it is continued.
    public static func wait(_ pid: pid_t, followingStops: Bool = false) throws(Errno) -> Termination {
        var status: Int32 = 0
        while true {
            try Errno.retryOnInterrupt { waitpid(pid, &status, followingStops ? WUNTRACED : 0) }
            // Stopped: reported with WUNTRACED only.
            guard status & 0xff == 0x7f else { break }
            LaunchCalls.stopWithChild()
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// Ends this process as a child ended: with its status, or killed by the same signal,
    /// without a core file of its own.
    public static func end(as termination: Termination) -> Never {
        let signal: Int32
        switch termination {
        case let .exited(status): exit(status)
        case let .signaled(number): signal = number
        }
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
        Glibc.signal(signal, SIG_DFL)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        sigaddset(&unblocked, signal)
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        raise(signal)
        exit(128 + signal)
    }

    /// Runs a program found along PATH (no shell), with this process's environment, and
    /// waits: its exit status, -1 when it could not be started or did not exit.
    public static func run(_ words: [String]) -> Int32 {
        var argv = words.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, words[0], nil, nil, argv, environ) == 0 else { return -1 }
        guard case let .exited(status)? = try? wait(pid) else { return -1 }
        return status
    }
}
