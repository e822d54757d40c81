/// One netlink attribute as received: its type (flag bits removed), whether it was
/// marked nested, and its payload. Unknown types are kept, never dropped.
///
/// Integers are in the host's byte order, as libnl writes them and the kernel sends
/// them; the few the kernel sends in network order (event ports) have their own
/// accessor.
public struct Attribute: Sendable, Equatable {
    public let type: UInt16
    public let isNested: Bool
    public let payload: [UInt8]

    public init(type: UInt16, isNested: Bool = false, payload: [UInt8]) {
        self.type = type
        self.isNested = isNested
        self.payload = payload
    }

    /// Parses a run of attributes with libnl's walker (`AttributeView.walk`), copying
    /// each; a truncated tail is ignored, as the kernel's own parser does. `bytes` may
    /// have any alignment.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> [Attribute] {
        var result: [Attribute] = []
        AttributeView.walk(bytes) { result.append(Attribute($0)) }
        return result
    }

    /// Copies an attribute seen in place.
    public init(_ view: AttributeView) {
        self.init(type: view.type, isNested: view.isNested, payload: Array(view.payload))
    }

    public static func parse(_ bytes: [UInt8]) -> [Attribute] {
        bytes.withUnsafeBytes { parse($0) }
    }

    // Typed views: each checks the exact payload length and answers nil otherwise.

    public var u8: UInt8? { load(UInt8.self) }

    public var u16: UInt16? { load(UInt16.self) }

    /// A 16-bit value the kernel sends in network byte order (event ports).
    public var u16BigEndian: UInt16? { load(UInt16.self).map { UInt16(bigEndian: $0) } }

    public var u32: UInt32? { load(UInt32.self) }

    public var s32: Int32? { load(Int32.self) }

    /// A NUL-terminated (or not) string payload.
    public var string: String { payload.withUnsafeBytes { $0.string } }

    /// The attributes inside a nested attribute.
    public var nested: [Attribute] { Attribute.parse(payload) }

    /// The payload as one integer in host order, when its length is exactly that of T.
    private func load<T: FixedWidthInteger>(_: T.Type) -> T? {
        payload.withUnsafeBytes { $0.exactly(T.self) }
    }
}

extension Array where Element == Attribute {
    /// The first attribute of a type, as the kernel's parsers take it.
    public func first(_ type: UInt16) -> Attribute? {
        first { $0.type == type }
    }
}
