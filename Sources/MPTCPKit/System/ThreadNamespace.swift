import CLinux
import Glibc
import Netlink

/// Moves the calling thread between network namespaces (setns(2), which Glibc's module
/// hides), through the CLinux shim, which only MPTCPKit's System folder imports.
public enum ThreadNamespace {
    /// Moves the calling thread into the network namespace `fd` refers to.
    public static func enter(_ fd: Int32) throws(Errno) {
        if clinux_enter_network_namespace(fd) != 0 { throw .current }
    }

    /// Moves the calling thread into a new, empty network namespace (unshare(2)); it
    /// goes away when nothing holds it any more.
    public static func enterNew() throws(Errno) {
        if clinux_enter_new_network_namespace() != 0 { throw .current }
    }
}
