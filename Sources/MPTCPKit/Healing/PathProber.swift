import Glibc
import Netlink

/// Probes of a path's peer, from the path's local address and out of its interface,
/// as the path's subflows leave: ICMP echo requests from one raw socket per family
/// (IP_PKTINFO / IPV6_PKTINFO give each its source address and interface), and TCP
/// connections for a target with a port (accepted or refused, the path answered).
/// Needs CAP_NET_RAW for the raw sockets (and to bind a TCP probe to its interface).
///
/// Thread and namespace rules: `open` makes its sockets inside the namespace; a TCP
/// probe's socket is made there too, each time. Used from one thread at a time.
public final class PathProber {
    /// A probe that came back, or that gave up.
    public enum Outcome: Sendable, Equatable {
        case answered(PathDetector.ProbeKey)
    }

    private let netns: String?
    private let icmp4: Int32
    private let icmp6: Int32
    /// The ICMP identifier of this prober's echo requests.
    private let identifier: UInt16
    private var sequence: UInt16 = 0
    /// Echo requests in flight, by sequence number: what they probe and when they left.
    private var echoes: [UInt16: (key: PathDetector.ProbeKey, sent: Double)] = [:]
    /// TCP probes in flight: their socket, what they probe, when they left.
    private var connects: [(fd: Int32, key: PathDetector.ProbeKey, sent: Double)] = []
    /// How long a probe waits for its answer.
    public let patience: Double

    /// Opens the raw sockets inside namespace `netns` (nil: the current one).
    public static func open(netns: String?, patience: Double) throws(PathManagerError) -> PathProber {
        try NetworkNamespace.within(netns) { () throws(PathManagerError) in try PathProber(netns: netns, patience: patience) }
    }

    private init(netns: String?, patience: Double) throws(PathManagerError) {
        self.netns = netns
        self.patience = patience
        let flags = Int32(SOCK_RAW.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        icmp4 = socket(AF_INET, flags, Int32(IPPROTO_ICMP))
        if icmp4 < 0 { throw .transport(.system(.current, operation: "socket(SOCK_RAW, IPPROTO_ICMP)")) }
        icmp6 = socket(AF_INET6, flags, Int32(IPPROTO_ICMPV6))
        if icmp6 < 0 {
            let failure = Errno.current
            close(icmp4)
            throw .transport(.system(failure, operation: "socket(SOCK_RAW, IPPROTO_ICMPV6)"))
        }
        // Only echo replies reach the sockets: ICMP_FILTER (SOL_RAW 255, 1) drops the
        // types whose bit is set; ICMP6_FILTER (IPPROTO_ICMPV6, 1) blocks those set.
        var drop4: UInt32 = ~(1 << 0)
        _ = setsockopt(icmp4, 255, 1, &drop4, 4)
        var block6 = [UInt32](repeating: 0xFFFF_FFFF, count: 8)
        block6[129 >> 5] &= ~(1 << (129 & 31))
        let v6 = icmp6
        _ = block6.withUnsafeMutableBytes { setsockopt(v6, Int32(IPPROTO_ICMPV6), 1, $0.baseAddress, 32) }
        identifier = UInt16(truncatingIfNeeded: getpid()) ^ UInt16.random(in: 0...UInt16.max)
    }

    deinit {
        close(icmp4)
        close(icmp6)
        for probe in connects { close(probe.fd) }
    }

    /// The descriptors to wait on: the raw sockets (replies).
    public var descriptors: [Int32] { [icmp4, icmp6] }

    /// Whether TCP probes wait for their answer (checked with `collect`, not by waiting
    /// on a descriptor: a connection completes as writable).
    public var connecting: Bool { !connects.isEmpty }

    /// Sends one probe for `key` out of interface `interfaceIndex` (0: as routing says),
    /// at `now`. A probe that cannot leave (the address is gone) is simply not answered.
    public func send(_ key: PathDetector.ProbeKey, interfaceIndex: Int32, at now: Double) {
        if let port = key.port {
            connect(key, port: port, interfaceIndex: interfaceIndex, at: now)
        } else {
            echo(key, interfaceIndex: interfaceIndex, at: now)
        }
    }

    /// Reads what came in on the raw sockets and what the TCP probes got, and drops the
    /// probes that waited longer than `patience`.
    public func collect(at now: Double) -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes += receive(icmp4, v6: false)
        outcomes += receive(icmp6, v6: true)
        outcomes += finishConnects(at: now)
        echoes = echoes.filter { now - $0.value.sent < patience }
        return outcomes
    }

    // MARK: - ICMP echo

    private func echo(_ key: PathDetector.ProbeKey, interfaceIndex: Int32, at now: Double) {
        sequence &+= 1
        let v6 = !key.target.isIPv4
        var packet: [UInt8] = [v6 ? 128 : 8, 0, 0, 0, UInt8(identifier >> 8), UInt8(identifier & 0xFF),
                               UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        packet += Array(repeating: 0x6d, count: 8)
        if !v6 {
            let sum = Self.checksum(packet)
            packet[2] = UInt8(sum >> 8)
            packet[3] = UInt8(sum & 0xFF)
        }
        // The kernel computes ICMPv6's checksum itself (with the pseudo-header).
        let sent = Self.sendMessage(v6 ? icmp6 : icmp4, packet, to: key.target, port: 0, from: key.local, interfaceIndex: interfaceIndex)
        if sent { echoes[sequence] = (key, now) }
    }

    private func receive(_ fd: Int32, v6: Bool) -> [Outcome] {
        var outcomes: [Outcome] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        while true {
            var from = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, raw.baseAddress, raw.count, 0, $0, &length) }
                }
            }
            guard count > 0 else { return outcomes }
            // IPv4 raw sockets give the IP header too.
            let start = v6 ? 0 : Int(buffer[0] & 0x0F) * 4
            guard count >= start + 8, buffer[start] == (v6 ? 129 : 0) else { continue }
            let id = UInt16(buffer[start + 4]) << 8 | UInt16(buffer[start + 5])
            let seq = UInt16(buffer[start + 6]) << 8 | UInt16(buffer[start + 7])
            guard id == identifier, let probe = echoes[seq], Self.address(of: from) == probe.key.target else { continue }
            echoes[seq] = nil
            outcomes.append(.answered(probe.key))
        }
    }

    /// The Internet checksum (RFC 1071).
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var index = 0
        while index + 1 < bytes.count {
            sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
            index += 2
        }
        if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    // MARK: - TCP connect

    private func connect(_ key: PathDetector.ProbeKey, port: UInt16, interfaceIndex: Int32, at now: Double) {
        // Made inside the namespace: a socket belongs to the one it was made in.
        let fd = (try? NetworkNamespace.within(netns) { () throws(PathManagerError) in
            socket(Int32(key.target.family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }) ?? -1
        guard fd >= 0 else { return }
        if interfaceIndex != 0 {
            // SO_BINDTOIFINDEX (62, Linux 5.0): SO_BINDTODEVICE by index, as the subflows of an endpoint with `dev`.
            var index = interfaceIndex
            _ = setsockopt(fd, SOL_SOCKET, 62, &index, 4)
        }
        guard Self.withSocketAddress(key.local, port: 0, { bind(fd, $0, $1) }) == 0 else {
            close(fd)
            return
        }
        let result = Self.withSocketAddress(key.target, port: port) { Glibc.connect(fd, $0, $1) }
        if result == 0 || errno == EINPROGRESS {
            connects.append((fd, key, now))
        } else {
            close(fd)
        }
    }

    private func finishConnects(at now: Double) -> [Outcome] {
        var outcomes: [Outcome] = [], waiting: [(fd: Int32, key: PathDetector.ProbeKey, sent: Double)] = []
        for probe in connects {
            var poller = pollfd(fd: probe.fd, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, 0) > 0 {
                var error: Int32 = 0
                var length = socklen_t(4)
                _ = getsockopt(probe.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                // Accepted or refused: either way the peer answered over the path.
                if error == 0 || error == ECONNREFUSED { outcomes.append(.answered(probe.key)) }
                close(probe.fd)
            } else if now - probe.sent >= patience {
                close(probe.fd)
            } else {
                waiting.append(probe)
            }
        }
        connects = waiting
        return outcomes
    }

    // MARK: - Addresses

    /// Sends `payload` to `target` from `source` out of `interfaceIndex` (IP_PKTINFO or
    /// IPV6_PKTINFO); whether it left.
    static func sendMessage(_ fd: Int32, _ payload: [UInt8], to target: IPAddress, port: UInt16, from source: IPAddress,
                            interfaceIndex: Int32) -> Bool {
        // struct cmsghdr (len: size_t, level, type: int) then in_pktinfo {ifindex,
        // spec_dst, addr} or in6_pktinfo {addr, ifindex}, aligned to 8 bytes.
        let v6 = !target.isIPv4
        var info: [UInt8] = []
        if v6 {
            info = source.v6Bytes + withUnsafeBytes(of: interfaceIndex) { Array($0) }
        } else {
            info = withUnsafeBytes(of: interfaceIndex) { Array($0) } + source.bytes + [0, 0, 0, 0]
        }
        let header = 16, space = header + (info.count + 7) / 8 * 8
        var control = [UInt8](repeating: 0, count: space)
        withUnsafeBytes(of: UInt64(header + info.count)) { control.replaceSubrange(0..<8, with: $0) }
        withUnsafeBytes(of: Int32(v6 ? IPPROTO_IPV6 : IPPROTO_IP)) { control.replaceSubrange(8..<12, with: $0) }
        withUnsafeBytes(of: Int32(v6 ? 50 /* IPV6_PKTINFO */ : 8 /* IP_PKTINFO */)) { control.replaceSubrange(12..<16, with: $0) }
        control.replaceSubrange(header..<header + info.count, with: info)
        var payload = payload
        return withSocketAddress(target, port: port) { address, length in
            payload.withUnsafeMutableBytes { data in
                control.withUnsafeMutableBytes { cmsg in
                    var vector = iovec(iov_base: data.baseAddress, iov_len: data.count)
                    return withUnsafeMutablePointer(to: &vector) { vectors in
                        var message = msghdr(msg_name: UnsafeMutableRawPointer(mutating: address), msg_namelen: length,
                                             msg_iov: vectors, msg_iovlen: 1, msg_control: cmsg.baseAddress,
                                             msg_controllen: cmsg.count, msg_flags: 0)
                        return sendmsg(fd, &message, Int32(MSG_DONTWAIT)) >= 0 ? 0 : -1
                    }
                }
            }
        } == 0
    }

    /// Calls `body` with a sockaddr_in or sockaddr_in6 for `address` and `port`.
    static func withSocketAddress(_ address: IPAddress, port: UInt16, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        if address.isIPv4 {
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sa.sin_addr) { $0.copyBytes(from: address.bytes) }
            return withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        }
        var sa = sockaddr_in6()
        sa.sin6_family = sa_family_t(AF_INET6)
        sa.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &sa.sin6_addr) { $0.copyBytes(from: address.v6Bytes) }
        return withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) } }
    }

    /// The address in a sockaddr_in or sockaddr_in6, in its plain form.
    static func address(of storage: sockaddr_storage) -> IPAddress? {
        var storage = storage
        return withUnsafeBytes(of: &storage) { raw -> IPAddress? in
            switch Int32(raw.load(as: sa_family_t.self)) {
            case AF_INET: return .v4(Array(raw[4..<8]))
            case AF_INET6: return IPAddress.v6(Array(raw[8..<24])).unmapped
            default: return nil
            }
        }
    }
}

extension IPAddress {
    /// The 16 bytes of the address as IPv6 (an IPv4 one mapped, ::ffff:a.b.c.d).
    var v6Bytes: [UInt8] {
        switch self {
        case let .v4(b): Array(repeating: 0, count: 10) + [0xFF, 0xFF] + b
        case let .v6(b): b
        }
    }
}
