import Glibc
import MPTCPKit

/// This process replaced by a program (execve(2)): `run`'s usual way, where the program
/// keeps the exit status, signals and terminal, and the hand-over to `mptcpctl-apply`.
public enum ProcessImage {
    /// Why this process could not become the program.
    public enum Failure: Error, Sendable, Equatable {
        /// The network namespace asked for could not be entered.
        case namespace(PathManagerError)
        /// A call that takes the user's ids failed: "setgroups", "setgid" or "setuid".
        case cannotTakeIdentity(call: String, Errno)
        /// The user cannot read the file it had to.
        case cannotRead(Errno)
        /// execve failed.
        case cannotExecute(Errno)
    }

    /// Becomes `program`, in its namespace, as `account` when given: its groups (when
    /// this process is root), its group and its user, in that order (each needs the
    /// rights the one after gives up), after which it must be able to read `readable`
    /// (a preload library it cannot open would leave the program without MPTCP, with only
    /// a warning of the loader's). Returns only when that failed, with why.
    public static func replace(with program: Program, as account: PasswordDatabase.Account?, readable: String) -> Failure {
        var failure = Failure.cannotExecute(.ioError)
        do throws(PathManagerError) {
            try NetworkNamespace.within(program.netns) { () throws(PathManagerError) in
                if let account, let refused = become(account, readable: readable) {
                    failure = refused
                    return
                }
                failure = .cannotExecute(replace(path: program.path, arguments: program.arguments,
                                                 environment: program.environment.entries))
            }
        } catch {
            return .namespace(error)
        }
        return failure
    }

    /// Replaces this process with `path`; returns only when execve failed, with its errno.
    /// `environment` nil: this process's own.
    public static func replace(path: String, arguments: [String], environment: [String]?) -> Errno {
        var argv = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        guard let environment else {
            execv(path, &argv)
            return .current
        }
        var envp = environment.map { strdup($0) }
        envp.append(nil)
        defer { for pointer in envp { free(pointer) } }
        execve(path, argv, envp)
        return .current
    }

    /// Takes the user's groups, group and user; nil when done.
    static func become(_ account: PasswordDatabase.Account, readable: String) -> Failure? {
        if geteuid() == 0, setgroups(account.groups.count, account.groups) != 0 { return .cannotTakeIdentity(call: "setgroups", .current) }
        if setgid(account.gid) != 0 { return .cannotTakeIdentity(call: "setgid", .current) }
        if setuid(account.uid) != 0 { return .cannotTakeIdentity(call: "setuid", .current) }
        return access(readable, R_OK) == 0 ? nil : .cannotRead(.current)
    }
}
