import Glibc
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
/// never starts a program with rights the caller lacks), a missing library.
struct ProgramRunner {
    let context: Context
    let line: LineOptions

    func run(_ options: RunOptions) throws(CLIError) {
        if line.allNetns { throw .usage("run: --all-netns cannot run one program in every namespace: name one with -n") }
        let environment = EnvironmentVariables.current()
        let name = options.program[0]
        let path = try Self.resolve(name, searchPath: environment["PATH"])
        try Self.refuseSetID(path, name: name)
        let library = try MPTCPPreload.required(by: "run")
        let account = try options.user.map(Self.account)
        var launched = MPTCPPreload.environment(environment, library: library, fallback: options.fallback)
        if let account {
            launched["HOME"] = account.home
            launched["USER"] = account.name
            launched["LOGNAME"] = account.name
        }
        let otherUser = account.map { $0.uid != geteuid() } ?? false
        if options.intercept {
            try runIntercepted(path, arguments: options.program, environment: launched, account: account,
                               ownSession: otherUser, fallback: options.fallback, original: environment)
        }
        if let account, otherUser {
            try runInSession(path, arguments: options.program, environment: launched, account: account, library: library)
        }
        var failure: CLIError?
        do throws(PathManagerError) {
            try NetworkNamespace.within(line.netns) { () throws(PathManagerError) in
                do throws(CLIError) {
                    if let account { try Self.become(account, library: library) }
                    try Self.exec(path, name: name, arguments: options.program, environment: launched)
                } catch {
                    failure = error
                }
            }
        } catch {
            throw CLIError(error, operation: "run")
        }
        if let failure { throw failure }
    }

    /// CMD's path: as given when it holds a '/', else the first executable file of that
    /// name along PATH, as execvp finds it.
    static func resolve(_ name: String, searchPath: String?) throws(CLIError) -> String {
        if name.contains("/") {
            guard access(name, F_OK) == 0 else { throw CLIError(.notFound, "run: \(name): no such file") }
            return name
        }
        var found: String?
        for directory in (searchPath ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + name
            var status = stat()
            guard stat(candidate, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
            if access(candidate, X_OK) == 0 { return candidate }
            found = found ?? candidate
        }
        if let found { throw CLIError(.cannotExecute, "run: \(found): permission denied (not executable)") }
        throw CLIError(.notFound, "run: \(name): command not found")
    }

    /// Refuses a set-user-ID or set-group-ID program.
    static func refuseSetID(_ path: String, name: String) throws(CLIError) {
        var status = stat()
        guard stat(path, &status) == 0, status.st_mode & (S_ISUID | S_ISGID) != 0 else { return }
        let which = status.st_mode & S_ISUID != 0 ? "set-user-ID" : "set-group-ID"
        throw .environment("run: \(path) is \(which): the loader ignores LD_PRELOAD for it, and run never starts a program "
            + "with rights the caller lacks; run it without mptcpctl")
    }

    /// A user of the password database, by name or number (asked of `getent`).
    static func account(_ user: String) throws(CLIError) -> PasswordDatabase.Account {
        let found: PasswordDatabase.Account?
        do throws(Errno) { found = try PasswordDatabase.account(user) } catch {
            throw .environment("run: --user \(user): cannot ask getent for the user: \(error)")
        }
        guard let account = found else { throw .usage("run: unknown --user '\(user)': no such user in the password database") }
        if geteuid() != 0, account.uid != geteuid() {
            throw .environment("run: --user \(user): only root can run a program as another user")
        }
        return account
    }

    /// Takes the user's groups, group and user, in that order (each needs the rights
    /// the one after gives up), then checks that the user can read the library: a
    /// library it cannot open would leave CMD without MPTCP, with only a warning of the
    /// loader's.
    static func become(_ account: PasswordDatabase.Account, library: String) throws(CLIError) {
        func check(_ result: Int32, _ what: String) throws(CLIError) {
            if result != 0 { throw .environment("run: --user \(account.name): \(what) failed: \(Errno.current)") }
        }
        if geteuid() == 0 { try check(setgroups(account.groups.count, account.groups), "setgroups") }
        try check(setgid(account.gid), "setgid")
        try check(setuid(account.uid), "setuid")
        guard access(library, R_OK) == 0 else { throw unreadableLibrary(library, account: account, .current) }
    }

    /// CMD as another user: a child in a session of its own, as the user (who must be able
    /// to read the library), in `-n`'s namespace; run waits for it and exits as it does.
    func runInSession(_ path: String, arguments: [String], environment: EnvironmentVariables,
                      account: PasswordDatabase.Account, library: String) throws(CLIError) -> Never {
        // Only root names another user: the groups are always its to set.
        let identity = ChildProcess.Identity(uid: account.uid, gid: account.gid, groups: account.groups)
        let started: Result<pid_t, ChildProcess.StartFailure>
        do throws(PathManagerError) {
            // fork() copies the calling thread's namespaces: CMD starts in the one asked for.
            started = try NetworkNamespace.within(line.netns) { () throws(PathManagerError) in
                do throws(ChildProcess.StartFailure) {
                    return .success(try ChildProcess.start(path: path, arguments: arguments, environment: environment.entries,
                                                           identity: identity, newSession: true, readable: library))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            throw CLIError(error, operation: "run")
        }
        switch started {
        case let .success(pid):
            try Self.exitAsChild(pid, path: path, ownSession: true)
        case let .failure(.cannotStart(code)):
            throw .environment("run: cannot start \(path): \(code)")
        case let .failure(.cannotTakeIdentity(code)):
            throw .environment("run: --user \(account.name): cannot take the user's ids: \(code)")
        case let .failure(.cannotRead(code)):
            throw Self.unreadableLibrary(library, account: account, code)
        case let .failure(.cannotExecute(code)):
            throw Self.cannotRun(path, code)
        }
    }

    /// Waits for CMD, run's child, passing on the signals meant for it (to its process
    /// group and following its stops when it leads a session of its own: `ownSession`),
    /// and ends as it did: with its status, or killed by the same signal.
    static func exitAsChild(_ pid: pid_t, path: String, ownSession: Bool) throws(CLIError) -> Never {
        ChildProcess.forwardSignals(to: pid, session: ownSession)
        let signal: Int32
        do throws(Errno) {
            switch try ChildProcess.wait(pid, followingStops: ownSession) {
            case let .exited(status): exit(status)
            case let .signaled(number): signal = number
            }
        } catch {
            throw .environment("run: cannot wait for \(path) (pid \(pid)): \(error)")
        }
        // Killed: so is run, by the same signal, without a core file of its own.
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

    /// The error of an execve that failed: 127 when there is no such file, else 126.
    static func cannotRun(_ path: String, _ code: Errno) -> CLIError {
        CLIError(code == .noSuchFileOrDirectory ? .notFound : .cannotExecute, "run: cannot run \(path): \(code)")
    }

    /// The error of a user who cannot read the library: CMD would run without MPTCP, with
    /// only a warning of the loader's.
    static func unreadableLibrary(_ library: String, account: PasswordDatabase.Account, _ code: Errno) -> CLIError {
        .environment("run: --user \(account.name): the user cannot read the preload library \(library) "
            + "(\(code)); install it where every user can ('make install')")
    }

    /// Replaces this process with CMD; returns only by throwing.
    static func exec(_ path: String, name: String, arguments: [String], environment: EnvironmentVariables) throws(CLIError) {
        var argv = arguments.map { strdup($0) }
        argv.append(nil)
        var envp = environment.entries.map { strdup($0) }
        envp.append(nil)
        execve(path, argv, envp)
        let code = Errno.current
        for pointer in argv + envp { free(pointer) }
        throw cannotRun(path, code)
    }
}
