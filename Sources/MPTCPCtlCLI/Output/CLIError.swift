import Glibc
import Launch
import MPTCPKit

/// Every failure the command line reports: one line for people and the exit code it
/// maps to. Library errors become CLIErrors here and only here.
package struct CLIError: Error, Sendable, Equatable, CustomStringConvertible {
    package let exitCode: ExitCode
    package let message: String

    package init(_ exitCode: ExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    package var description: String { message }

    /// A usage error that names the word at fault.
    package static func usage(_ message: String) -> CLIError { CLIError(.usage, message) }

    package static func environment(_ message: String) -> CLIError { CLIError(.environment, message) }

    /// The message for a failure of `operation` (e.g. "endpoint add 10.0.2.1"): the
    /// errno name and the kernel's own text verbatim, and what to do next.
    package init(_ error: PathManagerError, operation: String) {
        switch error {
        case let .permission(code, extack):
            let said = extack.map { ": \($0)" } ?? ""
            self = .environment("\(operation): permission denied (\(code.name)\(said)): "
                + "changing endpoints or limits and listening for events need CAP_NET_ADMIN; run as root")
        case let .kernel(code, extack):
            var line = "\(operation): the kernel refused: \(code.name)"
            line += extack.map { ": \($0)" } ?? " (\(code.text))"
            if let hint = Self.hint(for: code) { line += " (\(hint))" }
            self.init(.refused, line)
        case let .malformedReply(bad):
            self = .environment("\(operation): the kernel's reply is malformed: \(Self.describe(bad)); "
                + "stopped rather than act on part of it")
        case .noPathManager:
            self = .environment("this kernel has no MPTCP path manager (generic netlink family "
                + "'mptcp_pm' not found): use a kernel built with CONFIG_MPTCP=y")
        case let .namespace(problem):
            self.init(problem)
        case let .noSuchEndpoint(address, port):
            self.init(.refused, "\(operation): no endpoint has \(Self.which(address, port)); see 'mptcpctl endpoint show'")
        case let .noSuchID(id):
            self.init(.refused, "\(operation): no endpoint has id \(id); see 'mptcpctl endpoint show'")
        case let .ambiguousAddress(address, port, ids):
            var list = ""
            for id in ids { list += (list.isEmpty ? "" : ", ") + String(id) }
            self = .usage("\(operation): endpoints \(list) all have \(Self.which(address, port)): name one with 'id ID' or 'port NR'")
        case let .addressMismatch(id, has, asked):
            self.init(.refused, "\(operation): endpoint id \(id) has address \(has), not \(asked): nothing deleted")
        case let .noSuchDevice(name):
            self = .usage("\(operation): device '\(name)' does not exist in this namespace")
        case .notListed:
            self.init(.refused, "\(operation): the kernel accepted the endpoint but does not list it")
        case .addressFlagDropped:
            self.init(.unsupported, "\(operation): \(Self.noAddressEndpoints): the endpoint was removed again, nothing changed")
        case .noUserspaceAddressList:
            self.init(.unsupported, "\(operation): this kernel cannot list a connection's addresses of the userspace path manager "
                + "(it ignores the token of GET_ADDR and would list the in-kernel endpoints instead; Linux 6.9 or later can)")
        case let .transport(failure):
            self = .environment("\(operation): \(failure.description)")
        case let .lock(path, code):
            self = .environment("\(operation): cannot take the namespace's writers' lock \(path): \(code)"
                + (code.isPermissionFailure || code == .readOnlyFileSystem ? "; run as root" : ""))
        }
    }

    /// "MPTCP_PM_ADDR_ATTR_ID has 2 bytes, not 1": what is wrong with a reply.
    package static func describe(_ bad: MalformedAttribute) -> String {
        switch bad.problem {
        case let .size(size, expected): "\(bad.attribute) has \(size) byte(s), not \(expected)"
        case let .short(size, minimum): "\(bad.attribute) has \(size) byte(s), fewer than \(minimum)"
        case .missing: "\(bad.attribute) is missing"
        }
    }

    /// Runs library work for `operation`: its failure becomes the CLI's words by
    /// `init(_:operation:)`, the one bridge runners use.
    package static func worded<T>(as operation: String, _ body: () throws(PathManagerError) -> T) throws(CLIError) -> T {
        do throws(PathManagerError) { return try body() } catch { throw CLIError(error, operation: operation) }
    }

    /// Why a file that decides the host's endpoints (`sync FILE`, `apply FILE`, `-b
    /// FILE`) is not read: who could have written it, and the fix.
    package init(_ problem: FileTrust.Problem, operation: String) {
        let stake = "anyone who can write it decides this host's endpoints"
        switch problem {
        case let .foreignOwner(path, uid):
            self = .environment("\(operation): \(path) is owned by uid \(uid), not by root or you: \(stake); fix: 'chown root \(path)'")
        case let .writableByOthers(path, mode):
            self = .environment("\(operation): \(path) is writable by group or others (mode \(String(mode, radix: 8))): \(stake); "
                + "fix: 'chmod go-w \(path)'")
        case let .foreignDirectory(directory, uid):
            self = .environment("\(operation): the directory \(directory) is owned by uid \(uid), not by root or you: anyone who "
                + "can write there can put another file in place of the one named and decide this host's endpoints; "
                + "fix: 'chown root \(directory)', or move the file")
        case let .writableDirectory(directory, mode):
            self = .environment("\(operation): the directory \(directory) is writable by group or others (mode "
                + "\(String(mode, radix: 8)), not sticky): anyone who can write there can put another file in place of the one "
                + "named and decide this host's endpoints; fix: 'chmod go-w \(directory)', or move the file")
        case let .notRegular(path, mode):
            self = .environment("\(operation): \(path) is \(Self.kind(mode)), not a regular file")
        case let .tooLarge(path, size, limit):
            self = .environment("\(operation): \(path) is larger than \(limit >> 20) MiB (\(size) bytes read): not read")
        case let .replaced(path):
            self = .environment("\(operation): \(path) was moved or replaced while it was being checked: not read; try again")
        case let .cannotRead(path, code):
            self = .environment("\(operation): cannot read \(path): \(code)")
        }
    }

    /// A file type by its `st_mode`, for messages.
    private static func kind(_ mode: UInt32) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        default: "not a regular file"
        }
    }

    /// Why a namespace could not be used; none of these depends on the command.
    package init(_ problem: NetworkNamespace.Problem) {
        switch problem {
        case let .badName(name):
            self = .usage("bad namespace name '\(name)': a name is not empty, not '.' or '..', and has no '/'")
        case let .nameTooLong(name):
            self = .usage("bad namespace name '\(name.prefix(32))…': longer than 255 bytes")
        case let .missing(name):
            self = .environment("network namespace '\(name)' does not exist (no \(NetworkNamespace.path(of: name))); "
                + "list them with 'ip netns list', create one with 'ip netns add \(name)'")
        case let .cannotOpen(path, code):
            self = .environment("cannot open \(path): \(code)")
        case let .noThreadNamespace(code):
            self = .environment("cannot open /proc/thread-self/ns/net: \(code.name); is /proc mounted?")
        case let .enterDenied(name):
            self = .environment("entering network namespace '\(name)' needs CAP_SYS_ADMIN; run as root")
        case let .notANamespace(path):
            self = .environment("\(path) is not a network namespace")
        case let .cannotEnter(name, code):
            self = .environment("cannot enter network namespace '\(name)': \(code)")
        }
    }

    /// A file under a root (`enable --root`) that `operation` could not `doing` ("read",
    /// "write"…); its path shown with the root's `prefix` before it.
    package init(_ failure: FileTreeFailure, operation: String, doing: String, under prefix: String) {
        switch failure {
        case let .system(path, code):
            self = .environment("\(operation): cannot \(doing) \(prefix + path): \(code)")
        case let .notRegularFile(path, kind):
            self = .environment("\(operation): \(prefix + path) is \(Self.words(kind)), not a regular file: not read")
        case let .tooLarge(path, limit):
            self = .environment("\(operation): \(prefix + path) is larger than \(limit) bytes: not read")
        }
    }

    private static func words(_ kind: FileKind) -> String {
        switch kind {
        case .regular: return "a regular file"
        case .directory: return "a directory"
        case .symbolicLink: return "a symbolic link"
        case .fifo: return "a FIFO"
        case .socket: return "a socket"
        case .blockDevice: return "a block device"
        case let .characterDevice(major, minor): return "a character device (\(major):\(minor))"
        case .unknown: return "of an unknown type"
        }
    }

    /// The plan of namespace `label` failed: the step, the kernel's answer, and whether
    /// the namespace is back as it was.
    package init(_ failure: PlanFailure, label: String) {
        let cause: CLIError
        switch failure.cause {
        case let .step(step, error):
            cause = CLIError(error, operation: "apply: \(label): \(PlanView.text(step))")
        case let .addressFlagDropped(address):
            cause = CLIError(.unsupported, "apply: \(label): add \(address): \(Self.noAddressEndpoints)")
        case let .readingBack(error):
            cause = CLIError(error, operation: "apply: reading the endpoints back")
        }
        guard let rollback = failure.rollback else { self = cause; return }
        let outcome: String
        switch rollback {
        case .restored:
            outcome = "rolled back: \(label) is as it was before apply"
        case let .failed(restoring):
            let why: String
            switch restoring {
            case let .restoring(error): why = CLIError(error, operation: "restoring").message
            case let .readingBack(error): why = CLIError(error, operation: "reading back").message
            case .stillDiffers: why = "after restoring, the endpoints or limits still differ"
            }
            outcome = "ROLLBACK FAILED, \(label) differs from before apply: \(why)"
        }
        self.init(cause.exitCode, cause.message + "; " + outcome)
    }

    static let noAddressEndpoints = "this kernel lacks address endpoints (it did not keep flag 0x20; Linux 6.18 or later has them)"

    private static func which(_ address: IPAddress, _ port: UInt16?) -> String {
        port.map { "address \(address) port \($0)" } ?? "address \(address)"
    }

    private static func hint(for code: Errno) -> String? {
        switch code {
        case .outOfRange: "the kernel holds no more endpoints in this namespace; see 'mptcpctl endpoint show'"
        case .fileExists: "an endpoint with this address already exists; see 'mptcpctl endpoint show'"
        case .resourceBusy: "this id is taken; see 'mptcpctl endpoint show'"
        case .addressNotAvailable: "a port endpoint needs its address configured on an interface of the namespace"
        default: nil
        }
    }
}
