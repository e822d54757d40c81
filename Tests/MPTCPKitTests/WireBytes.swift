// Netlink bytes written out by hand, as the kernel lays them: little-endian integers
// and 4-byte aligned attributes.

func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }

/// One attribute, padded to 4 bytes.
func attribute(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
    let bytes = le16(UInt16(4 + payload.count)) + le16(type) + payload
    return bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
}
