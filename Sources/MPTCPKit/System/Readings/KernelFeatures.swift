/// What the running kernel's MPTCP offers, learned by asking the kernel itself, never
/// from its version number: distributions backport features to older releases. A value
/// the caller asks (`running`, or a stand-in in tests); each answer is a `Result`, so a
/// probe that could not ask says why (no namespace can be made without CAP_SYS_ADMIN,
/// the kernel refused), and the caller decides what to do without it and says so.
public struct KernelFeatures: Sendable {
    public typealias Answer<Value: Sendable> = Result<Value, PathManagerError>

    /// Whether the kernel keeps the `address` flag (0x20, Linux 6.18).
    public let keepsAddressFlag: @Sendable () -> Answer<Bool>
    /// Whether the kernel lists the userspace path manager's addresses of one connection
    /// (GET_ADDR dump by token, Linux 6.9).
    public let listsUserspaceAddresses: @Sendable () -> Answer<Bool>
    /// How many endpoints a namespace may hold (8 until Linux 7.2, more since).
    public let endpointMax: @Sendable () -> Answer<Int>

    public init(keepsAddressFlag: @escaping @Sendable () -> Answer<Bool>,
                listsUserspaceAddresses: @escaping @Sendable () -> Answer<Bool>,
                endpointMax: @escaping @Sendable () -> Answer<Int>) {
        self.keepsAddressFlag = keepsAddressFlag
        self.listsUserspaceAddresses = listsUserspaceAddresses
        self.endpointMax = endpointMax
    }

    /// The running kernel's. Each is asked in a new throwaway namespace the first time it
    /// is wanted, and its answer (or why there is none) is kept for the process: the
    /// kernel does not change under it, and a probe makes a namespace and, for
    /// `endpointMax`, up to 255 endpoints.
    public static let running = KernelFeatures(keepsAddressFlag: { RunningKernelProbes.keepsAddressFlag },
                                               listsUserspaceAddresses: { RunningKernelProbes.listsUserspaceAddresses },
                                               endpointMax: { RunningKernelProbes.endpointMax })
}

/// The probes of the running kernel, each run once, when `KernelFeatures.running` is
/// first asked.
private enum RunningKernelProbes {
    /// An endpoint added with the flag in a new namespace is read back with it.
    static let keepsAddressFlag = KernelFeatures.Answer { () throws(PathManagerError) in
        try NetworkNamespace.withinNew { () throws(PathManagerError) in
            let backend = try NetlinkBackend(interfaces: false)
            // 192.0.2.1 (TEST-NET-1) is only configured in the throwaway namespace, never used.
            try backend.addEndpoint(EndpointSpec(address: IPAddress("192.0.2.1")!, flags: [.subflow, .address]))
            return try backend.dumpEndpoints().contains { $0.flags.contains(.address) }
        }
    }

    /// A kernel before 6.9 ignores the token and dumps the in-kernel endpoints: asked in
    /// a new namespace holding one in-kernel endpoint and no connection, a kernel that
    /// reads the token refuses (or lists nothing for) a token no connection has.
    static let listsUserspaceAddresses = KernelFeatures.Answer { () throws(PathManagerError) in
        try NetworkNamespace.withinNew { () throws(PathManagerError) in
            let backend = try NetlinkBackend(interfaces: false)
            // 192.0.2.1 (TEST-NET-1) is only configured in the throwaway namespace, never used.
            try backend.addEndpoint(EndpointSpec(address: IPAddress("192.0.2.1")!, flags: [.subflow]))
            do throws(PathManagerError) {
                return try UserspaceNetlinkBackend().addresses(token: 1).isEmpty
            } catch {
                return true
            }
        }
    }

    /// Endpoints are added to a new namespace until the kernel refuses one.
    static let endpointMax = KernelFeatures.Answer { () throws(PathManagerError) in
        try NetworkNamespace.withinNew { () throws(PathManagerError) -> Int in
            let backend = try NetlinkBackend(interfaces: false)
            // Ids are a byte and 0 is the kernel's own: 255 at the very most. The addresses
            // (198.18.0.0/15, for benchmarks) exist only in the throwaway namespace.
            for count in 0..<255 {
                do throws(PathManagerError) {
                    try backend.addEndpoint(EndpointSpec(address: IPAddress("198.18.0.\(count + 1)")!, flags: [.subflow]))
                } catch {
                    // The namespace is full: ERANGE since 6.18, EINVAL before (6.1, 6.12:
                    // "too many addresses or duplicate one", and these addresses are
                    // unique). Anything else is no answer.
                    guard case let .kernel(code, _) = error, code == .outOfRange || (code == .invalidArgument && count > 0)
                    else { throw error }
                    return count
                }
            }
            return 255
        }
    }
}
