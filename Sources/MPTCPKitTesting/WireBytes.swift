// Netlink bytes written out by hand, as the kernel lays them: little-endian integers
// (this machine's order) and 4-byte aligned attributes. For tests and fuzz seeds.

public func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
public func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
public func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

/// One attribute, padded to 4 bytes.
public func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
    let bytes = le16(UInt16(4 + payload.count)) + le16(type) + payload
    return bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
}

/// A generic netlink message of the mptcp_pm family (type 0x1d here), as the kernel
/// sends a reply: nlmsghdr, genlmsghdr (version 1), then `attributes`.
public func genericMessage(command: UInt8, _ attributes: [UInt8]) -> [UInt8] {
    le32(UInt32(20 + attributes.count)) + le16(0x1d) + le16(2) + le32(1) + le32(99) + [command, 1, 0, 0] + attributes
}

/// A GET_ADDR reply as Linux 6.18 sends it (family, id, flags, port even when 0, addr4,
/// if_idx), plus an attribute and a flag bit (0x40) from a future kernel.
public var futureGetAddrReply: [UInt8] {
    let nest = attribute(1, le16(2)) + attribute(2, [5]) + attribute(6, le32(0x62)) + attribute(5, le16(0))
        + attribute(3, [10, 0, 3, 1]) + attribute(7, le32(2)) + attribute(42, le32(0xdeadbeef))
    return genericMessage(command: 3, attribute(0x8001, nest) + attribute(77, [1, 2, 3, 4]))
}
