import Glibc
import Launch
import MPTCPKit

/// `run`: this process becomes CMD (execve), with the preload library that makes its
/// TCP sockets MPTCP (`MPTCPPreload`), in the namespace of `-n` (entered as `ip -n`
/// does: the network namespace only), as `--user`'s user when given. CMD's exit status,
/// signals and terminal are its own; mptcpctl is gone once CMD starts.
///
/// As another user than the caller, CMD is a child in a session of its own instead, with
/// no controlling terminal: a program run as `nobody` could otherwise push input into
/// root's shell (TIOCSTI works on a process's own controlling terminal) or take it back
/// with /dev/tty. run stays its parent, passes the terminal's signals on and exits as it
/// does (`exitAsChild`), as with `--intercept`.
///
/// Refused before anything runs: a CMD that cannot be found (127) or executed (126), a
/// set-user-ID or set-group-ID CMD (the loader ignores LD_PRELOAD for it, and `run`
/// never starts a program with rights the caller lacks), a missing library. Programs
/// start through `context.launcher`, files are asked of `context.files`.
struct ProgramRunner {
    let context: Context
    let line: LineOptions

    var launcher: any Launcher { context.launcher }

    func run(_ options: RunOptions) throws(CLIError) {
        if line.allNetns { throw .usage("run: --all-netns cannot run one program in every namespace: name one with -n") }
        let environment = launcher.environment
        let name = options.program[0]
        let path = try resolve(name, searchPath: environment["PATH"])
        try refuseSetID(path)
        let library = try MPTCPPreload.required(by: "run", launcher, context.files)
        let account = try options.user.map(account)
        var launched = MPTCPPreload.environment(environment, library: library, fallback: options.fallback)
        if let account {
            launched["HOME"] = account.home
            launched["USER"] = account.name
            launched["LOGNAME"] = account.name
        }
        let program = Program(path: path, arguments: options.program, environment: launched, netns: line.netns)
        let otherUser = account.map { $0.uid != launcher.effectiveUserID } ?? false
        if options.intercept {
            return try runIntercepted(program, account: account, ownSession: otherUser, fallback: options.fallback,
                                      original: environment)
        }
        if let account, otherUser {
            return try runInSession(program, account: account, library: library)
        }
        // Returns only when CMD could not be run (a stand-in launcher's aside).
        guard let failure = launcher.replace(with: program, as: account, readable: library) else { return }
        switch failure {
        case let .namespace(problem): throw CLIError(problem, operation: "run")
        case let .cannotTakeIdentity(call, code):
            throw .environment("run: --user \(account?.name ?? ""): \(call) failed: \(code)")
        case let .cannotRead(code): throw Self.unreadableLibrary(library, account: account, code)
        case let .cannotExecute(code): throw Self.cannotRun(path, code)
        }
    }

    /// CMD's path: as given when it holds a '/', else the first executable file of that
    /// name along PATH, as execvp finds it.
    func resolve(_ name: String, searchPath: String?) throws(CLIError) -> String {
        let files = context.files
        if name.contains("/") {
            guard files.canAccess(name, .exists) else { throw CLIError(.notFound, "run: \(name): no such file") }
            return name
        }
        var found: String?
        for directory in (searchPath ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            guard files.status(candidate)?.kind == .regular else { continue }
            if files.canAccess(candidate, .execute) { return candidate }
            found = found ?? candidate
        }
        if let found { throw CLIError(.cannotExecute, "run: \(found): permission denied (not executable)") }
        throw CLIError(.notFound, "run: \(name): command not found")
    }

    /// Refuses a set-user-ID or set-group-ID program.
    func refuseSetID(_ path: String) throws(CLIError) {
        guard let mode = context.files.status(path)?.mode, mode & (S_ISUID | S_ISGID) != 0 else { return }
        let which = mode & S_ISUID != 0 ? "set-user-ID" : "set-group-ID"
        throw .environment("run: \(path) is \(which): the loader ignores LD_PRELOAD for it, and run never starts a program "
            + "with rights the caller lacks; run it without mptcpctl")
    }

    /// A user of the password database, by name or number.
    func account(_ user: String) throws(CLIError) -> PasswordDatabase.Account {
        let found: PasswordDatabase.Account?
        do throws(Errno) { found = try launcher.account(user) } catch {
            throw .environment("run: --user \(user): cannot ask getent for the user: \(error)")
        }
        guard let account = found else { throw .usage("run: unknown --user '\(user)': no such user in the password database") }
        let caller = launcher.effectiveUserID
        if caller != 0, account.uid != caller {
            throw .environment("run: --user \(user): only root can run a program as another user")
        }
        return account
    }

    /// CMD as another user: a child in a session of its own, as the user (who must be able
    /// to read the library), in `-n`'s namespace; run waits for it and exits as it does.
    func runInSession(_ program: Program, account: PasswordDatabase.Account, library: String) throws(CLIError) {
        // Only root names another user: the groups are always its to set.
        let identity = ProgramIdentity(uid: account.uid, gid: account.gid, groups: account.groups)
        let pid: pid_t
        do throws(ChildProcess.StartFailure) {
            pid = try launcher.start(program, identity: identity, newSession: true, readable: library)
        } catch {
            switch error {
            case let .namespace(problem): throw CLIError(problem, operation: "run")
            case let .cannotStart(code): throw .environment("run: cannot start \(program.path): \(code)")
            case let .cannotTakeIdentity(code): throw .environment("run: --user \(account.name): cannot take the user's ids: \(code)")
            case let .cannotRead(code): throw Self.unreadableLibrary(library, account: account, code)
            case let .cannotExecute(code): throw Self.cannotRun(program.path, code)
            }
        }
        try exitAsChild(pid, path: program.path, ownSession: true)
    }

    /// Waits for CMD, run's child, passing on the signals meant for it (to its process
    /// group and following its stops when it leads a session of its own: `ownSession`),
    /// and ends as it did: with its status, or killed by the same signal.
    func exitAsChild(_ pid: pid_t, path: String, ownSession: Bool) throws(CLIError) {
        let termination: ChildProcess.Termination
        do throws(Errno) { termination = try launcher.follow(pid, session: ownSession) } catch {
            throw .environment("run: cannot wait for \(path) (pid \(pid)): \(error)")
        }
        launcher.end(as: termination)
    }

    /// The error of an execve that failed: 127 when there is no such file, else 126.
    static func cannotRun(_ path: String, _ code: Errno) -> CLIError {
        CLIError(code == .noSuchFileOrDirectory ? .notFound : .cannotExecute, "run: cannot run \(path): \(code)")
    }

    /// The error of a user who cannot read the library: CMD would run without MPTCP, with
    /// only a warning of the loader's.
    static func unreadableLibrary(_ library: String, account: PasswordDatabase.Account?, _ code: Errno) -> CLIError {
        .environment("run: --user \(account?.name ?? ""): the user cannot read the preload library \(library) "
            + "(\(code)); install it where every user can ('make install')")
    }
}
