import CLibNL

/// One netlink attribute seen where it lies, in a reply still in libnl's receive buffer:
/// its type (flag bits removed), whether it was marked nested, and its payload. A view
/// lives only as long as the walk that hands it out; decoding thousands of sockets this
/// way copies and allocates nothing. (`Attribute` is the owned copy of one.)
public struct AttributeView {
    public let type: UInt16
    public let isNested: Bool
    public let payload: UnsafeRawBufferPointer

    /// Walks a run of attributes with libnl's walker (`nla_ok`, `nla_next`), handing each
    /// to `body` in order; a truncated tail is ignored, as the kernel's own parser does.
    /// Bytes that are not 4-byte aligned (a slice of a message copied somewhere) are
    /// walked in an aligned copy; aligned ones (every reply libnl received) in place.
    public static func walk(_ bytes: UnsafeRawBufferPointer, _ body: (AttributeView) -> Void) {
        guard bytes.count >= MemoryLayout<nlattr>.size, let base = bytes.baseAddress else { return }
        let length = Int32(clamping: bytes.count)
        if Int(bitPattern: base) % MemoryLayout<nlattr>.alignment == 0 {
            base.withMemoryRebound(to: nlattr.self, capacity: bytes.count / MemoryLayout<nlattr>.stride) { first in
                walk(from: first, length: length, body)
            }
        } else {
            AlignedBytes(bytes).withAttributes { first, length in walk(from: first, length: length, body) }
        }
    }

    private static func walk(from first: UnsafePointer<nlattr>, length: Int32, _ body: (AttributeView) -> Void) {
        var remaining = length
        var cursor: UnsafePointer<nlattr>? = first
        while let attribute = cursor, nla_ok(attribute, remaining) != 0 {
            body(AttributeView(type: UInt16(truncatingIfNeeded: nla_type(attribute)), isNested: nla_is_nested(attribute) != 0,
                               payload: UnsafeRawBufferPointer(start: nla_data(attribute), count: Int(nla_len(attribute)))))
            cursor = UnsafePointer(nla_next(attribute, &remaining))
        }
    }

    /// Walks the attributes inside this one (whether or not it was marked nested).
    public func walkNested(_ body: (AttributeView) -> Void) { AttributeView.walk(payload, body) }

    // Typed views, as `Attribute` has them: each checks the exact payload length.

    public var u8: UInt8? { payload.exactly(UInt8.self) }

    public var u32: UInt32? { payload.exactly(UInt32.self) }

    /// A NUL-terminated (or not) string payload.
    public var string: String { payload.string }
}

extension UnsafeRawBufferPointer {
    /// The bytes as one integer in host order, when their count is exactly its size.
    func exactly<T: FixedWidthInteger>(_: T.Type) -> T? {
        count == MemoryLayout<T>.size ? loadUnaligned(as: T.self) : nil
    }

    /// The bytes up to the first NUL (or all of them), as UTF-8.
    var string: String {
        String(decoding: prefix { $0 != 0 }, as: UTF8.self)
    }
}
