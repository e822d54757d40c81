import Glibc

extension KernelCounters {
    /// Reads the counters of the namespace the calling thread is in, from MPTCP_INFO of
    /// an unconnected MPTCP socket; `.unavailable` when there is none to ask.
    /// `endpoints` are the namespace's: one with the `address` flag shows the kernel
    /// has it; otherwise `features` are asked (a kernel that cannot be asked leaves the
    /// address counter unknown, as a kernel before 6.18 would).
    public static func read(endpoints: [Endpoint], features: KernelFeatures = .running) -> KernelCounters {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Int32(IPPROTO_MPTCP))
        guard fd >= 0 else { return .unavailable }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        var length = socklen_t(buffer.count)
        let result = buffer.withUnsafeMutableBytes { getsockopt(fd, 284 /* SOL_MPTCP */, 1 /* MPTCP_INFO */, $0.baseAddress, &length) }
        guard result == 0 else { return .unavailable }
        let counts = endpoints.contains { $0.flags.contains(.address) } || (try? features.keepsAddressFlag().get()) == true
        return KernelCounters(info: Array(buffer.prefix(Int(length))), countsAddressEndpoints: counts)
    }
}

extension KernelRelease {
    /// The running kernel's, from uname(2); nil when it cannot say.
    public static func running() -> KernelRelease? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        return KernelRelease(withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
    }
}
