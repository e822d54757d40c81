import Foundation
@testable import MPTCPKit
import Testing

/// Doctor asks which interfaces routes leave by; the kernel's tables are read to their end,
/// however long (a router holding a full table has about a million IPv4 routes).
@Suite struct InterfaceRoutesTests {
    /// A table of `count` routes by `lo`, then one by `last`, as /proc/net/route prints them.
    static func ipv4Table(routes count: Int, last: String) -> String {
        var text = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
        let route = "lo\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
        text.reserveCapacity((count + 2) * route.utf8.count)
        for _ in 0..<count { text += route }
        return text + "\(last)\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0"
    }

    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "mptcpctl-routes-\(getpid())-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    @Test func aRouteAfterTheFirstMebibyteIsSeen() throws {
        // 40,000 routes, 2.1 MiB: the route by eth9 comes last, without a final newline.
        let path = try Self.write(Self.ipv4Table(routes: 40_000, last: "eth9"))
        defer { unlink(path) }
        #expect(InterfaceStatus.ipv4Routes(path: path) == ["lo", "eth9"])
    }

    @Test func theHeaderIsNotAnInterfaceAndAMissingTableHasNoRoutes() throws {
        let path = try Self.write(Self.ipv4Table(routes: 0, last: "eth0") + "\n")
        defer { unlink(path) }
        #expect(InterfaceStatus.ipv4Routes(path: path) == ["eth0"])
        #expect(InterfaceStatus.ipv4Routes(path: "/nonexistent/route").isEmpty)
    }

    @Test func ipv6RoutesAfterTheFirstMebibyteCountTooButNotLocalOnes() throws {
        let local = "00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo\n"
        let route = "20010db8000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth1\n"
        let last = "20010db8000100000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth7\n"
        let path = try Self.write(String(repeating: local, count: 10_000) + route + String(repeating: local, count: 10_000) + last)
        defer { unlink(path) }
        #expect(InterfaceStatus.ipv6Routes(path: path) == ["eth1", "eth7"])
    }
}
