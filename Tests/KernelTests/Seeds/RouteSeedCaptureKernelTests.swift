import Foundation
import Glibc
import MPTCPKit
import Netlink
import Testing

/// The kernel's own rtnetlink messages, as `sync` receives them: link and address
/// changes read on a raw NETLINK_ROUTE socket subscribed inside a throwaway namespace.
/// Each datagram is checked to decode as the change made, then saved as a seed of
/// FuzzRouteMessages (and, after a rules file and a NUL, of FuzzRules).
struct RouteSeedCaptureKernelTests {
    /// A raw rtnetlink socket in the namespace, subscribed to links and addresses.
    final class RawRouteSocket {
        let fd: Int32
        init(netns: String) throws {
            // NETLINK_ROUTE is 0 (linux/netlink.h, which Glibc's module leaves out).
            fd = try NetworkNamespace.within(netns) { () throws(PathManagerError) in
                socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            }
            // struct sockaddr_nl: family, pad, pid, groups (RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR).
            var address: [UInt32] = [UInt32(AF_NETLINK), 0, 0x1 | 0x10 | 0x100]
            let bound = address.withUnsafeMutableBytes {
                bind(fd, $0.baseAddress!.assumingMemoryBound(to: sockaddr.self), 12)
            }
            #expect(fd >= 0 && bound == 0)
        }
        deinit { close(fd) }

        /// Every datagram queued now.
        func datagrams() -> [[UInt8]] {
            var result: [[UInt8]] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if count <= 0 { return result }
                result.append(Array(buffer.prefix(count)))
            }
        }
    }

    static let rules = "interfaces:\n  - name: \"v*\"\n    flags: [subflow]\n  - name: [w0]\n    flags: [address]\n    families: [ipv4]\n"

    @Test func linkAndAddressChanges() throws {
        try TestNamespace.with { ns in
            let socket = try RawRouteSocket(netns: ns.name)
            ns.ip("link add v0 type veth peer name v1")
            ns.ip("link set v0 up")
            ns.ip("link set v1 up")
            ns.ip("address add 10.1.0.1/24 dev v0")
            ns.ip("address add 2001:db8:1::1/64 dev v0 nodad")
            ns.ip("address add 2001:db8:1::2/64 dev v0")
            ns.ip("address del 10.1.0.1/24 dev v0")
            ns.ip("link set v0 down")
            pause(seconds: 0.1)
            let datagrams = socket.datagrams()
            let objects = datagrams.flatMap(RouteObject.decode(datagram:))
            let addresses = objects.compactMap { object -> (String, Bool, UInt32)? in
                guard case let .address(address, removed) = object, let value = InterfaceAddress(route: address) else { return nil }
                return (value.address.description, removed, address.flags)
            }
            #expect(addresses.contains { $0 == ("10.1.0.1", false, 0x80) }, "\(addresses)")
            #expect(addresses.contains { $0.0 == "10.1.0.1" && $0.1 })
            #expect(addresses.contains { $0.0 == "2001:db8:1::2" && $0.2 & 0x40 != 0 }, "tentative")
            let links = objects.compactMap { object -> (String, UInt32)? in
                guard case let .link(link, _) = object else { return nil }
                return (link.name, link.flags)
            }
            #expect(links.contains { $0.0 == "v0" && $0.1 & UInt32(IFF_UP) != 0 })
            #expect(links.last { $0.0 == "v0" }.map { $0.1 & UInt32(IFF_UP) == 0 } == true)
            let seeds = SeedCaptureKernelTests.seeds
            for target in ["FuzzRouteMessages", "FuzzRules"] {
                try FileManager.default.createDirectory(at: seeds.appendingPathComponent(target), withIntermediateDirectories: true)
            }
            for (index, datagram) in datagrams.enumerated() {
                try Data(datagram).write(to: seeds.appendingPathComponent("FuzzRouteMessages/rtnetlink-\(index + 1)"))
            }
            try Data(Array(Self.rules.utf8) + [0] + datagrams.prefix(12).flatMap { $0 })
                .write(to: seeds.appendingPathComponent("FuzzRules/rules-and-changes"))
        }
    }
}
