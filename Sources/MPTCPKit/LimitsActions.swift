import Netlink

/// Carries out the `limits` commands and renders the result.
public struct LimitsActions {
    let manager: PathManaging
    let format: OutputFormat

    public init(manager: PathManaging, format: OutputFormat) {
        self.manager = manager
        self.format = format
    }

    public func run(_ command: LimitsCommand, operation: String) throws(MPTCPError) -> String? {
        do {
            switch command {
            case .show:
                return render(try manager.limits())
            case let .set(subflows, accepted):
                try manager.setLimits(subflows: subflows, addAddrAccepted: accepted)
                return nil
            }
        } catch {
            throw MPTCPError.from(error, operation: operation)
        }
    }

    public func render(_ limits: Limits) -> String {
        if format.json { return LimitsActions.json(limits).rendered(pretty: format.pretty) }
        var table = Table(header: ["LIMIT", "VALUE"])
        table.add(["subflows", String(limits.subflows)])
        table.add(["add_addr_accepted", String(limits.addAddrAccepted)])
        return table.rendered()
    }

    public static func json(_ limits: Limits) -> JSON {
        .object([("subflows", .int(Int64(limits.subflows))), ("add_addr_accepted", .int(Int64(limits.addAddrAccepted)))])
    }
}
