/// `mptcpctl doctor`: configurations that are accepted but silently do nothing.
public struct Finding: Sendable, Equatable {
    public enum Severity: String, Sendable, Comparable {
        case error, warning, info
        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
    }

    public var severity: Severity
    /// A stable name for scripts ("address-ignored").
    public var check: String
    public var message: String
    /// What to run to fix it.
    public var fix: String
}

public enum Doctor {
    /// The findings for one namespace, most severe first.
    public static func diagnose(_ s: NamespaceSnapshot) -> [Finding] {
        let tool = s.netns.map { "mptcpctl -n \($0)" } ?? "mptcpctl"
        let ip = s.netns.map { "ip -n \($0)" } ?? "ip"
        let sysctl = s.netns.map { "ip netns exec \($0) sysctl -w" } ?? "sysctl -w"
        let c = s.counts
        var findings: [Finding] = []
        func add(_ severity: Finding.Severity, _ check: String, _ message: String, _ fix: String) {
            findings.append(Finding(severity: severity, check: check, message: message, fix: fix))
        }

        if s.mptcpEnabled == false {
            add(.error, "mptcp-disabled", "MPTCP is disabled (net.mptcp.enabled = 0): no MPTCP connection is made, so no endpoint is used",
                "\(sysctl) net.mptcp.enabled=1")
        }
        if s.pathManager == "userspace", c.total > 0 {
            add(.error, "userspace-path-manager", "the namespace uses the userspace path manager: the \(c.total) in-kernel endpoint(s) are inert",
                "\(sysctl) net.mptcp.path_manager=kernel")
        }
        if c.address > 0, s.limits.addAddrAccepted == 0 {
            add(.error, "address-ignored", "\(c.address) address endpoint(s) but add_addr_accepted is 0: the peer's announced "
                + "addresses are ignored, so the address endpoints are never used",
                "\(tool) limits set add_addr_accepted \(min(c.address, 8))")
        }
        if c.address > Int(s.limits.subflows) {
            add(.warning, "address-over-subflows", "\(c.address) address endpoints but the subflows limit is \(s.limits.subflows): "
                + "at most \(s.limits.subflows) of them can be used by a connection",
                "\(tool) limits set subflows \(min(c.address, 8))")
        }
        if c.fullmesh > 0, c.address > 0 {
            add(.warning, "fullmesh-precedence", "\(c.fullmesh) fullmesh endpoint(s) take precedence over the \(c.address) address "
                + "endpoint(s): announced addresses are reached from the fullmesh endpoints instead",
                s.endpoints.filter { $0.flags.contains(.fullmesh) }.map { "\(tool) endpoint change id \($0.id) nofullmesh" }
                    .joined(separator: "; "))
        }
        for endpoint in s.endpoints {
            if endpoint.interfaceIndex != 0, s.interfaceNames[endpoint.interfaceIndex] == nil {
                add(.error, "device-missing", "endpoint \(endpoint.id) (\(endpoint.address)) is bound to interface index "
                    + "\(endpoint.interfaceIndex), which does not exist",
                    "\(tool) endpoint delete id \(endpoint.id); \(tool) endpoint add \(endpoint.address) dev NAME …")
            }
            if !endpoint.flags.contains(.implicit), !s.localAddresses.contains(endpoint.address) {
                add(.warning, "address-not-configured", "endpoint \(endpoint.id) (\(endpoint.address)) is not configured on any "
                    + "interface of the namespace: subflows from it cannot be made",
                    "\(ip) address add \(endpoint.address)/PREFIX dev NAME, or \(tool) endpoint delete id \(endpoint.id)")
            }
        }
        // With MPTCP disabled no MPTCP socket can be made, so MPTCP_INFO says nothing.
        if s.pathManager != "userspace", s.mptcpEnabled != false, s.kernel.endpAddressMax == nil {
            add(c.address > 0 ? .warning : .info, "address-counter-unavailable",
                "the kernel does not report the address-endpoint counter in MPTCP_INFO (a kernel older than Linux 6.18): "
                + "address endpoints are not supported", "run Linux 6.18 or later")
        }
        for m in s.mismatches {
            add(.warning, "kernel-mismatch", "\(m.name): the dump says \(m.dump) but the kernel's MPTCP_INFO says \(m.kernel)",
                "\(tool) endpoint show; \(tool) counters")
        }
        return findings.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }.map(\.element)
    }

    public static func text(netns: String?, _ findings: [Finding]) -> String {
        let label = CountersView.label(netns)
        guard !findings.isEmpty else { return "namespace \(label): no findings" }
        var lines = ["namespace \(label):"]
        for f in findings {
            lines.append("  \(f.severity.rawValue.uppercased()) \(f.check): \(f.message)")
            lines.append("    fix: \(f.fix)")
        }
        return lines.joined(separator: "\n")
    }

    public static func json(netns: String?, _ findings: [Finding]) -> JSON {
        .object([
            ("netns", netns.map(JSON.string) ?? .null),
            ("findings", .array(findings.map { f in
                .object([("severity", .string(f.severity.rawValue)), ("check", .string(f.check)),
                         ("message", .string(f.message)), ("fix", .string(f.fix))])
            })),
        ])
    }
}
