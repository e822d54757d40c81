import Glibc
import MPTCPKit

/// Reads whole text files without Foundation (start-up time matters for a tool that
/// scripts call in loops).
enum TextFile {
    /// The contents of `path`, or of standard input when `path` is "-".
    static func read(_ path: String) throws(CLIError) -> String {
        let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw unreadable(path, .current) }
        defer { if fd != STDIN_FILENO { close(fd) } }
        do throws(FileContents.Failure) {
            return String(decoding: try FileContents.read(fd), as: UTF8.self)
        } catch {
            switch error {
            case let .read(code): throw unreadable(path, code)
            case .tooLarge: throw unreadable(path, .noMemory)
            }
        }
    }

    /// A file whose contents decide what mptcpctl does as root (`apply`, `sync`, `-b`),
    /// read from the descriptor `FileTrust` opened and checked; its problems worded as
    /// ones of `operation`. "-" is standard input, as `read` reads it.
    static func readTrusted(_ path: String, operation: String) throws(CLIError) -> String {
        if path == "-" { return try read(path) }
        do throws(FileTrust.Problem) {
            return String(decoding: try FileTrust.read(path), as: UTF8.self)
        } catch {
            if case let .cannotRead(failed, code) = error, failed == path { throw unreadable(path, code) }
            throw CLIError(error, operation: operation)
        }
    }

    /// Replaces `path` with `text` so that a reader (node_exporter's textfile collector)
    /// sees the old file or the new one, never a part: a temporary file in the same
    /// directory (the same file system), written, made 0644, synced, then renamed over it.
    static func writeAtomically(_ path: String, _ text: String) throws(CLIError) {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !base.isEmpty else { throw .usage("--output: '\(path)' names a directory, not a file") }
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(base).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw unwritable(path, .current) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var failure = Console.writeAll(text, to: fd)
        if failure == nil, fchmod(fd, 0o644) != 0 { failure = .current }
        if failure == nil, fsync(fd) != 0 { failure = .current }
        if close(fd) != 0, failure == nil { failure = .current }
        if failure == nil, rename(temporary, path) != 0 { failure = .current }
        if let failure {
            unlink(temporary)
            throw unwritable(path, failure)
        }
    }

    private static func unwritable(_ path: String, _ code: Errno) -> CLIError {
        .environment("cannot write '\(path)': \(code)")
    }

    /// A file that cannot be read is the environment's fault, not the command line's:
    /// the command was right, the file is missing or forbidden.
    private static func unreadable(_ path: String, _ code: Errno) -> CLIError {
        .environment("cannot read '\(path)': \(code)")
    }
}
