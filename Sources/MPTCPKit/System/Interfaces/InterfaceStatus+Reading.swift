import Glibc

extension InterfaceStatus {
    /// Reads interface `name` of the namespace the calling thread is in (procfs answers
    /// for the thread's namespace: /proc/thread-self/net, /proc/sys).
    public static func read(_ name: String, interfaces: Interfaces) -> InterfaceStatus {
        let own = Sysctl.read("net/ipv4/conf/\(name)/rp_filter").flatMap { Int($0) }
        let all = Sysctl.read("net/ipv4/conf/all/rp_filter").flatMap { Int($0) }
        let filter = own.map { max($0, all ?? 0) }
        return InterfaceStatus(name: name, isUp: interfaces.isUp(name), hasIPv4Route: ipv4Routes().contains(name),
                               hasIPv6Route: ipv6Routes().contains(name), reversePathFilter: filter)
    }

    /// The interfaces that routes of the main IPv4 table leave by (/proc/net/route), the
    /// whole table however long.
    static func ipv4Routes(path: String = "/proc/thread-self/net/route") -> Set<String> {
        var names = Set<String>(), header = true
        Sysctl.forEachLine(of: path) { line in
            defer { header = false }
            guard !header, let name = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).first else { return }
            names.insert(String(name))
        }
        return names
    }

    /// The interfaces that IPv6 routes leave by (/proc/net/ipv6_route), leaving out
    /// link-local and multicast destinations, local routes and reject routes.
    static func ipv6Routes(path: String = "/proc/thread-self/net/ipv6_route") -> Set<String> {
        var names = Set<String>()
        Sysctl.forEachLine(of: path) { line in
            let fields = line.split(separator: " ")
            guard fields.count == 10, let flags = UInt32(fields[8], radix: 16) else { return }
            let destination = fields[0]
            if destination.hasPrefix("fe8") || destination.hasPrefix("ff") { return }
            if flags & 0x8000_0000 != 0 || flags & 0x0200 != 0 { return } // RTF_LOCAL, RTF_REJECT
            names.insert(String(fields[9]))
        }
        return names
    }
}
