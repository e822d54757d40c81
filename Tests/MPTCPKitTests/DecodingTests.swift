@testable import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing

/// Replies as the kernel sends them, decoded; unknown attributes and flag bits kept.
struct DecodingTests {
    func message(command: UInt8, _ attributes: [UInt8]) -> [UInt8] { genericMessage(command: command, attributes) }
    var futureReply: [UInt8] { futureGetAddrReply }

    @Test func endpointWithUnknownAttributeAndFlagBits() throws {
        let decoded = try #require(GenericMessage(bytes: futureReply))
        #expect(decoded.type == 0x1d)
        #expect(decoded.command == 3)
        #expect(decoded.attributes.map(\.type) == [1, 77])
        #expect(decoded.attributes[0].isNested)
        let endpoint = try Endpoint(message: decoded)
        #expect(endpoint.id == 5)
        #expect(endpoint.address == IPAddress("10.0.3.1"))
        #expect(endpoint.port == 0)
        #expect(endpoint.interfaceIndex == 2)
        #expect(endpoint.flags == EndpointFlags(rawValue: 0x62))
        #expect(endpoint.flags.unknownBits == 0x40)
        #expect(endpoint.unknownAttributes == [Attribute(type: 42, payload: le32(0xdeadbeef))])
    }

    @Test func ipv6EndpointWithPort() throws {
        let v6: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]
        let nest = attribute(1, le16(10)) + attribute(2, [7]) + attribute(6, le32(1)) + attribute(5, le16(10100)) + attribute(4, v6)
        let reply = try #require(GenericMessage(bytes: message(command: 3, attribute(0x8001, nest))))
        let endpoint = try Endpoint(message: reply)
        #expect(endpoint == Endpoint(id: 7, address: IPAddress("2001:db8::1")!, port: 10100, flags: .signal))
    }

    @Test func limitsReply() throws {
        let reply = message(command: 6, attribute(2, le32(3)) + attribute(3, le32(5)))
        let decoded = try #require(GenericMessage(bytes: reply))
        #expect(try Limits(message: decoded) == Limits(subflows: 5, addAddrAccepted: 3))
        let partial = try #require(GenericMessage(bytes: message(command: 6, attribute(3, le32(5)))))
        #expect(throws: MalformedAttribute("MPTCP_PM_ATTR_RCV_ADD_ADDRS", .missing)) { try Limits(message: partial) }
        let short = try #require(GenericMessage(bytes: message(command: 6, attribute(2, le32(3)) + attribute(3, le16(5)))))
        #expect(throws: MalformedAttribute("MPTCP_PM_ATTR_SUBFLOWS", .size(2, expected: 4))) { try Limits(message: short) }
    }

    @Test func malformedRepliesAreRefusedNotTrusted() throws {
        // Length field larger than the bytes received.
        var truncated = futureReply
        truncated.removeLast(8)
        #expect(GenericMessage(bytes: truncated) == nil)
        #expect(GenericMessage(bytes: []) == nil)
        #expect(GenericMessage(bytes: [UInt8](repeating: 0xff, count: 19)) == nil)
        // An IPv4 address of three bytes, an id of two: the first is named.
        let bad: [([UInt8], MalformedAttribute)] = [
            (attribute(3, [10, 0, 3]), MalformedAttribute("MPTCP_PM_ADDR_ATTR_ADDR4", .size(3, expected: 4))),
            (attribute(3, [10, 0, 3, 1]) + attribute(2, [1, 2]) + attribute(6, [1]),
             MalformedAttribute("MPTCP_PM_ADDR_ATTR_ID", .size(2, expected: 1))),
            (attribute(1, le16(10)) + attribute(2, [1]), MalformedAttribute("MPTCP_PM_ADDR_ATTR_ADDR6", .missing)),
            (attribute(2, [1]), MalformedAttribute("MPTCP_PM_ADDR_ATTR_ADDR4", .missing)),
        ]
        for (nest, error) in bad {
            let reply = try #require(GenericMessage(bytes: message(command: 3, attribute(0x8001, nest))))
            #expect(throws: error) { try Endpoint(message: reply) }
        }
        let noNest = try #require(GenericMessage(bytes: message(command: 3, attribute(2, [1]))))
        #expect(throws: MalformedAttribute("MPTCP_PM_ATTR_ADDR", .missing)) { try Endpoint(message: noNest) }
    }

    /// A dump of three endpoints whose second has an id of two bytes fails whole (it
    /// was left out, and `apply` would have added it again, or `show` not shown it).
    @Test func aDumpWithOneMalformedEndpointFailsWhole() throws {
        let replies = try [[3, 1] as [UInt8], [3, 2], [3, 3]].enumerated().map { index, last in
            let id = index == 1 ? attribute(2, [2, 0]) : attribute(2, [UInt8(index + 1)])
            return try #require(GenericMessage(bytes: message(command: 3, attribute(0x8001, attribute(3, [10, 0] + last) + id))))
        }
        #expect(throws: PathManagerError.malformedReply(MalformedAttribute("MPTCP_PM_ADDR_ATTR_ID", .size(2, expected: 1)))) {
            try NetlinkBackend.endpoints(in: replies)
        }
        #expect(try NetlinkBackend.endpoints(in: [replies[0], replies[2]]).map(\.id) == [1, 3])
    }

    /// Each attribute of the address nest is read at its uapi size; a port of four bytes
    /// (a future kernel's, or a bug) is named, not taken for no port.
    @Test func everyAddressAttributeHasItsSize() throws {
        let fields: [(UInt16, String, Int)] = [(1, "FAMILY", 2), (2, "ID", 1), (5, "PORT", 2), (6, "FLAGS", 4), (7, "IF_IDX", 4)]
        for (type, name, size) in fields {
            let nest = attribute(3, [10, 0, 3, 1]) + attribute(type, [UInt8](repeating: 1, count: size + 1))
            let reply = try #require(GenericMessage(bytes: message(command: 3, attribute(0x8001, nest))))
            #expect(throws: MalformedAttribute("MPTCP_PM_ADDR_ATTR_\(name)", .size(size + 1, expected: size))) {
                try Endpoint(message: reply)
            }
        }
    }
}
