import Launch
import MPTCPKit

/// `mptcpctl __supervise-sockets [--no-fallback]`: the supervisor `run --intercept` starts
/// in a session of its own, with the seccomp listener on descriptor 3 and a pipe on 4 that
/// it writes one byte to when ready. It answers CMD's TCP socket() calls
/// (`SocketSupervisor`) until no task is left under the filter, and warns on standard
/// error, once a reason, when a socket stays TCP.
///
/// It ignores the signals that would stop it early (`SocketSupervisor.handedOver`): once
/// it is gone, every TCP socket() of CMD's tree fails with ENOSYS. The supervisor comes
/// from `context.launcher`.
struct SupervisorRunner {
    static let word = "__supervise-sockets"

    let context: Context

    func run(fallback: Bool) -> ExitCode {
        let supervisor: SocketSupervisor
        do throws(Errno) {
            supervisor = try context.launcher.handedOverSupervisor(fallback: fallback)
        } catch {
            context.console.error("run --intercept: the supervisor cannot read its listener: \(error)")
            return .environment
        }
        var warned: Set<String> = []
        do throws(Errno) {
            try supervisor.run { report in
                let line = Self.describe(report)
                if warned.insert(line.reason).inserted { context.console.warn("run --intercept: " + line.text) }
            }
        } catch {
            context.console.error("run --intercept: the supervisor failed: \(error); CMD's TCP sockets now fail with ENOSYS")
            return .environment
        }
        return .success
    }

    /// The warning for a report, and the reason it is given once for.
    static func describe(_ report: SocketSupervisor.Report) -> (reason: String, text: String) {
        let process = "a socket of thread \(report.thread)"
        let outcome = report.fellBack ? "stayed TCP" : "failed (EPERM, --no-fallback)"
        switch report.reason {
        case .notVisible:
            return ("notVisible", "a socket of a thread outside this pid namespace \(outcome): its identity cannot be read")
        case .unreadable:
            return ("unreadable", "\(process) \(outcome): its /proc files could not be read")
        case .otherCgroup:
            return ("otherCgroup", "\(process) \(outcome): the thread moved to another cgroup, and a socket made by the "
                + "supervisor would carry the supervisor's")
        case let .cannotEnterNamespace(code):
            return ("namespace", "\(process) \(outcome): its network namespace cannot be entered (\(code.name))")
        case let .cannotTakeIdentity(code):
            return ("identity", "\(process) \(outcome): its user and groups cannot be taken (\(code.name))")
        }
    }
}
