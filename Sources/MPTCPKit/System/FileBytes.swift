import Glibc

/// Reading an open file to its end, without Foundation, keeping at most a limit of it.
public enum FileBytes {
    public enum Failure: Error, Sendable, Equatable {
        case system(Errno)
        /// More than the limit: what was read is dropped.
        case tooLarge
    }

    /// The bytes from `fd`'s offset to its end; refused past `limit` bytes (a file can
    /// grow while it is read, or never end).
    public static func read(_ fd: Int32, limit: Int = .max) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(.current)
            }
            if count == 0 { return bytes }
            if count > limit - bytes.count { throw .tooLarge }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
