import Glibc
import Netlink

/// A descriptor read to its end, without Foundation (start-up time matters for a tool
/// that scripts call in loops), within a bound: input read as root is never unbounded.
public enum FileContents {
    public enum Failure: Error, Sendable, Equatable {
        case read(Errno)
        /// More than the limit came: `size` bytes so far.
        case tooLarge(size: Int)
    }

    /// The bytes of `fd` up to its end, at most `limit`.
    public static func read(_ fd: Int32, limit: Int = .max) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count: Int
            do throws(Errno) {
                count = try Errno.retryOnInterrupt { chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
            } catch {
                throw .read(error)
            }
            if count == 0 { return bytes }
            if count > limit - bytes.count { throw .tooLarge(size: bytes.count + count) }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }
}
