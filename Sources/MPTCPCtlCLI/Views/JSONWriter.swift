import MPTCPKit

/// Writes JSON as it goes, value by value, into a `TextBuffer`: what `JSON.rendered`
/// writes a tree with, and what a long listing writes its values with directly,
/// without building a tree of thousands of nodes first. Compact on one line, or
/// `pretty` with four-space indents as `ip -j -p` does.
struct JSONWriter: ~Copyable {
    private(set) var out: TextBuffer
    let pretty: Bool
    private var depth = 0
    /// The array or object just opened has no item yet.
    private var empty = true

    init(pretty: Bool, capacity: Int = 0) {
        self.pretty = pretty
        out = TextBuffer(capacity: capacity)
    }

    /// Writes into `buffer`, emptied first: its memory serves again (`top`'s samples).
    init(pretty: Bool, reusing buffer: consuming TextBuffer) {
        self.pretty = pretty
        buffer.removeAll()
        out = buffer
    }

    /// Hands what is written so far to `emit` and empties the buffer, once it holds
    /// `limit` bytes or more: a long listing is written as it goes, and what follows
    /// carries on where the value stopped.
    mutating func handOn(over limit: Int, to emit: (borrowing TextBuffer) -> Void) {
        guard out.count >= limit else { return }
        emit(out)
        out.removeAll()
    }

    /// The line's end after the value.
    mutating func newline() { out.append(byte: 0x0A) }

    mutating func openArray() { open(0x5B) }
    mutating func closeArray() { close(0x5D) }
    mutating func openObject() { open(0x7B) }
    mutating func closeObject() { close(0x7D) }

    /// Before each item of an array.
    mutating func item() {
        if !empty { out.append(byte: 0x2C) }
        if pretty {
            out.append(byte: 0x0A)
            out.append(spaces: 4 * depth)
        }
        empty = false
    }

    /// Before each member's value in an object. The names written in the program need
    /// no escape: they are appended as they are, without a scan.
    mutating func key(_ name: StaticString) {
        item()
        out.append(byte: 0x22)
        out.append(name)
        out.append(byte: 0x22)
        out.append(pretty ? ": " : ":")
    }

    /// A key that comes from data (a tree's member), quoted as any string.
    mutating func key(quoting name: String) {
        item()
        quote(name)
        out.append(pretty ? ": " : ":")
    }

    /// One member of an object: its key and value (null for nil).
    mutating func member(_ name: StaticString, _ value: String?) {
        key(name)
        if let value { string(value) } else { null() }
    }

    mutating func member(_ name: StaticString, _ value: Int64?) {
        key(name)
        if let value { int(value) } else { null() }
    }

    mutating func member(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    /// An address, as `IPAddress.description` writes it, straight into the output (no
    /// string made, no escape to look for).
    mutating func member(_ name: StaticString, address: IPAddress) {
        key(name)
        out.append(byte: 0x22)
        address.withText { out.append(bytes: $0) }
        out.append(byte: 0x22)
    }

    /// A 32-bit value as eight hex digits ("0a1b2c3d"), as tokens are shown.
    mutating func member(_ name: StaticString, hex value: UInt32) {
        key(name)
        out.append(byte: 0x22)
        for shift in stride(from: 28, through: 0, by: -4) {
            out.append(byte: Self.hexDigits[Int(value >> UInt32(shift) & 0xF)])
        }
        out.append(byte: 0x22)
    }

    /// An array of `items`, each written by `write`, which is lent each item where it
    /// lies (a thousand connections are not copied one by one to be written).
    mutating func array<T>(_ items: [T], _ write: (inout JSONWriter, borrowing T) -> Void) {
        openArray()
        items.withUnsafeBufferPointer { items in
            for index in items.indices {
                item()
                write(&self, items[index])
            }
        }
        closeArray()
    }

    mutating func null() { out.append("null") }
    mutating func bool(_ value: Bool) { out.append(value ? "true" : "false") }
    mutating func int(_ value: Int64) { out.append(value) }
    /// A number already written as JSON wants it ("0.421").
    mutating func number(_ text: String) { out.append(text) }
    mutating func string(_ value: String) { quote(value) }

    private mutating func open(_ bracket: UInt8) {
        out.append(byte: bracket)
        depth += 1
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        if !empty, pretty {
            out.append(byte: 0x0A)
            out.append(spaces: 4 * depth)
        }
        out.append(byte: bracket)
        empty = false
    }

    /// A JSON string: quote, backslash and control characters escaped (the short
    /// forms where JSON has them), everything else as it is.
    mutating func quote(_ text: String) {
        out.append(byte: 0x22)
        // Most strings (addresses, words) need no escape: append them whole.
        // (Scanned as contiguous bytes: the generic scan of a UTF8View costs more than
        // the copy.)
        let plain = text.utf8.withContiguousStorageIfAvailable { !$0.contains(where: Self.needsEscape) }
            ?? !text.utf8.contains(where: Self.needsEscape)
        if plain {
            out.append(text)
        } else {
            for byte in text.utf8 {
                switch byte {
                case 0x22: out.append("\\\"")
                case 0x5C: out.append("\\\\")
                case 0x0A: out.append("\\n")
                case 0x0D: out.append("\\r")
                case 0x09: out.append("\\t")
                case ..<0x20:
                    out.append("\\u00")
                    out.append(byte: Self.hexDigits[Int(byte >> 4)])
                    out.append(byte: Self.hexDigits[Int(byte & 0xF)])
                default: out.append(byte: byte)
                }
            }
        }
        out.append(byte: 0x22)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
