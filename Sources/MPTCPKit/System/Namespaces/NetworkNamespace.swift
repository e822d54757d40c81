import Glibc
import Netlink

/// Runs work inside a named network namespace (as `ip -n NAME` does) and returns.
///
/// setns() moves only the calling thread, and a socket belongs for life to the
/// namespace it was created in: so enter, create what is needed, and leave, all on
/// this thread, with nothing asynchronous in between.
public enum NetworkNamespace {
    public static let directory = "/run/netns"

    /// Why a namespace could not be used.
    public enum Problem: Error, Sendable, Equatable {
        /// Not a name `ip netns` accepts: empty, '.', '..', or with '/' or NUL.
        case badName(String)
        /// Longer than 255 bytes.
        case nameTooLong(String)
        /// No /run/netns/NAME.
        case missing(String)
        /// /run/netns/NAME could not be opened.
        case cannotOpen(path: String, Errno)
        /// /proc/thread-self/ns/net could not be opened (is /proc mounted?).
        case noThreadNamespace(Errno)
        /// Entering needs CAP_SYS_ADMIN.
        case enterDenied(String)
        /// The file is not a network namespace.
        case notANamespace(path: String)
        case cannotEnter(String, Errno)
    }

    public static func path(of name: String) -> String { "\(directory)/\(name)" }

    /// Checks a namespace name the way `ip netns` would accept it.
    public static func validate(_ name: String) throws(Problem) {
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.utf8.contains(0) {
            throw .badName(name)
        }
        if name.utf8.count > 255 { throw .nameTooLong(name) }
    }

    /// Runs `body` inside namespace `name` (the current one when nil), then returns to
    /// the namespace the thread was in.
    public static func within<T>(_ name: String?, _ body: () throws(PathManagerError) -> T) throws(PathManagerError) -> T {
        guard let name else { return try body() }
        do throws(Problem) { try validate(name) } catch { throw .namespace(error) }
        let path = path(of: name)
        let target = open(path, O_RDONLY | O_CLOEXEC)
        if target < 0 {
            let code = Errno.current
            throw .namespace(code == .noSuchFileOrDirectory ? .missing(name) : .cannotOpen(path: path, code))
        }
        defer { close(target) }
        return try leavingHome({ () throws(PathManagerError) in
            do throws(Errno) {
                try ThreadNamespace.enter(target)
            } catch {
                switch error {
                case .notPermitted: throw .namespace(.enterDenied(name))
                case .invalidArgument: throw .namespace(.notANamespace(path: path))
                default: throw .namespace(.cannotEnter(name, error))
                }
            }
        }, body)
    }

    /// Runs `body` inside a new, empty network namespace (as `unshare -n` makes one),
    /// then returns; the namespace goes away with the last socket made in it. Its
    /// sysctls hold the running kernel's defaults.
    public static func withinNew<T>(_ body: () throws(PathManagerError) -> T) throws(PathManagerError) -> T {
        try leavingHome({ () throws(PathManagerError) in
            do throws(Errno) { try ThreadNamespace.enterNew() } catch {
                throw .namespace(error == .notPermitted ? .enterDenied("(new)") : .cannotEnter("(new)", error))
            }
        }, body)
    }

    /// Saves the thread's namespace, runs `enter` then `body`, and returns to it.
    private static func leavingHome<T>(_ enter: () throws(PathManagerError) -> Void,
                                       _ body: () throws(PathManagerError) -> T) throws(PathManagerError) -> T {
        let home = open(NamespaceIdentity.threadPath, O_RDONLY | O_CLOEXEC)
        if home < 0 { throw .namespace(.noThreadNamespace(.current)) }
        defer { close(home) }
        try enter()
        defer {
            // Returning cannot fail for a namespace we came from; if it ever did, this
            // thread must not go on in the wrong namespace.
            do throws(Errno) { try ThreadNamespace.enter(home) } catch {
                fatalError("cannot return to the original network namespace")
            }
        }
        return try body()
    }

    /// The named namespaces (/run/netns), sorted; empty when there are none.
    public static func named() -> [String] { Directory.entries(directory) }

    /// Whether /run/netns/NAME still exists (a namespace deleted since a listing has not).
    public static func exists(_ name: String) -> Bool {
        access(path(of: name), F_OK) == 0
    }
}
