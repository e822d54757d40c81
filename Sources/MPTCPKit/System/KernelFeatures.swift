/// What the running kernel's MPTCP offers, learned by asking the kernel itself, never
/// from its version number: distributions backport features to older releases.
public enum KernelFeatures {
    /// Whether the kernel keeps the `address` flag (0x20, Linux 6.18): an endpoint added
    /// with it in a new throwaway namespace is read back. nil when no namespace can be
    /// made to ask (that needs CAP_SYS_ADMIN). Asked once per process.
    public static let keepsAddressFlag: Bool? = try? NetworkNamespace.withinNew { () throws(PathManagerError) in
        let backend = try NetlinkBackend(interfaces: false)
        // 192.0.2.1 (TEST-NET-1) is only configured in the throwaway namespace, never used.
        try backend.addEndpoint(EndpointSpec(address: IPAddress("192.0.2.1")!, flags: [.subflow, .address]))
        return try backend.dumpEndpoints().contains { $0.flags.contains(.address) }
    }

    /// Whether the kernel lists the userspace path manager's addresses of one connection
    /// (GET_ADDR dump by token, Linux 6.9). A kernel before ignores the token and dumps
    /// the in-kernel endpoints: asked in a new throwaway namespace holding one in-kernel
    /// endpoint and no connection, a kernel that reads the token refuses (or lists
    /// nothing for) a token no connection has. nil when no namespace can be made.
    public static let listsUserspaceAddresses: Bool? = try? NetworkNamespace.withinNew { () throws(PathManagerError) in
        let backend = try NetlinkBackend(interfaces: false)
        // 192.0.2.1 (TEST-NET-1) is only configured in the throwaway namespace, never used.
        try backend.addEndpoint(EndpointSpec(address: IPAddress("192.0.2.1")!, flags: [.subflow]))
        do throws(PathManagerError) {
            return try UserspaceNetlinkBackend().addresses(token: 1).isEmpty
        } catch {
            return true
        }
    }

    /// How many endpoints a namespace may hold (8 until Linux 7.2, more since): endpoints
    /// are added to a new throwaway namespace until the kernel refuses one. nil when no
    /// namespace can be made to ask. Asked once per process.
    public static let endpointMax: Int? = try? NetworkNamespace.withinNew { () throws(PathManagerError) -> Int in
        let backend = try NetlinkBackend(interfaces: false)
        // Ids are a byte and 0 is the kernel's own: 255 at the very most. The addresses
        // (198.18.0.0/15, for benchmarks) exist only in the throwaway namespace.
        for count in 0..<255 {
            do throws(PathManagerError) {
                try backend.addEndpoint(EndpointSpec(address: IPAddress("198.18.0.\(count + 1)")!, flags: [.subflow]))
            } catch {
                // ERANGE: the namespace is full; anything else is no answer.
                guard case .kernel(.outOfRange, _) = error else { throw error }
                return count
            }
        }
        return 255
    }
}
