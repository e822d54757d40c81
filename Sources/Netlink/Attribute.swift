import CLibNL

/// One netlink attribute as received: its type (flag bits removed), whether it was
/// marked nested, and its payload. Unknown types are kept, never dropped.
public struct Attribute: Sendable, Equatable {
    public let type: UInt16
    public let isNested: Bool
    public let payload: [UInt8]

    public init(type: UInt16, isNested: Bool = false, payload: [UInt8]) {
        self.type = type
        self.isNested = isNested
        self.payload = payload
    }

    /// Parses a run of attributes with libnl's walker; a truncated tail is ignored,
    /// as the kernel's own parser does.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [Attribute] {
        guard let base = bytes.baseAddress, bytes.count >= 4 else { return [] }
        var result: [Attribute] = []
        var remaining = Int32(clamping: bytes.count)
        var cursor: UnsafePointer<nlattr>? = UnsafePointer(base.assumingMemoryBound(to: nlattr.self))
        while let attribute = cursor, nla_ok(attribute, remaining) != 0 {
            let length = Int(nla_len(attribute))
            let data = UnsafeRawPointer(nla_data(attribute))
            result.append(Attribute(
                type: UInt16(truncatingIfNeeded: nla_type(attribute)),
                isNested: nla_is_nested(attribute) != 0,
                payload: Array(UnsafeRawBufferPointer(start: data, count: length))
            ))
            cursor = UnsafePointer(nla_next(attribute, &remaining))
        }
        return result
    }

    public static func parse(_ bytes: [UInt8]) -> [Attribute] {
        bytes.withUnsafeBytes { parse($0) }
    }

    // Typed views: each checks the exact payload length and answers nil otherwise.

    public var u8: UInt8? { payload.count == 1 ? payload[0] : nil }

    public var u16: UInt16? {
        payload.count == 2 ? UInt16(payload[0]) | UInt16(payload[1]) << 8 : nil
    }

    /// A 16-bit value the kernel sends in network byte order (event ports).
    public var u16BigEndian: UInt16? {
        payload.count == 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
    }

    public var u32: UInt32? {
        guard payload.count == 4 else { return nil }
        return payload.reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    public var s32: Int32? { u32.map { Int32(bitPattern: $0) } }

    /// A NUL-terminated (or not) string payload.
    public var string: String {
        String(decoding: payload.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The attributes inside a nested attribute.
    public var nested: [Attribute] { Attribute.parse(payload) }
}

extension Array where Element == Attribute {
    /// The first attribute of a type, as the kernel's parsers take it.
    public func first(_ type: UInt16) -> Attribute? {
        first { $0.type == type }
    }
}
