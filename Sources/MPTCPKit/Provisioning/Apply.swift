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
        /// The endpoints the namespace may hold, which `leftOut` did not fit in.
        public var endpointCapacity: Int
    }

    /// A namespace that could not be opened or read; nothing was changed.
    public struct Failure: Error, Sendable, Equatable {
        public enum Stage: Sendable, Equatable { case opening, reading }
        public var netns: String?
        public var stage: Stage
        public var cause: PathManagerError
    }

    /// A problem of the file that only the namespace can reveal; nothing is carried out.
    public struct MissingDevice: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// An entry's `dev` is not an interface of the namespace.
            case device(String)
            /// The running kernel has no such `net.mptcp.*` key (its keys are listed).
            case unknownSysctl(String, available: [String])
            /// The key cannot be set (`available_schedulers`, …).
            case readOnlySysctl(String)
            /// `path_manager` and `pm_type` are one setting: a file gives one of them.
            case bothPathManagerKeys
        }

        public var position: String
        public var kind: Kind
        public var netns: String?

        public init(position: String, kind: Kind, netns: String?) {
            self.position = position
            self.kind = kind
            self.netns = netns
        }

        /// The interface name, for a missing device.
        public var device: String {
            if case let .device(name) = kind { return name }
            return ""
        }
    }

    let keepUnlisted: Bool
    /// Opens the path manager of a namespace (nil: the current one).
    let open: (String?) throws(PathManagerError) -> PathManager
    /// Reads the interfaces and addresses of a namespace, for `interfaces:` rules
    /// (nil: a namespace has none).
    let interfaces: ((String?) throws(PathManagerError) -> InterfaceSnapshot)?
    /// The endpoints a namespace may hold: the running kernel's (`KernelFeatures.endpointMax`).
    let endpointCapacity: Int
    /// Given a namespace's endpoints and interfaces as read, the existing endpoints that
    /// `interfaces:` rules keep although their address is not usable now (healing holds
    /// an `address` endpoint while its interface is gone); nil: none.
    let hold: (([Endpoint], InterfaceSnapshot) -> [EndpointSpec])?

    public init(keepUnlisted: Bool, open: @escaping (String?) throws(PathManagerError) -> PathManager,
                interfaces: ((String?) throws(PathManagerError) -> InterfaceSnapshot)? = nil,
                endpointCapacity: Int = PathManagerFamily.maxEndpoints,
                hold: (([Endpoint], InterfaceSnapshot) -> [EndpointSpec])? = nil) {
        self.keepUnlisted = keepUnlisted
        self.endpointCapacity = endpointCapacity
        self.open = open
        self.interfaces = interfaces
        self.hold = hold
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
            var saved: PlanExecutor.Saved
            var settings: [(key: String, value: String)] = [], current: [String: String] = [:]
            do throws(PathManagerError) {
                saved = PlanExecutor.Saved(endpoints: try manager.endpoints(), limits: try manager.limits())
                if let wanted = desired.sysctls {
                    let existing = try manager.sysctls()
                    (settings, missing) = Self.check(wanted, against: existing, netns: target, problems: missing)
                    current = Dictionary(existing.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                    // Saved: the keys the plan may set, and the other name of the path manager.
                    for key in Set(settings.map(\.key)).union(settings.contains { SysctlSetting.pathManagerKeys.contains($0.key) }
                                                                  ? SysctlSetting.pathManagerKeys.filter { current[$0] != nil } : []) {
                        saved.sysctls[key] = current[key]
                    }
                }
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
                        missing.append(MissingDevice(position: entry.position, kind: .device(entry.spec.device ?? ""), netns: target))
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
                let fixed = wanted ?? []
                // Held endpoints stay as they are, in room of their own: those a rule made
                // (its flags, on an interface it matches), not a fixed or unlisted one.
                let held = (hold?(saved.endpoints, snapshot) ?? []).filter { spec in
                    guard let name = spec.interfaceIndex.flatMap({ snapshot.interface(index: $0)?.name }),
                          let rule = rules.first(where: { $0.matches(interface: name, address: spec.address) }) else { return false }
                    return rule.flags == spec.flags && !fixed.contains { $0.address.isKernelEqual(to: spec.address) }
                }
                let followed = Self.follow(rules, snapshot: snapshot, fixed: fixed + held, current: saved.endpoints,
                                           keepUnlisted: keepUnlisted, capacity: endpointCapacity)
                wanted = fixed + held + followed.chosen.map(\.spec)
                leftOut = followed.leftOut
            }
            let plan = Plan.make(current: saved.endpoints, limits: saved.limits, endpoints: wanted,
                                 wantedLimits: desired.limits, keepUnlisted: keepUnlisted,
                                 sysctls: settings, currentSysctls: current)
            plans.append(Prepared(netns: target, manager: manager, saved: saved, plan: plan, leftOut: leftOut,
                                  endpointCapacity: endpointCapacity))
        }
        return (plans, missing)
    }

    /// The settings a file may make, and the problems of those it may not.
    static func check(_ wanted: [DesiredState.Setting], against existing: [SysctlSetting], netns: String?,
                      problems: [MissingDevice]) -> ([(key: String, value: String)], [MissingDevice]) {
        var problems = problems, settings: [(key: String, value: String)] = []
        let writable = existing.filter(\.writable).map(\.key)
        for setting in wanted {
            guard let found = existing.first(where: { $0.key == setting.key }) else {
                problems.append(MissingDevice(position: setting.position, kind: .unknownSysctl(setting.key, available: writable), netns: netns))
                continue
            }
            guard found.writable else {
                problems.append(MissingDevice(position: setting.position, kind: .readOnlySysctl(setting.key), netns: netns))
                continue
            }
            settings.append((setting.key, setting.value))
        }
        let pathManager = wanted.filter { SysctlSetting.pathManagerKeys.contains($0.key) }
        if pathManager.count > 1, let second = pathManager.last {
            problems.append(MissingDevice(position: second.position, kind: .bothPathManagerKeys, netns: netns))
        }
        return (settings, problems)
    }

    /// The endpoints `rules` ask for beside `fixed`, within the room the kernel leaves:
    /// its maximum (`capacity`), less the fixed endpoints, the kernel's implicit ones and, with
    /// `keepUnlisted`, the unlisted ones that stay.
    public static func follow(_ rules: [InterfaceRule], snapshot: InterfaceSnapshot, fixed: [EndpointSpec],
                              current: [Endpoint], keepUnlisted: Bool, capacity: Int) -> FollowedEndpoints {
        let fixedAddresses = Set(fixed.map(\.address))
        let all = FollowedEndpoints.select(rules: rules, snapshot: snapshot, excluding: fixedAddresses, capacity: .max)
        let wantedAddresses = fixedAddresses.union(all.chosen.map(\.spec.address))
        let implicit = current.filter { $0.flags.contains(.implicit) && !wantedAddresses.contains($0.address) }.count
        let kept = keepUnlisted
            ? current.filter { !$0.flags.contains(.implicit) && !wantedAddresses.contains($0.address) }.count : 0
        let room = capacity - fixed.count - implicit - kept
        return FollowedEndpoints.select(rules: rules, snapshot: snapshot, excluding: fixedAddresses, capacity: room)
    }

    /// Carries out one namespace's plan; on failure the namespace is restored.
    public static func execute(_ prepared: Prepared) throws(PlanFailure) {
        try PlanExecutor(manager: prepared.manager).execute(prepared.plan, saved: prepared.saved)
    }
}
