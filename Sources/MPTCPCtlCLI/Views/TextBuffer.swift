/// Output built as UTF-8 bytes, for listings of thousands of lines and `top`'s samples:
/// an append copies bytes into memory the buffer owns, without the checks an array or
/// a `String` makes on each (uniqueness, capacity through generic code, counts), and
/// the whole becomes one string once, at the end. Not copyable: one owner writes it,
/// and it frees its memory when it goes.
struct TextBuffer: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 256)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// The text so far.
    var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

    /// The bytes so far, lent to `body`.
    func withBytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) { body(UnsafeBufferPointer(start: start, count: count)) }

    /// Room for `more` bytes after the text, which the caller then fills.
    private mutating func room(_ more: Int) -> UnsafeMutablePointer<UInt8> {
        if count + more > capacity {
            let larger = max(count + more, 2 * capacity)
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
            moved.initialize(from: start, count: count)
            start.deallocate()
            start = moved
            capacity = larger
        }
        let at = start + count
        count += more
        return at
    }

    mutating func append(bytes more: UnsafeBufferPointer<UInt8>) {
        guard let base = more.baseAddress, more.count > 0 else { return }
        room(more.count).update(from: base, count: more.count)
    }

    mutating func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(bytes: $0) }) == nil {
            for byte in text.utf8 { append(byte: byte) }
        }
    }

    mutating func append(_ text: StaticString) {
        append(bytes: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(byte: UInt8) { room(1).pointee = byte }

    mutating func append(spaces count: Int) {
        if count > 0 { room(count).update(repeating: 0x20, count: count) }
    }

    /// `value` in decimal, as `String(value)` writes it.
    mutating func append(_ value: Int64) {
        if value < 0 { append(byte: 0x2D) }
        append(decimal: value.magnitude)
    }

    mutating func append(_ value: UInt64) { append(decimal: value) }

    private mutating func append(decimal value: UInt64) {
        var digits = 1, rest = value
        while rest >= 10 { digits += 1; rest /= 10 }
        // From the last digit back, straight into place.
        let at = room(digits)
        rest = value
        for index in stride(from: digits - 1, through: 0, by: -1) {
            at[index] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
    }

    /// Empties the buffer and keeps its memory.
    mutating func removeAll() { count = 0 }

    /// Takes the spaces off the end of the text, back to byte `start` at most.
    mutating func removeTrailingSpaces(downTo first: Int) {
        while count > first, start[count - 1] == 0x20 { count -= 1 }
    }
}
