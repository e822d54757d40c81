import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing
@testable import MPTCPCtlCLI

/// Events as the kernel sends them, decoded and printed, without a kernel.
struct EventTests {
    func event(_ command: UInt8, _ attributes: [UInt8]) throws -> PathManagerEvent {
        let bytes = le32(UInt32(20 + attributes.count)) + le16(0x1d) + le16(0) + le32(0) + le32(0) + [command, 1, 0, 0] + attributes
        return PathManagerEvent(message: try #require(GenericMessage(bytes: bytes)))
    }
    let time = Timestamp(seconds: 1_795_000_000, microseconds: 42)

    @Test func subflowEstablishedWithPortsInNetworkOrder() throws {
        let e = try event(10, attribute(1, le32(0xaa60f59b)) + attribute(2, le16(2)) + attribute(3, [5]) + attribute(4, [1])
            + attribute(5, [10, 0, 2, 1]) + attribute(7, [10, 0, 2, 2]) + attribute(9, be16(40329)) + attribute(10, be16(8080))
            + attribute(11, [0]) + attribute(15, le32(3)))
        #expect(e.kind == .subflowEstablished)
        #expect(e.sport == 40329 && e.dport == 8080)
        #expect(e.localID == 5 && e.remoteID == 1 && e.backup == 0 && e.interfaceIndex == 3)
        let view = EventView(interfaceName: { $0 == 3 ? "cb" : nil })
        #expect(view.text(e, time: time)
            == "11:06:40.000042  sub_established   token aa60f59b  10.0.2.1:40329 -> 10.0.2.2:8080  loc_id 5 rem_id 1 backup 0 dev cb")
        #expect(view.json(e, time: time).rendered() == #"{"type":"sub_established","token":"aa60f59b","saddr":"10.0.2.1","#
            + #""daddr":"10.0.2.2","sport":40329,"dport":8080,"loc_id":5,"rem_id":1,"backup":0,"ifindex":3,"dev":"cb","#
            + #""time":"2026-11-18T11:06:40.000042Z"}"#)
    }

    @Test func ipv6ResetAndServerSide() throws {
        let v6: [UInt8] = [0xfd, 0] + [UInt8](repeating: 0, count: 13) + [2]
        let e = try event(11, attribute(1, le32(7)) + attribute(8, v6) + attribute(10, be16(443)) + attribute(12, [111])
            + attribute(16, le32(1)) + attribute(17, le32(0x2)) + attribute(18, [1]) + attribute(13, le16(0x3)) + attribute(14, le32(30)))
        #expect(e.kind == .subflowClosed)
        #expect(e.daddr == IPAddress("fd00::2"))
        #expect(EventView(interfaceName: { _ in nil }).text(e, time: time)
            == "11:06:40.000042  sub_closed        token 00000007  - -> [fd00::2]:443  error 111 flags 0x3 timeout 30 reset_reason 1 reset_flags 0x2 server_side 1")
    }

    @Test func unknownEventsAndMalformedAttributes() throws {
        let e = try event(99, attribute(1, [1, 2]) + attribute(5, [10, 0, 0]) + attribute(200, le32(1)))
        #expect(e.kind == .unknown(99))
        #expect(e.token == nil && e.saddr == nil)
        #expect(EventView(interfaceName: { _ in nil }).json(e, time: time).rendered()
            == #"{"type":"unknown_99","time":"2026-11-18T11:06:40.000042Z"}"#)
    }

    @Test func everyKnownEventHasItsName() throws {
        let expected: [UInt8: String] = [1: "created", 2: "established", 3: "closed", 6: "announced", 7: "removed",
                                         10: "sub_established", 11: "sub_closed", 13: "sub_priority",
                                         15: "listener_created", 16: "listener_closed"]
        for (command, name) in expected { #expect(EventView.name(try event(command, []).kind) == name) }
    }
}
