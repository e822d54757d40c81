import Netlink

/// The errno value the library's errors carry (`PathManagerError.kernel`), named here
/// so that a program over MPTCPKit need not import Netlink to handle it.
public typealias Errno = Netlink.Errno
