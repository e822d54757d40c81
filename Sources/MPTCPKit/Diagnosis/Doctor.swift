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
                                    remedy: s.pathManagerSysctl == "pm_type" ? .setSysctl(key: "net.mptcp.pm_type", value: "0")
                                        : .setSysctl(key: "net.mptcp.path_manager", value: "kernel")))
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
        let usable = s.endpoints.filter { !$0.flags.contains(.implicit) && !$0.flags.isDisjoint(with: [.signal, .subflow, .fullmesh, .address]) }
        if !usable.isEmpty, s.limits.subflows == 0 {
            findings.append(Finding(.error, .subflowsLimitZero(endpoints: usable.count),
                                    remedy: .setLimits(LimitsChange(subflows: UInt32(usable.count)))))
        }
        for manager in s.otherManagers {
            findings.append(Finding(.warning, .otherManager(manager), remedy: .stopOtherManager(manager.program)))
        }
        for endpoint in s.endpoints where !endpoint.flags.contains(.implicit) {
            // Nothing else about an address no subflow can use matters.
            if let reason = endpoint.address.unusable {
                findings.append(Finding(.warning, .unusableAddress(endpoint, reason), remedy: .deleteEndpoint(id: endpoint.id)))
                continue
            }
            if endpoint.interfaceIndex != 0, let device = s.interfaceNames[endpoint.interfaceIndex],
               let holder = s.addressOwners[endpoint.address], holder != device {
                findings.append(Finding(.warning, .addressOnOtherInterface(endpoint, device: device, holder: holder),
                                        remedy: .rebind(endpoint, device: holder)))
            }
            var linkLocal = false
            if case let .v6(bytes) = endpoint.address, bytes[0] == 0xfe, bytes[1] & 0xc0 == 0x80 { linkLocal = true }
            if linkLocal, endpoint.interfaceIndex == 0 {
                findings.append(Finding(.error, .linkLocalWithoutDevice(endpoint),
                                        remedy: .rebind(endpoint, device: s.addressOwners[endpoint.address])))
            }
            guard let name = s.interface(of: endpoint), let status = s.interfaceStatus[name] else { continue }
            if status.isUp == false {
                findings.append(Finding(.error, .interfaceDown(endpoint, interface: name), remedy: .setInterfaceUp(name)))
            } else if !linkLocal, !(endpoint.address.isIPv4 ? status.hasIPv4Route : status.hasIPv6Route) {
                // (A link-local address needs no route: its link is its way out.)
                findings.append(Finding(.warning, .noRoute(endpoint, interface: name), remedy: .addRoute(endpoint, interface: name)))
            }
            if endpoint.address.isIPv4, status.reversePathFilter == 1 {
                findings.append(Finding(.warning, .strictReversePath(endpoint, interface: name),
                                        remedy: .setSysctl(key: "net.ipv4.conf.\(name).rp_filter", value: "2")))
            }
        }
        for endpoint in s.endpoints {
            if endpoint.interfaceIndex != 0, s.interfaceNames[endpoint.interfaceIndex] == nil {
                findings.append(Finding(.error, .deviceMissing(endpoint), remedy: .rebindEndpoint(endpoint)))
            }
            if !endpoint.flags.contains(.implicit), endpoint.address.unusable == nil,
               !s.localAddresses.contains(where: { $0.isKernelEqual(to: endpoint.address) }) {
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
