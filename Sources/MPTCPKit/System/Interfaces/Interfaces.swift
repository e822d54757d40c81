import Glibc
import Netlink

/// Interface names and indexes of one network namespace, read through ioctls on a
/// socket created inside it (the host's /sys shows another namespace's view). Create
/// it inside the namespace; it answers for that namespace from any one thread at a time.
public final class Interfaces {
    private let fd: Int32

    /// Must run inside the namespace whose interfaces are wanted.
    public init() throws(PathManagerError) {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw .transport(.system(.current, operation: "socket")) }
    }

    deinit { close(fd) }

    /// The index of interface `name`, nil when there is none.
    public func index(of name: String) -> Int32? {
        guard !name.isEmpty, name.utf8.count < Int(IFNAMSIZ), !name.utf8.contains(0) else { return nil }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { raw in
            for (i, byte) in name.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        guard ioctl(fd, UInt(SIOCGIFINDEX), &request) == 0 else { return nil }
        return request.ifr_ifru.ifru_ivalue
    }

    /// The name of interface `index`, nil when there is none.
    public func name(of index: Int32) -> String? {
        guard index > 0 else { return nil }
        var request = ifreq()
        request.ifr_ifru.ifru_ivalue = index
        guard ioctl(fd, UInt(SIOCGIFNAME), &request) == 0 else { return nil }
        return withUnsafeBytes(of: request.ifr_ifrn.ifrn_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// Whether interface `name` is administratively up (IFF_UP); nil when there is none.
    public func isUp(_ name: String) -> Bool? {
        guard !name.isEmpty, name.utf8.count < Int(IFNAMSIZ), !name.utf8.contains(0) else { return nil }
        var request = ifreq()
        withUnsafeMutableBytes(of: &request.ifr_ifrn.ifrn_name) { raw in
            for (i, byte) in name.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        guard ioctl(fd, UInt(SIOCGIFFLAGS), &request) == 0 else { return nil }
        return Int32(request.ifr_ifru.ifru_flags) & Int32(IFF_UP) != 0
    }

    /// The names of every interface of the namespace the calling thread is in (run it
    /// inside `NetworkNamespace.within`), in index order.
    public static func names() -> [String] {
        guard let list = if_nameindex() else { return [] }
        defer { if_freenameindex(list) }
        var names: [String] = []
        var cursor = list
        while cursor.pointee.if_index != 0, let name = cursor.pointee.if_name {
            names.append(String(cString: name))
            cursor += 1
        }
        return names
    }

    /// The addresses configured on the namespace's interfaces.
    public func addresses() -> Set<IPAddress> {
        Set(addressOwners().keys)
    }

    /// Each configured address and the interface that holds it (the first, if several do).
    public func addressOwners() -> [IPAddress: String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return [:] }
        defer { freeifaddrs(list) }
        var result: [IPAddress: String] = [:]
        var cursor = list
        while let entry = cursor {
            if let sa = entry.pointee.ifa_addr {
                let name = entry.pointee.ifa_name.map { String(cString: $0) } ?? "?"
                func insert(_ address: IPAddress) { if result[address] == nil { result[address] = name } }
                switch Int32(sa.pointee.sa_family) {
                case AF_INET:
                    let a = UnsafeRawPointer(sa).loadUnaligned(as: sockaddr_in.self).sin_addr
                    insert(.v4(withUnsafeBytes(of: a) { Array($0) }))
                case AF_INET6:
                    let a = UnsafeRawPointer(sa).loadUnaligned(as: sockaddr_in6.self).sin6_addr
                    insert(.v6(withUnsafeBytes(of: a) { Array($0) }))
                default: break
                }
            }
            cursor = entry.pointee.ifa_next
        }
        return result
    }
}
