import Foundation
import MPTCPKitTesting
import Netlink
import Testing
@testable import MPTCPKit

/// Events as the kernel sends them, decoded by the tables of `EventAttributes`; the
/// tables checked against the uapi header the build uses.
struct EventDecodingTests {
    @Test func unknownAttributesAreKeptAndMalformedOnesLeftOut() throws {
        let bytes = genericMessage(command: 10, attribute(1, le32(7)) + attribute(5, [10, 0, 0]) + attribute(200, le32(1))
            + attribute(9, be16(443)))
        let event = PathManagerEvent(message: try #require(GenericMessage(bytes: bytes)))
        #expect(event.kind == .subflowEstablished)
        #expect(event.token == 7 && event.saddr == nil && event.sport == 443)
        #expect(event.unknownAttributes == [Attribute(type: 200, payload: le32(1))])
        #expect(event.malformed == MalformedAttribute("MPTCP_ATTR_SADDR4", .size(3, expected: 4)))
        // The first is named: a token of two bytes after it changes nothing.
        let second = genericMessage(command: 10, attribute(5, [10, 0, 0]) + attribute(1, le16(7)))
        #expect(PathManagerEvent(message: try #require(GenericMessage(bytes: second))).malformed?.attribute == "MPTCP_ATTR_SADDR4")
        #expect(PathManagerEvent(message: try #require(GenericMessage(bytes: genericMessage(command: 10, attribute(1, le32(7))))))
            .malformed == nil)
    }

    @Test func kindsKnowTheirCommandAndUapiName() {
        #expect(PathManagerEvent.Kind.known.count == 10)
        #expect(PathManagerEvent.Kind.subflowPriority.command == 13)
        #expect(PathManagerEvent.Kind.subflowPriority.uapiName == "MPTCP_EVENT_SUB_PRIORITY")
        #expect(PathManagerEvent.Kind.unknown(99).command == 99 && PathManagerEvent.Kind.unknown(99).uapiName == nil)
        #expect(EventAttributes.kind(16) == .listenerClosed && EventAttributes.kind(4) == .unknown(4))
    }

    /// Each number beside its uapi name is the header's (older headers lack the newest names).
    @Test func tablesAgreeWithTheUapiHeader() throws {
        let header = try #require(try? String(contentsOfFile: "/usr/include/linux/mptcp.h", encoding: .utf8))
        let lines = header.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for (_, command, name) in EventAttributes.kinds {
            guard let line = lines.first(where: { $0.hasPrefix(name + " =") }) else { continue }
            #expect(line.hasPrefix("\(name) = \(command),"), "\(line)")
        }
        // MPTCP_ATTR_* is an enum without numbers: its order counts from MPTCP_ATTR_UNSPEC = 0.
        let start = try #require(lines.firstIndex { $0.hasPrefix("MPTCP_ATTR_UNSPEC") })
        let names = lines[(start + 1)...].prefix { !$0.hasPrefix("__MPTCP_ATTR_AFTER_LAST") }
            .compactMap { $0.split(separator: ",").first.map(String.init) }.filter { $0.hasPrefix("MPTCP_ATTR_") }
        #expect(names.count >= 15)
        for (index, name) in names.enumerated() {
            let entry = try #require(EventAttributes.attributes.first { $0.uapiName == name }, "\(name) not in the table")
            #expect(entry.type == UInt16(index + 1), "\(name)")
        }
    }
}
