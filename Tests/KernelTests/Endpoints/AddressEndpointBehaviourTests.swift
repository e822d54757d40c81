import Foundation
import Testing

/// What the kernel does with `address` endpoints, pinned with real connections: client C
/// and server S joined by links a, b, c; C(a) connects to S(a), S announces addresses
/// (signal endpoints), and the client's monitor reports every subflow with its source.
/// Each test asserts the exact list of subflows, the initial one first. On a kernel
/// without address endpoints (before 6.18), each asserts their clean refusal instead.
struct AddressEndpointBehaviourTests {
    typealias Subflow = Topology.Subflow
    static let links = ["a", "b", "c"]
    let ca = Topology.client("a"), cb = Topology.client("b"), cc = Topology.client("c")
    let sa = Topology.server("a"), sb = Topology.server("b"), sc = Topology.server("c")
    /// C(b), C6(b), C(c): address endpoints of both families.
    var bothFamilies: [String] { ["\(cb) address", "fd00:2::1 address", "\(cc) address"] }

    /// Server: announces `announce`, accepts joins. Client: accepts as many announcements
    /// and has `endpoints` (the words after `endpoint add`). Then one connection C(a)–S(a),
    /// or to `address`.
    /// `expect` is how many extra subflows the test expects: the connection is held until
    /// the monitor saw them (plus a grace for unexpected ones). nil, with no connection
    /// made, when the kernel refused an address endpoint (it has none).
    func connect(_ t: Topology, announce: [String], endpoints: [String], extraSubflows: Int = 2, expect: Int,
                 to address: String = Topology.server("a"), listen: String = "0.0.0.0",
                 whileConnected: ((Background) throws -> Void)? = nil) throws -> Topology.Connection? {
        for address in announce { t.server.expectSuccess("endpoint add \(address) signal") }
        t.server.expectSuccess("limits set subflows \(extraSubflows) add_addr_accepted \(extraSubflows)")
        t.client.expectSuccess("limits set subflows \(extraSubflows) add_addr_accepted \(extraSubflows)")
        var added = true
        for endpoint in endpoints { added = t.client.expectEndpointAdded(endpoint) && added }
        guard added else {
            #expect(!RunningKernel.hasAddressEndpoints)
            return nil
        }
        return try t.connection(to: address, listen: listen, subflows: expect, whileConnected: whileConnected)
    }

    /// Without an address endpoint the source is the one routing picks: C(b) over the
    /// connected route, C(a) once a host route sends S(b) over link a.
    @Test(arguments: [false, true])
    func withoutAddressEndpointsRoutingPicksTheSource(routeViaLinkA: Bool) throws {
        try Topology.with(links: Self.links) { t in
            if routeViaLinkA { t.client.ip("route add \(sb)/32 via \(sa) dev ca") }
            let routed = try #require(t.routeSource(to: sb))
            #expect(routed == (routeViaLinkA ? ca : cb))
            let connection = try #require(try connect(t, announce: [sb], endpoints: [], expect: 1))
            #expect(connection.announced == [sb])
            #expect(connection.subflows == [Subflow(ca, sa), Subflow(routed, sb)], "\(connection.events)")
        }
    }

    /// One address endpoint is the source toward the announced address, even where
    /// routing would pick another (C(c) toward S(b), where routing says C(b)).
    @Test func oneAddressEndpointIsUsedForTheAnnouncedAddress() throws {
        try Topology.with(links: Self.links) { t in
            #expect(t.routeSource(to: sb) == cb)
            guard let connection = try connect(t, announce: [sb], endpoints: ["\(cc) address"], expect: 1) else { return }
            #expect(connection.subflows == [Subflow(ca, sa), Subflow(cc, sb)], "\(connection.events)")
        }
    }

    /// The first free address endpoint in the order they were added, not by id, and
    /// whatever link it is on: C(b), id 5, added first, answers S(c).
    @Test func addressEndpointsAreTriedInTheOrderTheyWereAdded() throws {
        try Topology.with(links: Self.links) { t in
            guard let connection = try connect(t, announce: [sc], endpoints: ["\(cb) id 5 address", "\(cc) id 1 address"],
                                               expect: 1) else { return }
            #expect(connection.subflows == [Subflow(ca, sa), Subflow(cb, sc)], "\(connection.events)")
        }
    }

    /// IPv4 and IPv6 address endpoints on an IPv6 connection: each announcement takes the
    /// first endpoint of its family not used yet, so each endpoint serves once.
    @Test func severalAddressEndpointsOfBothFamiliesAreEachUsedOnce() throws {
        try Topology.with(links: Self.links) { t in
            guard let connection = try connect(t, announce: [sb, "fd00:2::2", sc], endpoints: bothFamilies, extraSubflows: 3,
                                               expect: 3, to: "fd00:1::2", listen: "::") else { return }
            #expect(connection.announced == [sb, "fd00:2::2", sc])
            #expect(connection.subflows == [Subflow("fd00:1::1", "fd00:1::2"), Subflow(cb, sb),
                                            Subflow("fd00:2::1", "fd00:2::2"), Subflow(cc, sc)], "\(connection.events)")
        }
    }

    /// An IPv4 connection hears the IPv6 announcement but opens no IPv6 subflow: only the
    /// IPv4 endpoints and announcements pair up.
    @Test func anIPv4ConnectionUsesOnlyIPv4AddressEndpoints() throws {
        try Topology.with(links: Self.links) { t in
            guard let connection = try connect(t, announce: [sb, "fd00:2::2", sc], endpoints: bothFamilies, extraSubflows: 3,
                                               expect: 2) else { return }
            #expect(connection.announced == [sb, "fd00:2::2", sc])
            #expect(connection.subflows == [Subflow(ca, sa), Subflow(cb, sb), Subflow(cc, sc)], "\(connection.events)")
        }
    }

    /// Two announcements, one address endpoint: one extra subflow. Once an address
    /// endpoint exists, the kernel does not fall back to routing for the second.
    @Test func twoAnnouncementsButOneAddressEndpointMakeOneExtraSubflow() throws {
        try Topology.with(links: Self.links) { t in
            guard let connection = try connect(t, announce: [sb, sc], endpoints: ["\(cb) address"], expect: 1) else { return }
            #expect(connection.announced == [sb, sc])
            #expect(connection.subflows == [Subflow(ca, sa), Subflow(cb, sb)], "\(connection.events)")
        }
    }

    /// C(b) is `subflow,address`: its subflow to S(a) comes first; when S(b) is announced
    /// afterwards, C(b) is taken, so the next address endpoint C(c) serves.
    @Test func anAddressUsedBySubflowEndpointIsNotReused() throws {
        try Topology.with(links: Self.links) { t in
            guard let connection = try connect(t, announce: [], endpoints: ["\(cb) subflow address", "\(cc) address"],
                                               expect: 2, whileConnected: { monitor in
                #expect(monitor.waitFor(#""type":"sub_established""#, on: .stdout, seconds: 5))
                t.server.expectSuccess("endpoint add \(sb) signal")
            }) else { return }
            #expect(connection.announced == [sb])
            #expect(connection.subflows == [Subflow(ca, sa), Subflow(cb, sa), Subflow(cc, sb)], "\(connection.events)")
        }
    }

    /// A fullmesh endpoint takes precedence: the announced address is reached from the
    /// fullmesh endpoint C(c), and the address endpoint C(b) stays unused.
    @Test func fullmeshTakesPrecedenceOverAddressEndpoints() throws {
        try Topology.with(links: Self.links) { t in
            guard let connection = try connect(t, announce: [sb], endpoints: ["\(cb) address", "\(cc) fullmesh"],
                                               expect: 1) else { return }
            #expect(connection.subflows == [Subflow(ca, sa), Subflow(cc, sb)], "\(connection.events)")
        }
    }
}
