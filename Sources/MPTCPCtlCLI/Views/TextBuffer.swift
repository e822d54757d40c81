/// Output built as UTF-8 bytes, for listings of thousands of lines: an append copies
/// bytes, without the bookkeeping a `String` does on each (capacity checks, counts,
/// flags), and the whole becomes one string once, at the end.
struct TextBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    /// The text so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil {
            bytes.append(contentsOf: text.utf8)
        }
    }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    mutating func append(spaces count: Int) {
        if count > 0 { bytes.append(contentsOf: repeatElement(0x20, count: count)) }
    }

    /// `value` in decimal, as `String(value)` writes it.
    mutating func append(_ value: Int64) {
        if value < 0 { bytes.append(0x2D) }
        append(decimal: value.magnitude)
    }

    mutating func append(_ value: UInt64) { append(decimal: value) }

    private mutating func append(decimal value: UInt64) {
        // Digits from the last, into a buffer on the stack (20 digits hold any UInt64).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var rest = value, start = 20
            repeat {
                start -= 1
                digits[start] = 0x30 + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Takes the spaces off the end of the text, back to byte `start` at most.
    mutating func removeTrailingSpaces(downTo start: Int) {
        while bytes.count > start, bytes.last == 0x20 { bytes.removeLast() }
    }
}
