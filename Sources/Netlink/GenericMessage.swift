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
        let headerLength = MemoryLayout<nlmsghdr>.size
        guard bytes.count >= headerLength else { return nil }
        let decoded: GenericMessage? = bytes.withUnsafeBytes { raw in
            let header = raw.baseAddress!.assumingMemoryBound(to: nlmsghdr.self)
            let length = Int(header.pointee.nlmsg_len)
            guard length >= headerLength, length <= raw.count,
                  genlmsg_valid_hdr(UnsafeMutablePointer(mutating: header), 0) != 0,
                  let genl = genlmsg_hdr(UnsafeMutablePointer(mutating: header))
            else { return nil }
            let attributeLength = Int(genlmsg_attrlen(genl, 0))
            let attributes: [Attribute]
            if attributeLength > 0, let start = genlmsg_attrdata(genl, 0) {
                attributes = Attribute.parse(UnsafeRawBufferPointer(start: start, count: attributeLength))
            } else {
                attributes = []
            }
            return GenericMessage(
                type: header.pointee.nlmsg_type,
                flags: header.pointee.nlmsg_flags,
                command: genl.pointee.cmd,
                version: genl.pointee.version,
                attributes: attributes
            )
        }
        guard let decoded else { return nil }
        self = decoded
    }

    /// Decodes every message of one datagram, as a multicast read returns them, with
    /// libnl's walker; messages that are not valid generic netlink are left out.
    public static func messages(inDatagram datagram: [UInt8]) -> [GenericMessage] {
        var buffer = datagram
        var messages: [GenericMessage] = []
        buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var remaining = Int32(clamping: raw.count)
            var header: UnsafeMutablePointer<nlmsghdr>? = base.assumingMemoryBound(to: nlmsghdr.self)
            while let current = header, nlmsg_ok(current, remaining) != 0 {
                let bytes = Array(UnsafeRawBufferPointer(start: current, count: Int(current.pointee.nlmsg_len)))
                if let message = GenericMessage(bytes: bytes) { messages.append(message) }
                header = nlmsg_next(current, &remaining)
            }
        }
        return messages
    }
}
