import Glibc
import MPTCPKit

/// Where a command's output goes: standard output and error, or a recorder in tests and
/// fuzzers. Runners write through the console they are given, never straight to a
/// descriptor, so they run the same in-process as in the program.
struct Console {
    enum Stream: Sendable { case output, error }

    /// Writes text as it is to one stream, for the command named.
    private let sink: (String, Stream, _ command: [String]) -> Void
    /// Writes UTF-8 bytes as they are (a long output built in a `TextBuffer`, with no
    /// string made of it); nil: as text, through `sink`.
    private let byteSink: ((UnsafeBufferPointer<UInt8>, Stream, _ command: [String]) -> Void)?
    /// The command that runs ("export", "endpoint show": Invocation's `path`), which a
    /// failed write of standard output names; set once the line is read.
    var command: [String] = []

    init(write: @escaping (String, Stream) -> Void, writeBytes: ((UnsafeBufferPointer<UInt8>, Stream) -> Void)? = nil) {
        sink = { text, stream, _ in write(text, stream) }
        byteSink = writeBytes.map { bytes in { buffer, stream, _ in bytes(buffer, stream) } }
    }

    private init(sink: @escaping (String, Stream, [String]) -> Void,
                 byteSink: @escaping (UnsafeBufferPointer<UInt8>, Stream, [String]) -> Void) {
        self.sink = sink
        self.byteSink = byteSink
    }

    /// Standard output and error: one write per line, so a pipe sees each line (a
    /// monitor event) as it happens. (Also cheaper than print(), whose generic path
    /// looks protocol conformances up at run time, a measurable part of start-up.)
    /// Every write of standard output is checked: one that fails ends the program
    /// (`failed`), so nothing reports success over output cut short.
    static var standard: Console {
        Console(sink: { text, stream, command in
            if let failure = writeAll(text, to: stream == .output ? STDOUT_FILENO : STDERR_FILENO), stream == .output {
                failed(failure, command: command)
            }
        }, byteSink: { bytes, stream, command in
            if let failure = writeAll(bytes, to: stream == .output ? STDOUT_FILENO : STDERR_FILENO), stream == .output {
                failed(failure, command: command)
            }
        })
    }

    /// Writes `text` as it is to one stream.
    func write(_ text: String, _ stream: Stream) { sink(text, stream, command) }

    /// What `buffer` holds, on standard output.
    func write(_ buffer: borrowing TextBuffer) {
        if let byteSink { buffer.withBytes { byteSink($0, .output, command) } } else { write(buffer.text, .output) }
    }

    /// A console that keeps nothing (fuzzers).
    static var discarding: Console { Console { _, _ in } }

    /// A line of results on standard output.
    func line(_ text: String) { write(text + "\n", .output) }

    /// Messages for people, on standard error, one line each.
    func warn(_ message: String) { write("mptcpctl: warning: \(message)\n", .error) }
    func note(_ message: String) { write("mptcpctl: \(message)\n", .error) }
    func error(_ message: String) { write("mptcpctl: \(message)\n", .error) }

    /// A write of standard output failed: EPIPE (its reader is gone; SIGPIPE ignored,
    /// or it would have ended the program already) ends the program quietly with
    /// `ExitCode.outputClosed`, 141, as SIGPIPE would have; any other error (ENOSPC, EIO, EBADF) with one
    /// line and exit 3. At once, as SIGPIPE would: a monitor or `top` stops, and
    /// nothing runs on after output it could not give (`apply` prints each plan before
    /// it carries it out).
    static func failed(_ code: Errno, command: [String]) -> Never {
        if code.rawValue == EPIPE { exit(ExitCode.outputClosed.rawValue) }
        var name = ""
        for word in command { name += word + " " }
        _ = writeAll("mptcpctl: \(name.isEmpty ? "" : name.dropLast() + ": ")cannot write standard output: \(code)\n", to: STDERR_FILENO)
        exit(ExitCode.environment.rawValue)
    }

    /// Writes the string's own UTF-8 bytes (no copy of a long listing first); the
    /// error of the write that failed, nil when all were written.
    static func writeAll(_ text: String, to fd: Int32) -> Errno? {
        var text = text
        return text.withUTF8 { writeAll($0, to: fd) }
    }

    static func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Errno? {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written: Int
            do throws(Errno) { written = try Errno.retryOnInterrupt { Glibc.write(fd, base + offset, bytes.count - offset) } } catch {
                return error
            }
            // write(2) returns 0 only for a count of 0; guard against a loop all the same.
            if written == 0 { return Errno(rawValue: EIO) }
            offset += written
        }
        return nil
    }
}
