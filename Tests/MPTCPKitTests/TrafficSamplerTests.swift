import MPTCPKit
import Testing

/// The rate arithmetic of `TrafficSampler`: readings of the same connection taken one
/// after the other, with counters that grow, reset, and subflows that come and go.
struct TrafficSamplerTests {
    static let token: UInt32 = 0x0146_475a

    /// A subflow from C(link) to S(link) on interface "c<link>" whose tcp_info counters
    /// say `acked` bytes sent and acknowledged and `received` bytes received.
    static func subflow(_ link: Int, acked: UInt64?, received: UInt64? = 0) -> Subflow {
        Subflow(local: IPAddress("10.0.\(link).1")!, remote: IPAddress("10.0.\(link).2")!, localPort: 40000 + UInt16(link), remotePort: 8080,
                state: 1, localToken: token, remoteToken: 1, localID: UInt8(link - 1), remoteID: UInt8(link - 1),
                flags: link == 1 ? 0 : Subflow.joinLocalFlag, interfaceName: "c\(link)",
                tcpInfo: TCPInfo(rtt: 1000, bytesAcked: acked, bytesReceived: received))
    }

    /// The connection C(1)–S(1) with `subflows`, and its mptcp_info counters when given.
    static func connection(_ subflows: [Subflow], acked: UInt64? = nil, received: UInt64? = nil) -> [(netns: String?, connections: [Connection])] {
        let info = Connection.Info(subflows: UInt8(max(0, subflows.count - 1)), addAddrSignal: 0, addAddrAccepted: 0, flags: 0,
                                   token: token, bytesSent: acked, bytesReceived: received, bytesAcked: acked)
        return [(nil, [Connection(token: token, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 40001,
                                  remotePort: 8080, state: 1, info: info, subflows: subflows)])]
    }

    /// (send, receive) of the connection and of each subflow, in bytes per second.
    static func rates(_ sample: TrafficSample) -> [[Double?]] {
        sample.connections.flatMap { c in [[c.rates.send, c.rates.receive]] + c.subflows.map { [$0.rates.send, $0.rates.receive] } }
    }

    @Test func theFirstReadingHasNoRates() {
        var sampler = TrafficSampler()
        let first = sampler.sample(Self.connection([Self.subflow(1, acked: 5000)], acked: 5000, received: 0), at: 100)
        #expect(first.interval == nil)
        #expect(Self.rates(first) == [[nil, nil], [nil, nil]])
        #expect(first.connections[0].dataRates == nil)
        #expect(first.interfaces == [TrafficSample.InterfaceTraffic(name: "c1", subflows: 1, rates: .init(send: nil, receive: nil))])
    }

    @Test func steadyCountersGiveBytesPerSecondOverTheInterval() {
        var sampler = TrafficSampler()
        _ = sampler.sample(Self.connection([Self.subflow(1, acked: 1000, received: 10), Self.subflow(2, acked: 0)], acked: 1000, received: 10), at: 10)
        let second = sampler.sample(Self.connection([Self.subflow(1, acked: 501_000, received: 110), Self.subflow(2, acked: 1_500_000)],
                                                    acked: 2_001_000, received: 110), at: 10.5)
        #expect(second.interval == 0.5)
        // Subflow 1: 500,000 bytes in half a second; subflow 2: 1,500,000; the connection
        // (from mptcp_info): 2,000,000.
        #expect(Self.rates(second) == [[4_000_000, 200], [1_000_000, 200], [3_000_000, 0]])
        #expect(second.connections[0].dataRates == .init(send: 4_000_000, receive: 200))
        #expect(second.interfaces.map(\.name) == ["c1", "c2"])
        #expect(second.interfaces.map(\.rates) == [.init(send: 1_000_000, receive: 200), .init(send: 3_000_000, receive: 0)])
        let third = sampler.sample(Self.connection([Self.subflow(1, acked: 501_000, received: 110), Self.subflow(2, acked: 1_500_000)],
                                                   acked: 2_001_000, received: 110), at: 11.5)
        #expect(Self.rates(third) == [[0, 0], [0, 0], [0, 0]])
    }

    /// A socket reset or reused (the same token and ports, counters starting again):
    /// counted from 0, never a negative or wrapped-around rate.
    @Test func aCounterThatWentBackwardsCountsFromZero() {
        var sampler = TrafficSampler()
        _ = sampler.sample(Self.connection([Self.subflow(1, acked: 9_000_000, received: 500)], acked: 9_000_000, received: 500), at: 1)
        let after = sampler.sample(Self.connection([Self.subflow(1, acked: 2000, received: 100)], acked: 2000, received: 100), at: 2)
        #expect(Self.rates(after) == [[2000, 100], [2000, 100]])
        #expect(after.connections.allSatisfy { c in c.subflows.allSatisfy { ($0.rates.send ?? -1) >= 0 } })
    }

    /// The second subflow closed between the readings: the connection's rate still
    /// counts what it carried (what mptcp_info counted beyond the remaining subflow);
    /// the remaining subflow's is its own.
    @Test func aClosedSubflowStillCountsInItsConnection() {
        var sampler = TrafficSampler()
        _ = sampler.sample(Self.connection([Self.subflow(1, acked: 1000), Self.subflow(2, acked: 1000)], acked: 2000, received: 0), at: 1)
        let after = sampler.sample(Self.connection([Self.subflow(1, acked: 3000)], acked: 9000, received: 0), at: 2)
        #expect(Self.rates(after) == [[7000, 0], [2000, 0]])
        #expect(after.interfaces.map(\.name) == ["c1"])
        // Without mptcp_info's counters the closed subflow's last bytes are not known.
        var older = TrafficSampler()
        _ = older.sample(Self.connection([Self.subflow(1, acked: 1000), Self.subflow(2, acked: 1000)]), at: 1)
        #expect(Self.rates(older.sample(Self.connection([Self.subflow(1, acked: 3000)]), at: 2)) == [[2000, 0], [2000, 0]])
    }

    /// Data sent again on a second path (a reinjection) counts on each path that
    /// carried it, and once in the connection's data rate.
    @Test func thePathsCanCarryMoreThanTheData() {
        var sampler = TrafficSampler()
        _ = sampler.sample(Self.connection([Self.subflow(1, acked: 0), Self.subflow(2, acked: 0)], acked: 0, received: 0), at: 1)
        let after = sampler.sample(Self.connection([Self.subflow(1, acked: 3000), Self.subflow(2, acked: 2000)], acked: 4000, received: 0), at: 2)
        #expect(Self.rates(after) == [[5000, 0], [3000, 0], [2000, 0]])
        #expect(after.connections[0].dataRates == .init(send: 4000, receive: 0))
    }

    /// Without mptcp_info's byte counters (an older kernel), a connection's rate is the
    /// sum of its subflows'; a subflow new since the last reading counts from 0.
    @Test func withoutConnectionCountersTheSubflowsAreSummed() {
        var sampler = TrafficSampler()
        _ = sampler.sample(Self.connection([Self.subflow(1, acked: 1000)]), at: 1)
        let after = sampler.sample(Self.connection([Self.subflow(1, acked: 4000), Self.subflow(2, acked: 500)]), at: 3)
        #expect(Self.rates(after) == [[1750, 0], [1500, 0], [250, 0]])
        #expect(after.connections[0].dataRates == nil)
        // Without any counter at all, no rate: nil, not 0.
        let none = sampler.sample(Self.connection([Self.subflow(1, acked: nil, received: nil)]), at: 4)
        #expect(Self.rates(none) == [[nil, nil], [nil, nil]])
    }

    /// A new connection whose token and ports reuse another's in another namespace is
    /// another connection; one that appears between readings counts from 0.
    @Test func connectionsAreKeptApartByNamespace() {
        var sampler = TrafficSampler()
        let one = Self.connection([Self.subflow(1, acked: 1000)], acked: 1000, received: 0)[0].connections
        _ = sampler.sample([("a", one)], at: 1)
        let after = sampler.sample([("a", one), ("b", one)], at: 2)
        #expect(after.connections.map(\.netns) == ["a", "b"])
        #expect(after.connections.map(\.rates.send) == [0, 1000])
        // Each namespace's c1 is its own interface: totalled apart, the current namespace first.
        let third = sampler.sample([("b", one), (nil, one), ("a", one)], at: 3)
        #expect(third.interfaces.map(\.netns) == [nil, "a", "b"])
        #expect(third.interfaces.map(\.name) == ["c1", "c1", "c1"])
        #expect(third.interfaces.map(\.subflows) == [1, 1, 1])
        #expect(third.interfaces.map(\.rates.send) == [1000, 0, 0])
    }

    /// A reading at the same time as (or before) the previous one has no interval:
    /// it starts over as a first reading.
    @Test func aReadingNotAfterThePreviousOneStartsOver() {
        var sampler = TrafficSampler()
        _ = sampler.sample(Self.connection([Self.subflow(1, acked: 1000)], acked: 1000, received: 0), at: 5)
        let same = sampler.sample(Self.connection([Self.subflow(1, acked: 2000)], acked: 2000, received: 0), at: 5)
        #expect(same.interval == nil)
        #expect(Self.rates(same) == [[nil, nil], [nil, nil]])
        let next = sampler.sample(Self.connection([Self.subflow(1, acked: 2600)], acked: 2600, received: 0), at: 6)
        #expect(Self.rates(next) == [[600, 0], [600, 0]])
    }
}
