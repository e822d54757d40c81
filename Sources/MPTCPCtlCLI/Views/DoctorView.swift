import MPTCPKit

/// How `doctor`'s findings are shown: each with its severity, a stable name for
/// scripts, a sentence, and the command that fixes it in this namespace.
struct DoctorView {
    /// nil for the current namespace.
    let netns: String?

    private var tool: String { netns.map { "mptcpctl -n \($0)" } ?? "mptcpctl" }
    private var ip: String { netns.map { "ip -n \($0)" } ?? "ip" }
    private var sysctl: String { netns.map { "ip netns exec \($0) sysctl -w" } ?? "sysctl -w" }

    static func severity(_ severity: Finding.Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info: "info"
        }
    }

    /// The stable name of a finding ("address-ignored").
    static func check(_ kind: Finding.Kind) -> String {
        switch kind {
        case .mptcpDisabled: "mptcp-disabled"
        case .userspacePathManager: "userspace-path-manager"
        case .addressIgnored: "address-ignored"
        case .addressOverSubflows: "address-over-subflows"
        case .fullmeshPrecedence: "fullmesh-precedence"
        case .deviceMissing: "device-missing"
        case .addressNotConfigured: "address-not-configured"
        case .unusableAddress: "unusable-address"
        case .addressCounterUnavailable: "address-counter-unavailable"
        case .kernelMismatch: "kernel-mismatch"
        case .subflowsLimitZero: "subflows-limit-zero"
        case .strictReversePath: "strict-rp-filter"
        case .addressOnOtherInterface: "address-on-other-interface"
        case .linkLocalWithoutDevice: "link-local-without-dev"
        case .interfaceDown: "interface-down"
        case .noRoute: "no-route"
        case .otherManager: "other-manager"
        case .stalledPath: "stalled-path"
        case .lostPath: "lost-path"
        case .signalWithoutListener: "signal-without-listener"
        case .initialPathUnhealable: "initial-path-unhealable"
        }
    }

    static func message(_ kind: Finding.Kind) -> String {
        switch kind {
        case .mptcpDisabled:
            return "MPTCP is disabled (net.mptcp.enabled = 0): no MPTCP connection is made, so no endpoint is used"
        case let .userspacePathManager(endpoints):
            return "the namespace uses the userspace path manager: the \(endpoints) in-kernel endpoint(s) are inert"
        case let .addressIgnored(count):
            return "\(count) address endpoint(s) but add_addr_accepted is 0: the peer's announced "
                + "addresses are ignored, so the address endpoints are never used"
        case let .addressOverSubflows(count, subflows):
            return "\(count) address endpoints but the subflows limit is \(subflows): "
                + "at most \(subflows) of them can be used by a connection"
        case let .fullmeshPrecedence(fullmesh, count):
            return "\(fullmesh.count) fullmesh endpoint(s) take precedence over the \(count) address "
                + "endpoint(s): announced addresses are reached from the fullmesh endpoints instead"
        case let .deviceMissing(endpoint):
            return "endpoint \(endpoint.id) (\(endpoint.address)) is bound to interface index "
                + "\(endpoint.interfaceIndex), which does not exist"
        case let .addressNotConfigured(endpoint):
            return "endpoint \(endpoint.id) (\(endpoint.address)) is not configured on any "
                + "interface of the namespace: subflows from it cannot be made"
        case let .unusableAddress(endpoint, reason):
            return "endpoint \(endpoint.id): \(EndpointView.unusable(endpoint.address, reason))"
        case .addressCounterUnavailable:
            return "the kernel does not report the address-endpoint counter in MPTCP_INFO (a kernel older than Linux 6.18): "
                + "address endpoints are not supported"
        case let .kernelMismatch(m):
            return "\(CountersView.name(m.counter)): the dump says \(m.dump) but the kernel's MPTCP_INFO says \(m.kernel)"
        case let .subflowsLimitZero(count):
            return "the subflows limit is 0: none of the \(count) endpoint(s) can add a subflow, and no join is accepted"
        case let .strictReversePath(endpoint, interface):
            return "strict reverse-path filtering (rp_filter 1) on \(interface), the interface of endpoint \(endpoint.id) "
                + "(\(endpoint.address)): packets of subflows that routing would send another way are dropped"
        case let .addressOnOtherInterface(endpoint, device, holder):
            return "endpoint \(endpoint.id) (\(endpoint.address)) is bound to \(device) but its address is on \(holder): "
                + "its subflows leave by an interface that does not have their source address"
        case let .linkLocalWithoutDevice(endpoint):
            return "endpoint \(endpoint.id) (\(endpoint.address)) is an IPv6 link-local address without dev: "
                + "the kernel cannot tell which link it is on, so no subflow is made from it"
        case let .interfaceDown(endpoint, interface):
            return "\(interface), the interface of endpoint \(endpoint.id) (\(endpoint.address)), is down: no subflow is made from it"
        case let .noRoute(endpoint, interface):
            return "no \(endpoint.address.isIPv4 ? "IPv4" : "IPv6") route leaves by \(interface), the interface of endpoint "
                + "\(endpoint.id) (\(endpoint.address)): its subflows have no way out"
        case let .otherManager(manager):
            return "\(name(manager.program)) (pid \(manager.pid)) runs in this namespace and may add, change or delete "
                + "endpoints: what mptcpctl configures may not stay"
        case let .stalledPath(interface, example, connections):
            let health = example.health()
            return "\(connections) connection(s) have no working subflow on \(interface): their subflows there are stalled "
                + "(\(ConnectionsView.address(example.local, example.localPort)) -> \(ConnectionsView.address(example.remote, example.remotePort)): "
                + "\(health.text), nothing acknowledged for \(SubflowHealth.duration(health.idleTime))); the path is black-holed or the peer gone"
        case let .lostPath(endpoint, interface, connections, token):
            return "\(connections) connection(s) (token \(EventView.hex(token))\(connections > 1 ? " and others" : "")) have no subflow "
                + "from endpoint \(endpoint.id) (\(endpoint.address)) though \(interface) is up: the path was lost, "
                + "and the kernel never opens it again"
        case let .signalWithoutListener(endpoint, port, bound):
            return "signal endpoint \(endpoint.id) (\(endpoint.address)) is announced, but the MPTCP listener(s) on port \(port) "
                + "accept only \(bound.map(\.description).joined(separator: ", ")): every join to \(endpoint.address) is refused"
        case let .initialPathUnhealable(address, interface, connections):
            return "\(connections) connection(s) began from \(address)\(interface.map { " (\($0))" } ?? ""), which no subflow endpoint has: "
                + "when that initial path fails, nothing can open it again"
        }
    }

    static func name(_ program: OtherManager.Program) -> String {
        switch program {
        case .networkManager: "NetworkManager"
        case .mptcpd: "mptcpd"
        }
    }

    /// The command (or action) that fixes it.
    func fix(_ remedy: Finding.Remedy) -> String {
        switch remedy {
        case let .setSysctl(key, value):
            return "\(sysctl) \(key)=\(value)"
        case let .setLimits(change):
            var words = "\(tool) limits set"
            if let subflows = change.subflows { words += " subflows \(subflows)" }
            if let accepted = change.addAddrAccepted { words += " add_addr_accepted \(accepted)" }
            return words
        case let .clearFullmesh(ids):
            return ids.map { "\(tool) endpoint change id \($0) nofullmesh" }.joined(separator: "; ")
        case let .rebindEndpoint(endpoint):
            return "\(tool) endpoint delete id \(endpoint.id); \(tool) endpoint add \(endpoint.address) dev NAME …"
        case let .configureAddressOrDelete(endpoint):
            return "\(ip) address add \(endpoint.address)/PREFIX dev NAME, or \(tool) endpoint delete id \(endpoint.id)"
        case let .deleteEndpoint(id):
            return "\(tool) endpoint delete id \(id)"
        case let .upgradeKernel(release):
            return "run Linux \(release.major).\(release.minor) or later"
        case .inspect:
            return "\(tool) endpoint show; \(tool) counters"
        case let .rebind(endpoint, device):
            return readd(endpoint, device: device ?? "NAME")
        case let .setInterfaceUp(name):
            return "\(ip) link set \(name) up"
        case let .addRoute(endpoint, interface):
            return "\(ip) route add NETWORK dev \(interface) src \(endpoint.address)"
        case .stopOtherManager(.networkManager):
            return "nmcli connection modify NAME connection.mptcp-flags disabled (or let NetworkManager own the endpoints)"
        case .stopOtherManager(.mptcpd):
            return "systemctl stop mptcpd (or let mptcpd own the endpoints)"
        case let .checkPath(interface, peer, endpoint):
            let probe = "\(netns.map { "ip netns exec \($0) " } ?? "")ping -c 3 -I \(interface) \(peer)"
            guard let endpoint else { return probe + "; once it answers, TCP's backoff brings the subflows back (up to minutes)" }
            return probe + "; once it answers: " + readd(endpoint, device: endpoint.interfaceIndex != 0 ? interface : nil)
        case let .listenOn(address, port):
            return "make the server on port \(port) listen on \(address.isIPv4 ? "0.0.0.0" : "::") (every address), "
                + "or on \(address) too"
        case let .addEndpoint(spec):
            var add = "\(tool) endpoint add \(spec.address)"
            if let device = spec.device { add += " dev \(device)" }
            for word in spec.flags.words { add += " \(word)" }
            return add
        }
    }

    /// The endpoint deleted and added again, same id, port and flags, with `device`
    /// (none: without dev).
    private func readd(_ endpoint: Endpoint, device: String?) -> String {
        var add = "\(tool) endpoint add \(endpoint.address)" + (device.map { " dev \($0)" } ?? "") + " id \(endpoint.id)"
        if endpoint.port != 0 { add += " port \(endpoint.port)" }
        for word in endpoint.flags.words { add += " \(word)" }
        return "\(tool) endpoint delete id \(endpoint.id); \(add)"
    }

    func text(_ findings: [Finding]) -> String {
        let label = CountersView.label(netns)
        guard !findings.isEmpty else { return "namespace \(label): no findings" }
        var lines = ["namespace \(label):"]
        for f in findings {
            lines.append("  \(Self.severity(f.severity).uppercased()) \(Self.check(f.kind)): \(Self.message(f.kind))")
            lines.append("    fix: \(fix(f.remedy))")
        }
        return lines.joined(separator: "\n")
    }

    func json(_ findings: [Finding]) -> JSON {
        .object([
            ("netns", netns.map(JSON.string) ?? .null),
            ("findings", .array(findings.map { f in
                .object([("severity", .string(Self.severity(f.severity))), ("check", .string(Self.check(f.kind))),
                         ("message", .string(Self.message(f.kind))), ("fix", .string(fix(f.remedy)))])
            })),
        ])
    }
}
