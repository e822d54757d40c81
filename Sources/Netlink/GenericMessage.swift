import CLibNL

/// A generic netlink message received from the kernel, decoded with libnl.
public struct GenericMessage: Sendable, Equatable {
    public let type: UInt16
    public let flags: UInt16
    public let command: UInt8
    public let version: UInt8
    public let attributes: [Attribute]

    public init(type: UInt16, flags: UInt16 = 0, command: UInt8, version: UInt8, attributes: [Attribute]) {
        self.type = type
        self.flags = flags
        self.command = command
        self.version = version
        self.attributes = attributes
    }

    /// Decodes one netlink message (header included); nil when it is not a valid
    /// generic netlink message.
    public init?(bytes: [UInt8]) {
        guard bytes.count >= MemoryLayout<nlmsghdr>.size else { return nil }
        let decoded = bytes.withUnsafeBytes { raw in
            AlignedBytes(raw).withMessages { header, length in Self.decode(header, available: Int(length)) }
        }
        guard let decoded else { return nil }
        self = decoded
    }

    private static func decode(_ header: UnsafeMutablePointer<nlmsghdr>, available: Int) -> GenericMessage? {
        let length = Int(header.pointee.nlmsg_len)
        guard length >= MemoryLayout<nlmsghdr>.size, length <= available,
              genlmsg_valid_hdr(header, 0) != 0,
              let genl = genlmsg_hdr(header)
        else { return nil }
        let attributeLength = Int(genlmsg_attrlen(genl, 0))
        var attributes: [Attribute] = []
        if attributeLength > 0, let start = genlmsg_attrdata(genl, 0) {
            attributes = Attribute.parse(UnsafeRawBufferPointer(start: start, count: attributeLength))
        }
        return GenericMessage(type: header.pointee.nlmsg_type, flags: header.pointee.nlmsg_flags,
                              command: genl.pointee.cmd, version: genl.pointee.version, attributes: attributes)
    }

    /// Decodes every message of one datagram, as a multicast read returns them, with
    /// libnl's walker; messages that are not valid generic netlink are left out.
    public static func messages(inDatagram datagram: [UInt8]) -> [GenericMessage] {
        AlignedBytes.messages(in: datagram) { header, remaining in decode(header, available: Int(remaining)) }
    }
}
