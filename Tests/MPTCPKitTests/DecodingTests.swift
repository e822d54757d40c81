import MPTCPKit
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
        let endpoint = try #require(Endpoint(message: decoded))
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
        let endpoint = try #require(Endpoint(message: reply))
        #expect(endpoint == Endpoint(id: 7, address: IPAddress("2001:db8::1")!, port: 10100, flags: .signal))
    }

    @Test func limitsReply() throws {
        let reply = message(command: 6, attribute(2, le32(3)) + attribute(3, le32(5)))
        let decoded = try #require(GenericMessage(bytes: reply))
        #expect(Limits(message: decoded) == Limits(subflows: 5, addAddrAccepted: 3))
        let partial = try #require(GenericMessage(bytes: message(command: 6, attribute(3, le32(5)))))
        #expect(Limits(message: partial) == nil)
    }

    @Test func malformedRepliesAreRefusedNotTrusted() throws {
        // Length field larger than the bytes received.
        var truncated = futureReply
        truncated.removeLast(8)
        #expect(GenericMessage(bytes: truncated) == nil)
        #expect(GenericMessage(bytes: []) == nil)
        #expect(GenericMessage(bytes: [UInt8](repeating: 0xff, count: 19)) == nil)
        // An IPv4 address of three bytes, an id of two: no endpoint.
        for nest in [attribute(3, [10, 0, 3]), attribute(3, [10, 0, 3, 1]) + attribute(2, [1, 2])] {
            let reply = try #require(GenericMessage(bytes: message(command: 3, attribute(0x8001, nest))))
            #expect(Endpoint(message: reply) == nil)
        }
        // No address at all.
        let reply = try #require(GenericMessage(bytes: message(command: 3, attribute(0x8001, attribute(2, [1])))))
        #expect(Endpoint(message: reply) == nil)
    }
}
