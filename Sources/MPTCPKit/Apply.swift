import Netlink

/// `apply`: plans every namespace of a desired state before changing any, then carries
/// out each namespace's plan all or nothing.
public struct Apply {
    /// One namespace, read and planned, ready to be carried out.
    public struct Prepared {
        /// nil: the current namespace.
        public var netns: String?
        public var manager: PathManaging
        public var saved: PlanExecutor.Saved
        public var plan: Plan

        public var label: String { CountersView.label(netns) }
    }

    let keepUnlisted: Bool
    /// Opens the path manager of a namespace (nil: the current one).
    let open: (String?) throws(MPTCPError) -> PathManaging

    public init(keepUnlisted: Bool, open: @escaping (String?) throws(MPTCPError) -> PathManaging) {
        self.keepUnlisted = keepUnlisted
        self.open = open
    }

    /// Reads each namespace and plans it. Returns the plans, or the problems that only
    /// the namespace can reveal (a `dev` it lacks), each with its file position.
    public func prepare(_ state: DesiredState, netns: String?) throws(MPTCPError) -> (plans: [Prepared], problems: [String]) {
        if state.named, netns != nil {
            throw .usage("apply: -n cannot go with a file that names its namespaces under 'namespaces:'")
        }
        var plans: [Prepared] = [], problems: [String] = []
        for desired in state.namespaces {
            let target = state.named ? desired.name : netns
            let manager = try open(target)
            let label = CountersView.label(target)
            let saved: PlanExecutor.Saved
            do throws(NetlinkError) {
                saved = PlanExecutor.Saved(endpoints: try manager.endpoints(), limits: try manager.limits())
            } catch {
                throw MPTCPError.from(error, operation: "apply: reading \(label)")
            }
            var wanted: [PlannedEndpoint]?
            if let specs = desired.endpoints {
                wanted = []
                for spec in specs {
                    var index: Int32 = 0
                    if let device = spec.device {
                        guard let found = manager.interfaceIndex(named: device) else {
                            problems.append("\(spec.position): dev '\(device)' does not exist in namespace \(label)")
                            continue
                        }
                        index = found
                    }
                    wanted?.append(PlannedEndpoint(id: spec.id, address: spec.address, port: spec.port, flags: spec.flags,
                                                   interfaceIndex: index, device: spec.device))
                }
            }
            let plan = Plan.make(current: saved.endpoints, limits: saved.limits, endpoints: wanted,
                                 subflows: desired.subflows, addAddrAccepted: desired.addAddrAccepted,
                                 keepUnlisted: keepUnlisted, deviceName: { manager.interfaceName(index: $0) })
            plans.append(Prepared(netns: target, manager: manager, saved: saved, plan: plan))
        }
        return (plans, problems)
    }

    /// The plan as text, one line per step ("ns1: add 10.0.2.1 id 3 subflow"), or
    /// "ns1: no changes".
    public static func text(_ prepared: Prepared) -> String {
        guard !prepared.plan.isEmpty else { return "\(prepared.label): no changes" }
        return prepared.plan.steps.map { "\(prepared.label): \($0.text)" }.joined(separator: "\n")
    }

    /// The plan as JSON: the namespace (null for the current one) and its steps.
    public static func json(_ prepared: Prepared) -> JSON {
        .object([("netns", prepared.netns.map(JSON.string) ?? .null),
                 ("steps", .array(prepared.plan.steps.map(\.json)))])
    }

    /// Carries out one namespace's plan; on failure the namespace is restored.
    public static func execute(_ prepared: Prepared) throws(MPTCPError) {
        try PlanExecutor(manager: prepared.manager).execute(prepared.plan, saved: prepared.saved, label: prepared.label)
    }
}
