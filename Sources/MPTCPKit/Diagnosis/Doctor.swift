/// Finds configurations that are accepted but silently do nothing, in one namespace's
/// snapshot; and, when the snapshot holds its connections (listeners included), the
/// live problems of its paths.
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
                                    remedy: s.hasPathManagerSysctl ? .setSysctl(key: "net.mptcp.path_manager", value: "kernel")
                                        : .setSysctl(key: "net.mptcp.pm_type", value: "0")))
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
        if let connections = s.connections { findings += live(s, connections) }
        return findings.enumerated()
            .sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }
            .map(\.element)
    }

    /// What the connections and listeners show: stalled and lost paths, announced
    /// addresses no listener accepts, initial paths nothing can reopen. Each problem is
    /// one finding however many connections share it (a busy host has thousands).
    static func live(_ s: NamespaceSnapshot, _ connections: [Connection]) -> [Finding] {
        var findings: [Finding] = []
        let listeners = connections.filter(\.isListening)
        let listeningPorts = Set(listeners.map(\.localPort))
        // Connections that should have their paths: established, MPTCP (not fallen back), held.
        let open = connections.filter { $0.state == 1 && !$0.isOrphan && $0.info?.fallback != true }
        let configured = s.endpoints.filter { !$0.flags.contains(.implicit) }
        func isDown(_ interface: String) -> Bool { s.interfaceStatus[interface]?.isUp == false }

        // Stalled: on an interface not down, every established subflow of the connection is stalled.
        var stalled: [(interface: String, example: Subflow, connections: Int)] = []
        for c in open {
            var seen: Set<String> = []
            for subflow in c.subflows where subflow.isEstablished {
                guard let name = subflow.interfaceName, !isDown(name), seen.insert(name).inserted else { continue }
                let there = c.subflows.filter { $0.isEstablished && $0.interfaceName == name }
                guard there.allSatisfy({ $0.health().isStalled }) else { continue }
                if let index = stalled.firstIndex(where: { $0.interface == name }) {
                    stalled[index].connections += 1
                } else {
                    stalled.append((name, there[0], 1))
                }
            }
        }
        for entry in stalled {
            let endpoint = entry.example.endpoint.flatMap { id in configured.first { $0.id == id } }
            findings.append(Finding(.warning, .stalledPath(interface: entry.interface, example: entry.example, connections: entry.connections),
                                    remedy: .checkPath(interface: entry.interface, peer: entry.example.remote, endpoint: endpoint)))
        }

        // Lost: this end's connections lack the subflow a `subflow` endpoint on an up interface gives.
        let ours = open.filter { !listeningPorts.contains($0.localPort) }
        for endpoint in configured where endpoint.flags.contains(.subflow) {
            guard let name = s.interface(of: endpoint), s.interfaceStatus[name]?.isUp == true else { continue }
            let lacking = ours.filter { c in
                c.remote.isIPv4 == endpoint.address.isIPv4 && c.subflows.count - 1 < Int(s.limits.subflows)
                    && !c.subflows.contains { $0.local.isKernelEqual(to: endpoint.address) || $0.interfaceName == name }
            }
            guard let first = lacking.first else { continue }
            findings.append(Finding(.error, .lostPath(endpoint, interface: name, connections: lacking.count, token: first.token),
                                    remedy: .rebind(endpoint, device: name)))
        }

        // A signal endpoint without a port of its own is joined on the connection's port:
        // a listener there must accept its address (bound to it or to the wildcard).
        for endpoint in configured where endpoint.flags.contains(.signal) && endpoint.port == 0 {
            for port in listeningPorts.sorted() {
                let bound = listeners.filter { $0.localPort == port }.map(\.local)
                let accepts = bound.contains { address in
                    address.isKernelEqual(to: endpoint.address)
                        || (address.unusable == .unspecified && (!address.isIPv4 || endpoint.address.isIPv4))
                }
                guard !accepts else { continue }
                findings.append(Finding(.error, .signalWithoutListener(endpoint, port: port, boundTo: bound),
                                        remedy: .listenOn(address: endpoint.address, port: port)))
            }
        }

        // A client recipe heals a path by its `subflow` endpoint: the initial path needs one too.
        if configured.contains(where: { !$0.flags.isDisjoint(with: [.subflow, .address, .fullmesh]) }) {
            var unhealable: [(address: IPAddress, connections: Int)] = []
            for c in ours {
                let initial = c.subflows.first(where: \.isInitial)?.local ?? c.local
                guard !configured.contains(where: { $0.flags.contains(.subflow) && $0.address.isKernelEqual(to: initial) }) else { continue }
                if let index = unhealable.firstIndex(where: { $0.address == initial }) {
                    unhealable[index].connections += 1
                } else {
                    unhealable.append((initial, 1))
                }
            }
            for entry in unhealable {
                let interface = s.addressOwners[entry.address]
                findings.append(Finding(.warning, .initialPathUnhealable(address: entry.address, interface: interface,
                                                                         connections: entry.connections),
                                        remedy: .addEndpoint(EndpointSpec(address: entry.address, flags: .subflow, device: interface))))
            }
        }
        return findings
    }
}
