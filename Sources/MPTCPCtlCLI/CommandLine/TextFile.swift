import Glibc
import Netlink

/// Reads whole text files without Foundation (start-up time matters for a tool that
/// scripts call in loops).
enum TextFile {
    /// The contents of `path`, or of standard input when `path` is "-".
    static func read(_ path: String) throws(CLIError) -> String {
        let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw unreadable(path, .current) }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw unreadable(path, .current)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A file that cannot be read is the environment's fault, not the command line's:
    /// the command was right, the file is missing or forbidden.
    private static func unreadable(_ path: String, _ code: Errno) -> CLIError {
        .environment("cannot read '\(path)': \(code)")
    }
}
