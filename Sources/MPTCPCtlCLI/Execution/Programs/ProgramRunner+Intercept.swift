import Glibc
import Launch
import MPTCPKit

/// `run --intercept`: CMD starts as a child under the seccomp filter of
/// `InterceptedLaunch` (with the preload library too, so dynamic programs never wait on
/// the supervisor), in a session of its own when it runs as another user, and `run`
/// waits for it, passing on the signals meant for it, and exits as it did: with its
/// status, or killed by the same signal (`exitAsChild`).
extension ProgramRunner {
    func runIntercepted(_ program: Program, account: PasswordDatabase.Account?, ownSession: Bool, fallback: Bool,
                        original: EnvironmentVariables) throws(CLIError) {
        let identity = account.map { account in
            ProgramIdentity(uid: account.uid, gid: account.gid, groups: launcher.effectiveUserID == 0 ? account.groups : nil)
        }
        let supervisor = InterceptedLaunch.Supervisor(
            path: "/proc/self/exe",
            arguments: ["mptcpctl", SupervisorRunner.word] + (fallback ? [] : ["--no-fallback"]),
            environment: original.entries)
        let pid: pid_t
        do throws(InterceptedLaunch.Failure) {
            pid = try launcher.startIntercepted(program, identity: identity, newSession: ownSession, supervisor: supervisor)
        } catch {
            throw Self.error(error, path: program.path, account: account)
        }
        try exitAsChild(pid, path: program.path, ownSession: ownSession)
    }

    /// The line and exit code for a launch that failed.
    static func error(_ failure: InterceptedLaunch.Failure, path: String, account: PasswordDatabase.Account?) -> CLIError {
        switch failure {
        case let .cannotStart(code):
            return .environment("run --intercept: cannot start \(path): \(code)")
        case let .filterRefused(code) where code == .resourceBusy:
            return .environment("run --intercept: the kernel refused the seccomp filter (EBUSY): mptcpctl already runs "
                + "under a seccomp listener (a container runtime's, or another 'run --intercept'); run without --intercept")
        case let .filterRefused(code):
            return CLIError(.unsupported, "run --intercept: the kernel refused the seccomp filter (\(code.name)): it needs "
                + "seccomp user notification (CONFIG_SECCOMP_FILTER); run without --intercept")
        case .noInstallAndAnswer:
            return CLIError(.unsupported, "run --intercept: this kernel cannot hand a socket over and answer at once "
                + "(SECCOMP_ADDFD_FLAG_SEND, Linux 5.14): run without --intercept")
        case let .supervisorFailed(code):
            return .environment("run --intercept: the supervisor did not start" + (code.map { ": \($0)" } ?? ""))
        case let .cannotTakeIdentity(code):
            return .environment("run: --user \(account?.name ?? ""): cannot take the user's ids: \(code)")
        case let .cannotExecute(code):
            return cannotRun(path, code)
        case let .namespace(problem):
            return CLIError(problem, operation: "run")
        }
    }
}
