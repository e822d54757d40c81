import Glibc
import Netlink

/// Every failure mptcpctl reports: a one-line message and the exit code it maps to.
public struct MPTCPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let exitCode: ExitCode
    public let message: String

    public init(_ exitCode: ExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    public var description: String { message }

    /// A usage error that names the word at fault.
    public static func usage(_ message: String) -> MPTCPError { MPTCPError(.usage, message) }

    public static func environment(_ message: String) -> MPTCPError { MPTCPError(.environment, message) }

    /// Turns a netlink failure of `operation` (e.g. "endpoint add 10.0.2.1") into the
    /// message a person reads: the errno name and the kernel's own text, verbatim.
    public static func from(_ error: NetlinkError, operation: String) -> MPTCPError {
        switch error {
        case let .kernel(code, text) where code == EPERM || code == EACCES:
            let said = text.map { ": \($0)" } ?? ""
            return environment("\(operation): permission denied (\(ErrnoName.of(code))\(said)): "
                + "changing MPTCP endpoints or limits needs CAP_NET_ADMIN; run as root")
        case let .kernel(code, text):
            var line = "\(operation): the kernel refused: \(ErrnoName.of(code))"
            line += text.map { ": \($0)" } ?? " (\(ErrnoName.text(code)))"
            if let hint = hint(for: code) { line += " (\(hint))" }
            return MPTCPError(.refused, line)
        case .familyNotFound:
            return environment("this kernel has no MPTCP path manager (generic netlink family "
                + "'mptcp_pm' not found): use a kernel built with CONFIG_MPTCP=y")
        default:
            return environment("\(operation): \(error.description)")
        }
    }

    private static func hint(for code: Int32) -> String? {
        switch code {
        case ERANGE: "a namespace holds at most \(PathManagerProtocol.maxEndpoints) endpoints; see 'mptcpctl endpoint show'"
        case EEXIST: "an endpoint with this address already exists; see 'mptcpctl endpoint show'"
        case EBUSY: "this id is taken; see 'mptcpctl endpoint show'"
        case EADDRNOTAVAIL: "a port endpoint needs its address configured on an interface of the namespace"
        default: nil
        }
    }
}

extension MPTCPError {
    /// Runs `body`, turning a netlink failure into the message for `operation`; the
    /// one place where untyped failures of the netlink layer become MPTCPErrors.
    static func reporting<T>(_ operation: String, _ body: () throws -> T) throws(MPTCPError) -> T {
        do {
            return try body()
        } catch let error as NetlinkError {
            throw from(error, operation: operation)
        } catch let error as MPTCPError {
            throw error
        } catch {
            throw environment("\(operation): \(error)")
        }
    }
}
