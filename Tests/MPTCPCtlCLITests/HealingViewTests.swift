import MPTCPKit
import Testing
@testable import MPTCPCtlCLI

/// What `sync` says of healing, byte for byte: each failure and repair as a line, and
/// with -j as one JSON object with `event`.
struct HealingViewTests {
    static let path = PathReport(path: NetworkPath(local: IPAddress("10.0.2.1")!, remote: IPAddress("10.0.1.2")!), interface: "cb",
                                 endpoint: 2)
    static let endpoint = Endpoint(id: 2, address: IPAddress("10.0.2.1")!, flags: .subflow, interfaceIndex: 3)
    static let time = Timestamp(seconds: 1_795_000_000, microseconds: 123_456)

    @Test func eachEventIsOneLine() {
        let lines = [
            HealingEvent.pathDown(Self.path, reason: .probes, connections: [0x1a2b3c4d]),
            .pathUp(Self.path, reason: .probes, downFor: 20.35, connections: [0x1a2b3c4d]),
            .repaired(Self.path, endpoint: Self.endpoint, lacking: [0x1a2b3c4d], touched: [0xbeef], attempt: 1),
            .healed(Self.path, connections: [0x1a2b3c4d], seconds: 0.4321, repairs: 1),
            .pathDown(Self.path, reason: .carrier, connections: []),
            .waitingForPeer(Self.path, connections: [7]),
            .gaveUp(Self.path, connections: [7], seconds: 60.04),
        ].map { HealingView.text($0, netns: "ns1", time: Self.time) }
        #expect(lines == [
            "2026-11-18T11:06:40.123456Z ns1: path down: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): no answer to probes; 1 connection(s) on it: 1a2b3c4d",
            "2026-11-18T11:06:40.123456Z ns1: path up: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): its peer answers again after 20.3 s; 1 connection(s) to heal: 1a2b3c4d",
            "2026-11-18T11:06:40.123456Z ns1: repair: endpoint 2 (10.0.2.1 dev cb subflow) deleted and added again: 1 connection(s) lacked 10.0.2.1 -> 10.0.1.2: 1a2b3c4d; it also closed and reopened the working subflows of 1 connection(s): 0000beef",
            "2026-11-18T11:06:40.123456Z ns1: healed: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): 1 connection(s) carry traffic on it again: 1a2b3c4d, 0.4 s after it came back (1 repair)",
            "2026-11-18T11:06:40.123456Z ns1: path down: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): cb is down, lost its carrier or is gone; 0 connection(s) on it",
            "2026-11-18T11:06:40.123456Z ns1: waiting for the peer: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): 1 connection(s) lack it: 00000007; an address endpoint opens a subflow only when the peer announces its address, which the peer's sync does by healing its signal endpoint",
            "2026-11-18T11:06:40.123456Z ns1: gave up: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): 1 connection(s) still lack it 60.0 s after it failed or came back: 00000007",
        ])
    }

    @Test func eachEventIsOneJSONObject() {
        let healed = HealingView.json(.healed(Self.path, connections: [0x1a2b3c4d], seconds: 0.4321, repairs: 1), netns: nil, time: Self.time)
        #expect(healed.rendered() == #"{"time":"2026-11-18T11:06:40.123456Z","netns":null,"event":"healed","path":{"local":"10.0.2.1","remote":"10.0.1.2","dev":"cb","endpoint":2},"connections":["1a2b3c4d"],"seconds":0.432,"repairs":1,"text":"healed: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): 1 connection(s) carry traffic on it again: 1a2b3c4d, 0.4 s after it came back (1 repair)"}"#)
        let repair = HealingView.json(.repaired(Self.path, endpoint: Self.endpoint, lacking: [1], touched: [], attempt: 2), netns: "ns1", time: Self.time)
        #expect(repair.rendered().hasPrefix(#"{"time":"2026-11-18T11:06:40.123456Z","netns":"ns1","event":"repair","path":{"local":"10.0.2.1","remote":"10.0.1.2","dev":"cb","endpoint":2},"endpoint":{"id":2,"address":"10.0.2.1","dev":"cb","flags":["subflow"]},"lacking":["00000001"],"touched":[],"attempt":2,"text":"repair: endpoint 2 (10.0.2.1 dev cb subflow) deleted and added again (attempt 2): "#))
        let up = HealingView.json(.pathUp(Self.path, reason: .carrier, downFor: 1.5, connections: []), netns: nil, time: Self.time)
        #expect(up.rendered().contains(#""event":"path_up","path":{"local":"10.0.2.1","remote":"10.0.1.2","dev":"cb","endpoint":2},"reason":"carrier","down_seconds":1.500,"connections":[],"#))
        #expect(JSON.seconds(0) == "0.000" && JSON.seconds(12.3456) == "12.346" && JSON.seconds(-.infinity) == "0.000")
    }
}
