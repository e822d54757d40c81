import Glibc
import Netlink

/// A listening MPTCP socket on an address and port of a namespace: what the userspace
/// path manager needs so that the peer's joins (MP_JOIN) to an address announced with
/// a port of its own are accepted. It listens until it is released.
public final class MPTCPListener {
    public let fileDescriptor: Int32

    /// Must run inside the namespace (see `NetworkNamespace.within`).
    public init(_ address: IPAddress, port: UInt16) throws(PathManagerError) {
        let family = Int32(address.family)
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_MPTCP))
        if fd < 0 { throw .transport(.system(.current, operation: "socket(IPPROTO_MPTCP)")) }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound: Int32
        if address.isIPv4 {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sa.sin_addr) { $0.copyBytes(from: address.bytes) }
            bound = Self.bind(fd, to: &sa)
        } else {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sa.sin6_addr) { $0.copyBytes(from: address.bytes) }
            bound = Self.bind(fd, to: &sa)
        }
        if bound != 0 || listen(fd, 16) != 0 {
            let failure = Errno.current
            close(fd)
            throw .transport(.system(failure, operation: bound != 0 ? "bind" : "listen"))
        }
        fileDescriptor = fd
    }

    /// bind(2) to a sockaddr_in or sockaddr_in6.
    private static func bind<Address>(_ fd: Int32, to address: inout Address) -> Int32 {
        withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    /// Opens it in namespace `netns` (the current one when nil).
    public static func open(netns: String?, _ address: IPAddress, port: UInt16) throws(PathManagerError) -> MPTCPListener {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in try MPTCPListener(address, port: port) }
    }

    deinit { close(fileDescriptor) }
}
