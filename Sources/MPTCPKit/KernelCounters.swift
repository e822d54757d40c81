import Glibc

/// The kernel's own per-namespace counters, as MPTCP_INFO reports them on an
/// unconnected MPTCP socket created inside the namespace. A field the running kernel
/// does not report is nil, never 0.
public struct KernelCounters: Sendable, Equatable {
    public var endpSignalMax: Int?
    public var endpSubflowMax: Int?
    public var endpAddressMax: Int?
    public var limitSubflows: Int?
    public var limitAddAddrAccepted: Int?

    public init(endpSignalMax: Int? = nil, endpSubflowMax: Int? = nil, endpAddressMax: Int? = nil,
                limitSubflows: Int? = nil, limitAddAddrAccepted: Int? = nil) {
        self.endpSignalMax = endpSignalMax
        self.endpSubflowMax = endpSubflowMax
        self.endpAddressMax = endpAddressMax
        self.limitSubflows = limitSubflows
        self.limitAddAddrAccepted = limitAddAddrAccepted
    }

    public static let unavailable = KernelCounters()

    /// Offsets in struct mptcp_info (linux/mptcp.h).
    enum Offset {
        static let subflowsMax = 3, addAddrSignalMax = 4, addAddrAcceptedMax = 5
        static let localAddrMax = 41, endpAddressMax = 81
    }

    /// Decodes an MPTCP_INFO reply. The address counter sits in what was a reserved
    /// byte before Linux 6.18, so it counts only on 6.18 or later.
    public init(info: [UInt8], kernel release: (major: Int, minor: Int)?) {
        func byte(_ offset: Int) -> Int? { offset < info.count ? Int(info[offset]) : nil }
        endpSignalMax = byte(Offset.addAddrSignalMax)
        endpSubflowMax = byte(Offset.localAddrMax)
        limitSubflows = byte(Offset.subflowsMax)
        limitAddAddrAccepted = byte(Offset.addAddrAcceptedMax)
        if let release, release >= (6, 18) { endpAddressMax = byte(Offset.endpAddressMax) }
    }

    /// Reads the counters of the namespace the calling thread is in.
    public static func read() -> KernelCounters {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 262 /* IPPROTO_MPTCP */)
        guard fd >= 0 else { return .unavailable }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        var length = socklen_t(buffer.count)
        let result = buffer.withUnsafeMutableBytes { getsockopt(fd, 284 /* SOL_MPTCP */, 1 /* MPTCP_INFO */, $0.baseAddress, &length) }
        guard result == 0 else { return .unavailable }
        return KernelCounters(info: Array(buffer.prefix(Int(length))), kernel: kernelRelease())
    }

    /// (6, 18) for "6.18.44-foo"; nil when uname cannot say.
    public static func kernelRelease() -> (major: Int, minor: Int)? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        let release = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return parseRelease(release)
    }

    static func parseRelease(_ release: String) -> (major: Int, minor: Int)? {
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return parts.count == 2 ? (parts[0], parts[1]) : nil
    }
}
