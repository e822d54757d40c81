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
            return try UserspacePathManager.open(netns: nil).listed(token: 1).isEmpty
        } catch {
            return true
        }
    }
}
