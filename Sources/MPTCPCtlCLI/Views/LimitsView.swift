import MPTCPKit

/// How limits are shown: a two-column table, or `{"subflows":N,"add_addr_accepted":N}`.
enum LimitsView {
    static func text(_ limits: Limits) -> String {
        var table = Table(header: ["LIMIT", "VALUE"])
        table.add(["subflows", String(limits.subflows)])
        table.add(["add_addr_accepted", String(limits.addAddrAccepted)])
        return table.rendered()
    }

    static func json(_ limits: Limits) -> JSON {
        .object([("subflows", .int(Int64(limits.subflows))), ("add_addr_accepted", .int(Int64(limits.addAddrAccepted)))])
    }

    static func render(_ limits: Limits, _ format: OutputFormat) -> String {
        if format.ip { return IPTextView.limits(limits) }
        return format.json ? json(limits).rendered(pretty: format.pretty) : text(limits)
    }
}
