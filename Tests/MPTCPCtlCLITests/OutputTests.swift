import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

struct OutputTests {
    @Test func jsonEscapesAndIndents() {
        let value = JSON.object([("a", .string("q\"\\\n\u{1}é")), ("b", .array([.int(-1), .bool(true), .null])), ("c", .object([]))])
        #expect(value.rendered() == #"{"a":"q\"\\\n\u0001é","b":[-1,true,null],"c":{}}"#)
        #expect(value.rendered(pretty: true) == """
            {
                "a": "q\\"\\\\\\n\\u0001é",
                "b": [
                    -1,
                    true,
                    null
                ],
                "c": {}
            }
            """)
    }

    @Test func countsAndSummary() {
        let a = IPAddress("10.0.0.1")!
        let endpoints = [
            Endpoint(id: 1, address: a, flags: [.signal]),
            Endpoint(id: 2, address: a, flags: [.subflow, .backup]),
            Endpoint(id: 3, address: a, flags: [.address]),
            Endpoint(id: 4, address: a, flags: [.subflow, .fullmesh]),
        ]
        let counts = EndpointCounts(endpoints)
        #expect(counts.total == 4 && counts.signal == 1 && counts.subflow == 2 && counts.address == 1)
        #expect(counts.fullmesh == 1 && counts.backup == 1 && counts.implicit == 0)
        #expect(EndpointView.summary(counts, limits: Limits(subflows: 2, addAddrAccepted: 1)) == """
            endpoints  4: signal 1  subflow 2  address 1  fullmesh 1  backup 1
            limits     subflows 2  add_addr_accepted 1
            """)
    }

    @Test func limitsTextAndJSON() {
        let limits = Limits(subflows: 4, addAddrAccepted: 2)
        #expect(LimitsView.render(limits, OutputFormat(.table)) == """
            LIMIT              VALUE
            subflows           4
            add_addr_accepted  2
            """)
        #expect(LimitsView.render(limits, OutputFormat(.json))
            == #"{"subflows":4,"add_addr_accepted":2}"#)
    }
}
