import Glibc

extension MIBCounters {
    /// The MIB of the namespace the calling thread is in. /proc/net is the namespace of
    /// the process's main thread, not of this one, so this reads /proc/thread-self/net.
    /// Empty when the file cannot be read or has no MPTcpExt lines.
    public static func read() -> MIBCounters {
        let fd = open("/proc/thread-self/net/netstat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return MIBCounters([]) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            guard let count = try? Errno.retryOnInterrupt({ chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }),
                  count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return MIBCounters(netstat: String(decoding: bytes, as: UTF8.self))
    }
}
