import MPTCPKitTesting
import Netlink
import Testing

/// Attributes and messages as libnl's walkers read them, from bytes of any alignment.
struct AttributeTests {
    @Test func attributeWalkerStopsAtATruncatedTail() {
        let bytes = attribute(1, [1, 2, 3, 4]) + le16(200) + le16(2) + [0, 0]
        #expect(Attribute.parse(bytes) == [Attribute(type: 1, payload: [1, 2, 3, 4])])
    }

    @Test func integersAreReadInHostOrderAndPortsExplicitlyInNetworkOrder() {
        let values = Attribute.parse(attribute(1, le16(8080)) + attribute(2, le32(0x0102_0304)) + attribute(3, be16(8080))
            + attribute(4, le32(UInt32(bitPattern: -3))))
        #expect(values[0].u16 == 8080)
        #expect(values[1].u32 == 0x0102_0304)
        #expect(values[2].u16BigEndian == 8080)
        #expect(values[3].s32 == -3)
        // An exact length or nothing.
        #expect(values[1].u16 == nil && values[0].u32 == nil && values[0].u8 == nil)
    }

    @Test func unalignedBytesAreReadAsWell() {
        let bytes = [0xee] + attribute(7, le32(42))
        let parsed = bytes.withUnsafeBytes { Attribute.parse(UnsafeRawBufferPointer(rebasing: $0.dropFirst())) }
        #expect(parsed == [Attribute(type: 7, payload: le32(42))])
    }

    @Test func nestedAttributesAreMarkedAndWalked() {
        let outer = Attribute.parse(attribute(0x8001, attribute(2, [9]) + attribute(3, [10, 0, 0, 1])))
        #expect(outer.count == 1 && outer[0].type == 1 && outer[0].isNested)
        #expect(outer[0].nested.map(\.type) == [2, 3])
    }

    /// The in-place walker hands out what `parse` copies, the same from aligned and
    /// unaligned bytes, nested ones included, and stops at a truncated tail.
    @Test func theInPlaceWalkerSeesWhatParseCopies() {
        let bytes = attribute(0x8001, attribute(2, [9]) + attribute(3, le32(7))) + attribute(4, Array("mptcp\0".utf8))
            + le16(200) + le16(2)
        for offset in [0, 1] {
            let shifted = [UInt8](repeating: 0xee, count: offset) + bytes
            var seen: [Attribute] = [], inner: [UInt16] = [], word: UInt32?, text = ""
            shifted.withUnsafeBytes { raw in
                AttributeView.walk(UnsafeRawBufferPointer(rebasing: raw.dropFirst(offset))) { view in
                    seen.append(Attribute(view))
                    if view.type == 1 {
                        view.walkNested { nested in
                            inner.append(nested.type)
                            if nested.type == 3 { word = nested.u32 }
                        }
                    }
                    if view.type == 4 { text = view.string }
                }
            }
            #expect(seen == Attribute.parse(bytes), "offset \(offset)")
            #expect(seen.map(\.type) == [1, 4] && seen[0].isNested && !seen[1].isNested)
            #expect(inner == [2, 3] && word == 7 && text == "mptcp")
        }
    }

    @Test func aDatagramOfSeveralMessages() throws {
        func message(_ command: UInt8, _ attributes: [UInt8]) -> [UInt8] {
            le32(UInt32(20 + attributes.count)) + le16(0x1d) + le16(0) + le32(0) + le32(0) + [command, 1, 0, 0] + attributes
        }
        let datagram = message(1, attribute(1, le32(7))) + message(3, []) + [0, 0, 0]
        let messages = GenericMessage.messages(inDatagram: datagram)
        #expect(messages.map(\.command) == [1, 3])
        #expect(messages[0].attributes.first(1)?.u32 == 7)
        #expect(GenericMessage.messages(inDatagram: []).isEmpty)
    }

    @Test func malformedMessagesAreRefused() {
        #expect(GenericMessage(bytes: []) == nil)
        #expect(GenericMessage(bytes: [UInt8](repeating: 0xff, count: 19)) == nil)
        // A length field larger than the bytes received.
        #expect(GenericMessage(bytes: le32(64) + le16(0x1d) + le16(0) + le32(0) + le32(0) + [3, 1, 0, 0]) == nil)
    }

    @Test func errnoValuesHaveTheirNames() {
        #expect(Errno(rawValue: 17).name == "EEXIST")
        #expect(Errno(rawValue: 17).description == "EEXIST (File exists)")
        #expect(Errno(rawValue: 4242).name == "errno 4242")
        #expect(NetlinkError.kernel(Errno(rawValue: 22), extack: "address not found").description == "EINVAL: address not found")
    }

    /// The names say what POSIX (and swift-system) call them: EPERM is "not permitted",
    /// EACCES "permission denied"; both are a permission failure, nothing else is.
    @Test func errnoNamesAreThoseOfPOSIX() {
        #expect(Errno.notPermitted.name == "EPERM")
        #expect(Errno.permissionDenied.name == "EACCES")
        #expect(Errno.noSuchFileOrDirectory.name == "ENOENT")
        #expect(Errno.notSupportedOnSocket.name == "EOPNOTSUPP")
        #expect(Errno.notPermitted.isPermissionFailure && Errno.permissionDenied.isPermissionFailure)
        #expect(!Errno.readOnlyFileSystem.isPermissionFailure && !Errno.invalidArgument.isPermissionFailure)
    }
}
