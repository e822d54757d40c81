import Glibc
import Netlink

/// A child process of this one: started as a program (as another user, in a session of
/// its own), its signals passed on, and waited for: how it ended, as waitpid(2) reports it.
public enum ChildProcess {
    public enum Termination: Sendable, Equatable {
        /// Exited with this status (0–255).
        case exited(Int32)
        /// Killed by this signal.
        case signaled(Int32)
    }

    /// The ids the child takes before exec (another user's, with its groups).
    public typealias Identity = HiddenSystemCalls.Identity

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
    }

    /// Starts `path` with `arguments` and `environment` as a child that takes, before
    /// exec, a session of its own (`newSession`: no controlling terminal) and `identity`'s
    /// ids, and checks that it can read `readable`; returns its pid once it has exec'd.
    public static func start(path: String, arguments: [String], environment: [String], identity: Identity?,
                             newSession: Bool, readable: String?) throws(StartFailure) -> pid_t {
        let started: Result<pid_t, HiddenSystemCalls.LaunchFailure>
        do throws(Errno) {
            started = try HiddenSystemCalls.spawnProgram(path: path, arguments: arguments, environment: environment,
                                                         identity: identity, newSession: newSession, readable: readable)
        } catch {
            throw .cannotStart(error)
        }
        switch started {
        case let .success(pid): return pid
        case let .failure(failure):
            switch failure.step {
            case .ids: throw .cannotTakeIdentity(failure.code)
            case .readable: throw .cannotRead(failure.code)
            case .exec: throw .cannotExecute(failure.code)
            case .filter, .handOver: throw .cannotStart(failure.code)
            }
        }
    }

    /// Until `pid` ends, the signals meant for it go on to it: SIGHUP, SIGTERM, SIGUSR1,
    /// SIGUSR2, SIGCONT and SIGWINCH, while SIGINT and SIGQUIT, which the terminal sends
    /// to the child as well, are ignored. With `session` (the child leads a session of its
    /// own, which the terminal's signals never reach), SIGINT, SIGQUIT, SIGWINCH and
    /// SIGCONT go to its process group, and SIGTSTP (Ctrl-Z) stops the group; `wait`
    /// with `followingStops` then stops this process too.
    public static func forwardSignals(to pid: pid_t, session: Bool) {
        HiddenSystemCalls.forwardSignals(to: pid, session: session)
    }

    /// Waits for child `pid` to end, through interruptions; the errno when it cannot. With
    /// `followingStops`, a stop of the child stops this process too, as the terminal stops
    /// a job (the shell then sees it stopped), until it is continued.
    public static func wait(_ pid: pid_t, followingStops: Bool = false) throws(Errno) -> Termination {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, followingStops ? WUNTRACED : 0) < 0 {
                let code = Errno.current
                if code != .interrupted { throw code }
                continue
            }
            // Stopped: reported with WUNTRACED only.
            guard status & 0xff == 0x7f else { break }
            HiddenSystemCalls.stopWithChild()
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}
