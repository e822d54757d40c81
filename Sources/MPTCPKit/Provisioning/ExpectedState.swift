/// What a namespace holds once a plan is carried out, as far as it is known before it
/// runs: what `apply --dry-run` can show as the state after.
public struct ExpectedState: Sendable, Equatable {
    /// By id, then the added ones without an id (the kernel numbers them) in the
    /// plan's order. The kernel's implicit endpoints stay, as every plan leaves them.
    public var endpoints: [EndpointSpec]
    public var limits: Limits
    /// The namespace's `net.mptcp.*` values, with those the plan sets.
    public var sysctls: [String: String]

    public init(endpoints: [EndpointSpec], limits: Limits, sysctls: [String: String] = [:]) {
        self.endpoints = endpoints
        self.limits = limits
        self.sysctls = sysctls
    }

    /// The state `plan` leaves a namespace in that holds `endpoints`, `limits` and `sysctls`.
    public init(after plan: Plan, endpoints current: [Endpoint], limits: Limits, sysctls: [String: String] = [:]) {
        var numbered = current.map(\.spec), unnumbered: [EndpointSpec] = []
        var limits = limits, sysctls = sysctls
        func add(_ spec: EndpointSpec) {
            if spec.id == nil { unnumbered.append(spec) } else { numbered.append(spec) }
        }
        for step in plan.steps {
            switch step {
            case let .delete(old):
                numbered.removeAll { $0.id == old.id }
            case let .change(old, flags):
                // SET_FLAGS changes backup and fullmesh only; the rest is the endpoint's.
                let kept = old.flags.subtracting(EndpointFlags.changeable).union(flags.intersection(EndpointFlags.changeable))
                if let index = numbered.firstIndex(where: { $0.id == old.id }) { numbered[index].flags = kept }
            case let .replace(old, new):
                numbered.removeAll { $0.id == old.id }
                add(new)
            case let .add(new):
                add(new)
            case let .setLimits(_, to):
                limits = to
            case let .setSysctl(key, _, value):
                sysctls[key] = value
            }
        }
        self.init(endpoints: numbered.sorted { ($0.id ?? 0) < ($1.id ?? 0) } + unnumbered, limits: limits, sysctls: sysctls)
    }
}
