import Glibc
import Netlink

/// Runs work inside a named network namespace (as `ip -n NAME` does) and returns.
///
/// setns() moves only the calling thread, and a socket belongs for life to the
/// namespace it was created in: so enter, create what is needed, and leave, all on
/// this thread, with nothing asynchronous in between.
public enum NetworkNamespace {
    public static let directory = "/run/netns"

    /// Checks a namespace name the way `ip netns` would accept it.
    public static func validate(_ name: String) throws(MPTCPError) {
        if name.isEmpty || name == "." || name == ".." || name.contains("/") || name.utf8.contains(0) {
            throw .usage("bad namespace name '\(name)': a name is not empty, not '.' or '..', and has no '/'")
        }
        if name.utf8.count > 255 {
            throw .usage("bad namespace name '\(name.prefix(32))…': longer than 255 bytes")
        }
    }

    /// Runs `body` inside namespace `name` (the current one when nil), then returns to
    /// the namespace the thread was in.
    public static func within<T>(_ name: String?, _ body: () throws(MPTCPError) -> T) throws(MPTCPError) -> T {
        guard let name else { return try body() }
        try validate(name)
        let path = "\(directory)/\(name)"
        let target = open(path, O_RDONLY | O_CLOEXEC)
        if target < 0 {
            let code = errno
            if code == ENOENT {
                throw .environment("network namespace '\(name)' does not exist (no \(path)); "
                    + "list them with 'ip netns list', create one with 'ip netns add \(name)'")
            }
            throw .environment("cannot open \(path): \(ErrnoName.of(code)) (\(ErrnoName.text(code)))")
        }
        defer { close(target) }
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        if home < 0 {
            throw .environment("cannot open /proc/thread-self/ns/net: \(ErrnoName.of(errno)); is /proc mounted?")
        }
        defer { close(home) }
        if setns(target, CLONE_NEWNET) != 0 {
            let code = errno
            if code == EPERM {
                throw .environment("entering network namespace '\(name)' needs CAP_SYS_ADMIN; run as root")
            }
            if code == EINVAL {
                throw .environment("\(path) is not a network namespace")
            }
            throw .environment("cannot enter network namespace '\(name)': \(ErrnoName.of(code)) (\(ErrnoName.text(code)))")
        }
        defer {
            // Returning cannot fail for a namespace we came from; if it ever did, this
            // thread must not go on in the wrong namespace.
            if setns(home, CLONE_NEWNET) != 0 { fatalError("cannot return to the original network namespace") }
        }
        return try body()
    }
}

// Glibc's module map hides setns(2) (it is behind _GNU_SOURCE): declare it here.
@_silgen_name("setns")
private func setns(_ fd: Int32, _ nstype: Int32) -> Int32
private let CLONE_NEWNET: Int32 = 0x4000_0000
