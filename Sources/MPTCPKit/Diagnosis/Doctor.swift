/// Finds configurations that are accepted but silently do nothing, in one namespace's
/// snapshot.
public enum Doctor {
    /// The findings, most severe first (in the order found within a severity).
    public static func diagnose(_ s: NamespaceSnapshot) -> [Finding] {
        let c = s.counts
        var findings: [Finding] = []
        if s.mptcpEnabled == false {
            findings.append(Finding(.error, .mptcpDisabled, remedy: .setSysctl(key: "net.mptcp.enabled", value: "1")))
        }
        if s.pathManager == .userspace, c.total > 0 {
            findings.append(Finding(.error, .userspacePathManager(endpoints: c.total),
                                    remedy: .setSysctl(key: "net.mptcp.path_manager", value: "kernel")))
        }
        if c.address > 0, s.limits.addAddrAccepted == 0 {
            findings.append(Finding(.error, .addressIgnored(addressEndpoints: c.address),
                                    remedy: .setLimits(LimitsChange(addAddrAccepted: UInt32(c.address)))))
        }
        if c.address > Int(s.limits.subflows) {
            findings.append(Finding(.warning, .addressOverSubflows(addressEndpoints: c.address, subflows: s.limits.subflows),
                                    remedy: .setLimits(LimitsChange(subflows: UInt32(c.address)))))
        }
        if c.fullmesh > 0, c.address > 0 {
            let fullmesh = s.endpoints.filter { $0.flags.contains(.fullmesh) }
            findings.append(Finding(.warning, .fullmeshPrecedence(fullmesh: fullmesh, addressEndpoints: c.address),
                                    remedy: .clearFullmesh(endpointIDs: fullmesh.map(\.id))))
        }
        for endpoint in s.endpoints {
            if endpoint.interfaceIndex != 0, s.interfaceNames[endpoint.interfaceIndex] == nil {
                findings.append(Finding(.error, .deviceMissing(endpoint), remedy: .rebindEndpoint(endpoint)))
            }
            if !endpoint.flags.contains(.implicit), !s.localAddresses.contains(endpoint.address) {
                findings.append(Finding(.warning, .addressNotConfigured(endpoint), remedy: .configureAddressOrDelete(endpoint)))
            }
        }
        // With MPTCP disabled no MPTCP socket can be made, so MPTCP_INFO says nothing.
        if s.pathManager != .userspace, s.mptcpEnabled != false, s.kernel.endpAddressMax == nil {
            findings.append(Finding(c.address > 0 ? .warning : .info, .addressCounterUnavailable(addressEndpoints: c.address),
                                    remedy: .upgradeKernel(KernelRelease(major: 6, minor: 18))))
        }
        for mismatch in s.mismatches {
            findings.append(Finding(.warning, .kernelMismatch(mismatch), remedy: .inspect))
        }
        return findings.enumerated()
            .sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }
            .map(\.element)
    }
}
