import Glibc

/// A child process of this one, waited for: how it ended, as waitpid(2) reports it.
public enum ChildProcess {
    public enum Termination: Sendable, Equatable {
        /// Exited with this status (0–255).
        case exited(Int32)
        /// Killed by this signal.
        case signaled(Int32)
    }

    /// Waits for child `pid` to end, through interruptions; the errno when it cannot.
    public static func wait(_ pid: pid_t) throws(Errno) -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            let code = Errno.current
            if code != .interrupted { throw code }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }
}
