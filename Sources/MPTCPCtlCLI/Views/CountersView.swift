import MPTCPKit

/// `mptcpctl counters`: the endpoint counts from the dump beside the kernel's own
/// counters, for one namespace or for many.
struct CountersView {
    /// The label of a namespace in text: its name, or "(current)".
    static func label(_ netns: String?) -> String { netns ?? "(current)" }

    /// The name of a counter in messages and JSON.
    static func name(_ counter: NamespaceSnapshot.Mismatch.Counter) -> String {
        switch counter {
        case .signal: "signal"
        case .subflow: "subflow"
        case .address: "address"
        case .subflows: "subflows"
        case .addAddrAccepted: "add_addr_accepted"
        }
    }

    /// One namespace: a counter per row, the dump's value beside MPTCP_INFO's.
    func text(_ snapshot: NamespaceSnapshot) -> String {
        let c = snapshot.counts, k = snapshot.kernel
        func kernel(_ value: Int?) -> String { value.map(String.init) ?? "unavailable" }
        var table = Table(header: ["COUNTER", "DUMP", "MPTCP_INFO"])
        table.add(["endpoints", String(c.total), "-"])
        table.add(["signal", String(c.signal), kernel(k.endpSignalMax)])
        table.add(["subflow", String(c.subflow), kernel(k.endpSubflowMax)])
        table.add(["address", String(c.address), kernel(k.endpAddressMax)])
        table.add(["fullmesh", String(c.fullmesh), "-"])
        table.add(["backup", String(c.backup), "-"])
        table.add(["implicit", String(c.implicit), "-"])
        table.add(["subflows (limit)", String(snapshot.limits.subflows), kernel(k.limitSubflows)])
        table.add(["add_addr_accepted (limit)", String(snapshot.limits.addAddrAccepted), kernel(k.limitAddAddrAccepted)])
        var lines = ["namespace \(Self.label(snapshot.netns))", "", table.rendered()]
        let mismatches = snapshot.mismatches
        if !mismatches.isEmpty { lines.append("") }
        for m in mismatches {
            lines.append("MISMATCH: \(Self.name(m.counter)): the dump says \(m.dump), the kernel's MPTCP_INFO says \(m.kernel)")
        }
        return lines.joined(separator: "\n")
    }

    /// Many namespaces: one row each; a namespace that could not be read says why.
    func table(_ rows: [(netns: String?, result: Result<NamespaceSnapshot, CLIError>)]) -> String {
        var table = Table(header: ["NETNS", "ENDPOINTS", "SIGNAL", "SUBFLOW", "ADDRESS", "FULLMESH", "BACKUP",
                                   "IMPLICIT", "SUBFLOWS", "ADD_ADDR_ACCEPTED", "KERNEL"])
        var failures: [String] = []
        for row in rows {
            switch row.result {
            case let .success(s):
                let c = s.counts
                let mismatches = s.mismatches
                let kernel = mismatches.isEmpty
                    ? (s.kernel == .unavailable ? "unavailable" : "agrees")
                    : "MISMATCH: " + mismatches.map { Self.name($0.counter) }.joined(separator: ",")
                table.add([Self.label(row.netns), String(c.total), String(c.signal), String(c.subflow), String(c.address),
                           String(c.fullmesh), String(c.backup), String(c.implicit), String(s.limits.subflows),
                           String(s.limits.addAddrAccepted), kernel])
            case let .failure(error):
                table.add([Self.label(row.netns)] + Array(repeating: "-", count: 9) + ["ERROR (below)"])
                failures.append("\(Self.label(row.netns)): \(error.message)")
            }
        }
        return ([table.rendered()] + (failures.isEmpty ? [] : [""] + failures)).joined(separator: "\n")
    }

    /// The JSON object of one namespace, with exactly the documented keys; a
    /// namespace that could not be read has null endpoints, limits and kernel.
    func json(netns: String?, _ result: Result<NamespaceSnapshot, CLIError>) -> JSON {
        func number(_ value: Int?) -> JSON { value.map { .int(Int64($0)) } ?? .null }
        let name: JSON = netns.map(JSON.string) ?? .null
        guard case let .success(s) = result else {
            return .object([("netns", name), ("endpoints", .null), ("limits", .null), ("kernel", .null)])
        }
        let c = s.counts, k = s.kernel
        return .object([
            ("netns", name),
            ("endpoints", .object([
                ("total", number(c.total)), ("signal", number(c.signal)), ("subflow", number(c.subflow)),
                ("address", number(c.address)), ("fullmesh", number(c.fullmesh)), ("backup", number(c.backup)),
                ("implicit", number(c.implicit)),
            ])),
            ("limits", LimitsView.json(s.limits)),
            ("kernel", .object([
                ("endp_signal_max", number(k.endpSignalMax)), ("endp_subflow_max", number(k.endpSubflowMax)),
                ("endp_address_max", number(k.endpAddressMax)), ("limit_subflows", number(k.limitSubflows)),
                ("limit_add_addr_accepted", number(k.limitAddAddrAccepted)),
            ])),
        ])
    }
}
