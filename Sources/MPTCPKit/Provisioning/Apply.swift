/// Makes namespaces match a desired state: plans every namespace before changing any,
/// then carries out each namespace's plan all or nothing. Runs on the caller's thread;
/// `open` gives the path manager of each namespace (each created inside its own).
public struct Apply {
    /// One namespace, read and planned, ready to be carried out.
    public struct Prepared {
        /// nil: the current namespace.
        public var netns: String?
        public var manager: PathManager
        public var saved: PlanExecutor.Saved
        public var plan: Plan
        /// Addresses `interfaces:` rules matched that did not fit beside the rest.
        public var leftOut: [FollowedEndpoints.Candidate] = []
    }

    /// A namespace that could not be opened or read; nothing was changed.
    public struct Failure: Error, Sendable, Equatable {
        public enum Stage: Sendable, Equatable { case opening, reading }
        public var netns: String?
        public var stage: Stage
        public var cause: PathManagerError
    }

    /// An entry whose `dev` the namespace lacks: only the namespace can tell.
    public struct MissingDevice: Sendable, Equatable {
        public var position: String
        public var device: String
        public var netns: String?
    }

    let keepUnlisted: Bool
    /// Opens the path manager of a namespace (nil: the current one).
    let open: (String?) throws(PathManagerError) -> PathManager
    /// Reads the interfaces and addresses of a namespace, for `interfaces:` rules
    /// (nil: a namespace has none).
    let interfaces: ((String?) throws(PathManagerError) -> InterfaceSnapshot)?

    public init(keepUnlisted: Bool, open: @escaping (String?) throws(PathManagerError) -> PathManager,
                interfaces: ((String?) throws(PathManagerError) -> InterfaceSnapshot)? = nil) {
        self.keepUnlisted = keepUnlisted
        self.open = open
        self.interfaces = interfaces
    }

    /// Reads each namespace and plans it: namespaces named by the state, or `netns`
    /// for a state that names none. Returns the plans, and the entries whose device
    /// the namespace lacks (then nothing must be carried out).
    public func prepare(_ state: DesiredState, netns: String?) throws(Failure) -> (plans: [Prepared], missing: [MissingDevice]) {
        var plans: [Prepared] = [], missing: [MissingDevice] = []
        for desired in state.namespaces {
            let target = state.named ? desired.name : netns
            let manager: PathManager
            do throws(PathManagerError) { manager = try open(target) } catch {
                throw Failure(netns: target, stage: .opening, cause: error)
            }
            let saved: PlanExecutor.Saved
            do throws(PathManagerError) {
                saved = PlanExecutor.Saved(endpoints: try manager.endpoints(), limits: try manager.limits())
            } catch {
                throw Failure(netns: target, stage: .reading, cause: error)
            }
            var wanted: [EndpointSpec]?
            if let entries = desired.endpoints {
                wanted = []
                for entry in entries {
                    do throws(PathManagerError) {
                        wanted?.append(try manager.resolve(entry.spec))
                    } catch {
                        missing.append(MissingDevice(position: entry.position, device: entry.spec.device ?? "", netns: target))
                    }
                }
            }
            var leftOut: [FollowedEndpoints.Candidate] = []
            if let rules = desired.interfaces {
                let snapshot: InterfaceSnapshot
                do throws(PathManagerError) {
                    snapshot = try interfaces?(target) ?? InterfaceSnapshot()
                } catch {
                    throw Failure(netns: target, stage: .reading, cause: error)
                }
                let followed = Self.follow(rules, snapshot: snapshot, fixed: wanted ?? [], current: saved.endpoints,
                                           keepUnlisted: keepUnlisted)
                wanted = (wanted ?? []) + followed.chosen.map(\.spec)
                leftOut = followed.leftOut
            }
            let plan = Plan.make(current: saved.endpoints, limits: saved.limits, endpoints: wanted,
                                 wantedLimits: desired.limits, keepUnlisted: keepUnlisted)
            plans.append(Prepared(netns: target, manager: manager, saved: saved, plan: plan, leftOut: leftOut))
        }
        return (plans, missing)
    }

    /// The endpoints `rules` ask for beside `fixed`, within the room the kernel leaves:
    /// its maximum, less the fixed endpoints, the kernel's implicit ones and, with
    /// `keepUnlisted`, the unlisted ones that stay.
    public static func follow(_ rules: [InterfaceRule], snapshot: InterfaceSnapshot, fixed: [EndpointSpec],
                              current: [Endpoint], keepUnlisted: Bool) -> FollowedEndpoints {
        let fixedAddresses = Set(fixed.map(\.address))
        let all = FollowedEndpoints.select(rules: rules, snapshot: snapshot, excluding: fixedAddresses, capacity: .max)
        let wantedAddresses = fixedAddresses.union(all.chosen.map(\.spec.address))
        let implicit = current.filter { $0.flags.contains(.implicit) && !wantedAddresses.contains($0.address) }.count
        let kept = keepUnlisted
            ? current.filter { !$0.flags.contains(.implicit) && !wantedAddresses.contains($0.address) }.count : 0
        let room = PathManagerFamily.maxEndpoints - fixed.count - implicit - kept
        return FollowedEndpoints.select(rules: rules, snapshot: snapshot, excluding: fixedAddresses, capacity: room)
    }

    /// Carries out one namespace's plan; on failure the namespace is restored.
    public static func execute(_ prepared: Prepared) throws(PlanFailure) {
        try PlanExecutor(manager: prepared.manager).execute(prepared.plan, saved: prepared.saved)
    }
}
