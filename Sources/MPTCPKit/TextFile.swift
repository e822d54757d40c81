import Glibc
import Netlink

/// Reads whole text files without Foundation (start-up time matters for a tool that
/// scripts call in loops).
public enum TextFile {
    /// The contents of `path`, or of standard input when `path` is "-".
    public static func read(_ path: String) throws(MPTCPError) -> String {
        let fd = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            throw .usage("cannot read '\(path)': \(ErrnoName.of(code)) (\(ErrnoName.text(code)))")
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let code = errno
                throw .usage("cannot read '\(path)': \(ErrnoName.of(code)) (\(ErrnoName.text(code)))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
