import Netlink

/// Moves the calling thread between network namespaces (setns(2) and unshare(2), which
/// Glibc's module hides: Netlink's `HiddenSystemCalls` makes them).
public enum ThreadNamespace {
    /// Moves the calling thread into the network namespace `fd` refers to.
    public static func enter(_ fd: Int32) throws(Errno) {
        try HiddenSystemCalls.enterNetworkNamespace(fd)
    }

    /// Moves the calling thread into a new, empty network namespace (unshare(2)); it
    /// goes away when nothing holds it any more.
    public static func enterNew() throws(Errno) {
        try HiddenSystemCalls.enterNewNetworkNamespace()
    }
}
