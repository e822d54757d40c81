import Glibc

/// Where a command's output goes: standard output and error, or a recorder in tests and
/// fuzzers. Runners write through the console they are given, never straight to a
/// descriptor, so they run the same in-process as in the program.
struct Console {
    enum Stream: Sendable { case output, error }

    /// Writes text as it is to one stream.
    var write: (String, Stream) -> Void

    init(write: @escaping (String, Stream) -> Void) { self.write = write }

    /// Standard output and error: one write per line, so a pipe sees each line (a
    /// monitor event) as it happens. (Also cheaper than print(), whose generic path
    /// looks protocol conformances up at run time, a measurable part of start-up.)
    static var standard: Console {
        Console { text, stream in writeAll(text, to: stream == .output ? STDOUT_FILENO : STDERR_FILENO) }
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
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = Glibc.write(fd, base + offset, bytes.count - offset)
                if written <= 0 { if errno == EINTR { continue } else { return } }
                offset += written
            }
        }
    }
}
