import Glibc

/// Where a command's output goes: standard output and error, or a recorder in tests and
/// fuzzers. Runners write through the console they are given, never straight to a
/// descriptor, so they run the same in-process as in the program.
struct Console {
    enum Stream: Sendable { case output, error }

    /// Writes text as it is to one stream.
    var write: (String, Stream) -> Void
    /// Writes UTF-8 bytes as they are (a long output built in a `TextBuffer`, with no
    /// string made of it); nil: as text, through `write`.
    var writeBytes: ((UnsafeBufferPointer<UInt8>, Stream) -> Void)?

    init(write: @escaping (String, Stream) -> Void, writeBytes: ((UnsafeBufferPointer<UInt8>, Stream) -> Void)? = nil) {
        self.write = write
        self.writeBytes = writeBytes
    }

    /// Standard output and error: one write per line, so a pipe sees each line (a
    /// monitor event) as it happens. (Also cheaper than print(), whose generic path
    /// looks protocol conformances up at run time, a measurable part of start-up.)
    static var standard: Console {
        Console(write: { text, stream in writeAll(text, to: stream == .output ? STDOUT_FILENO : STDERR_FILENO) },
                writeBytes: { bytes, stream in writeAll(bytes, to: stream == .output ? STDOUT_FILENO : STDERR_FILENO) })
    }

    /// What `buffer` holds, on standard output.
    func write(_ buffer: borrowing TextBuffer) {
        if let writeBytes { buffer.withBytes { writeBytes($0, .output) } } else { write(buffer.text, .output) }
    }

    /// A console that keeps nothing (fuzzers).
    static var discarding: Console { Console { _, _ in } }

    /// A line of results on standard output.
    func line(_ text: String) { write(text + "\n", .output) }

    /// Messages for people, on standard error, one line each.
    func warn(_ message: String) { write("mptcpctl: warning: \(message)\n", .error) }
    func note(_ message: String) { write("mptcpctl: \(message)\n", .error) }
    func error(_ message: String) { write("mptcpctl: \(message)\n", .error) }

    /// Writes the string's own UTF-8 bytes (no copy of a long listing first).
    static func writeAll(_ text: String, to fd: Int32) {
        var text = text
        text.withUTF8 { writeAll($0, to: fd) }
    }

    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = Glibc.write(fd, base + offset, bytes.count - offset)
            if written <= 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
