/// The documented exit codes of mptcpctl (see Docs/exit-codes.md).
package enum ExitCode: Int32, Sendable, CaseIterable {
    /// Everything asked was done.
    case success = 0
    /// The kernel refused the request, or the namespace's state does not allow it
    /// (e.g. no endpoint has that address).
    case refused = 1
    /// The command line is wrong: an unknown word, a bad value, a missing argument.
    case usage = 2
    /// The environment is not fit: no permission, no MPTCP in the kernel, no such
    /// namespace.
    case environment = 3
    /// The running kernel lacks a feature that was asked for (address endpoints).
    case unsupported = 4
    /// `check`: an expectation does not hold; `doctor`: a finding is an error.
    case problemFound = 5
    /// `apply --dry-run`: the namespace differs from the file; changes are pending.
    case changesPending = 6
    /// `monitor --count N --timeout S`: fewer than N events came in S seconds.
    case timedOut = 7
    /// `run`: CMD was found but cannot be executed (as with `env`).
    case cannotExecute = 126
    /// `run`: CMD was not found (as with `env`).
    case notFound = 127
    /// Standard output was closed by its reader (`| head`): 128 + SIGPIPE, what a shell
    /// reports for a program SIGPIPE ended, as SIGPIPE ends mptcpctl (like ip and
    /// coreutils) when it has its default action; mptcpctl exits so itself when SIGPIPE
    /// is ignored and the write fails with EPIPE.
    case outputClosed = 141

    package var summary: String {
        switch self {
        case .success: "success"
        case .refused: "the kernel refused the request, or no endpoint matched"
        case .usage: "bad command line (unknown word, bad value, missing argument)"
        case .environment: "environment problem (permission, no MPTCP, no such namespace)"
        case .unsupported: "the running kernel lacks the feature asked for"
        case .problemFound: "check: an expectation does not hold; doctor: an error was found"
        case .changesPending: "apply --dry-run: changes are pending (the namespace differs from the file)"
        case .timedOut: "monitor: --timeout passed before --count events came"
        case .cannotExecute: "run: CMD cannot be executed (otherwise run exits with CMD's status)"
        case .notFound: "run: CMD was not found"
        case .outputClosed: "standard output was closed by its reader (| head): stopped quietly"
        }
    }
}
