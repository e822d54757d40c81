/// The steps that take a namespace from its current state to the desired one. Making a
/// plan is a pure function; `PlanExecutor` carries it out.
public struct Plan: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case delete(Endpoint)
        /// Set the backup and fullmesh bits of an endpoint to those of `to`.
        case change(Endpoint, to: EndpointFlags)
        case add(EndpointSpec)
        /// Delete and add again: the kernel cannot change this difference in place.
        case replace(Endpoint, with: EndpointSpec)
        case setLimits(from: Limits, to: Limits)
        /// Set `net.mptcp.KEY` (first of all, so endpoints land under the right path manager).
        case setSysctl(key: String, from: String, to: String)
    }

    /// In the order they are shown: sysctls, deletes, replaces, changes, adds, limits.
    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    /// Compares `current` with what is desired. `endpoints` nil leaves the endpoints
    /// alone; a nil limit in `wantedLimits` leaves that limit alone. Implicit endpoints
    /// (the kernel's own) are never touched. Specs with an id match the endpoint with
    /// that id; specs without one match the endpoint with the same address and port,
    /// whatever its id. Devices must be resolved (`interfaceIndex`) beforehand.
    /// `sysctls` are the values wanted for `net.mptcp.*` keys, in order; `currentSysctls`
    /// the namespace's.
    public static func make(current: [Endpoint], limits: Limits, endpoints desired: [EndpointSpec]?,
                            wantedLimits: LimitsChange = LimitsChange(), keepUnlisted: Bool = false,
                            sysctls: [(key: String, value: String)] = [], currentSysctls: [String: String] = [:]) -> Plan {
        var settings: [Step] = []
        for (key, value) in sysctls {
            let now = currentSysctls[key] ?? ""
            if now != value { settings.append(.setSysctl(key: key, from: now, to: value)) }
        }
        var deletes: [Step] = [], replaces: [Step] = [], changes: [Step] = [], adds: [Step] = []
        if let desired {
            var remaining = current.filter { !$0.flags.contains(.implicit) }
            var found = [Endpoint?](repeating: nil, count: desired.count)
            // Ids first, so an entry without an id cannot take an endpoint another names.
            for (index, wanted) in desired.enumerated() where wanted.id != nil {
                found[index] = remaining.firstIndex { $0.id == wanted.id }.map { remaining.remove(at: $0) }
            }
            for (index, wanted) in desired.enumerated() where wanted.id == nil {
                found[index] = remaining.firstIndex { $0.address == wanted.address && $0.port == wanted.port ?? 0 }
                    .map { remaining.remove(at: $0) }
            }
            // The file's order for adds and changes.
            for (index, wanted) in desired.enumerated() {
                guard let old = found[index] else { adds.append(.add(wanted)); continue }
                var new = wanted
                new.id = old.id
                if sameExceptChangeableFlags(old, new) {
                    if old.flags != new.flags { changes.append(.change(old, to: new.flags)) }
                } else {
                    replaces.append(.replace(old, with: new))
                }
            }
            // An unlisted endpoint that holds an id or an address the file wants must go
            // (an address as the kernel compares them: ::ffff:10.0.3.2 holds 10.0.3.2).
            let wantedIDs = desired.indices.compactMap { desired[$0].id ?? found[$0]?.id }
            for endpoint in remaining {
                let conflicts = wantedIDs.contains(endpoint.id)
                    || desired.contains { $0.address.isKernelEqual(to: endpoint.address) && $0.port ?? 0 == endpoint.port }
                if !keepUnlisted || conflicts { deletes.append(.delete(endpoint)) }
            }
        }
        var steps = settings + deletes + replaces + changes + adds
        let target = limits.applying(wantedLimits)
        if target != limits { steps.append(.setLimits(from: limits, to: target)) }
        return Plan(steps: steps)
    }

    /// Everything but the flags the kernel can change in place (backup, fullmesh).
    static func sameExceptChangeableFlags(_ old: Endpoint, _ new: EndpointSpec) -> Bool {
        old.address == new.address && old.port == new.port ?? 0 && old.interfaceIndex == new.interfaceIndex ?? 0
            && old.flags.subtracting(EndpointFlags.changeable) == new.flags.subtracting(EndpointFlags.changeable)
    }

    public var isEmpty: Bool { steps.isEmpty }

    /// One kernel request and the step it belongs to.
    public enum Operation: Sendable, Equatable {
        case delete(id: UInt8)
        case setFlags(id: UInt8, EndpointFlags)
        case add(EndpointSpec)
        case setLimits(LimitsChange)
        case setSysctl(key: String, value: String)
    }

    /// The requests in an order that cannot fail for ordering reasons: sysctls, every delete
    /// (replaced endpoints too), then flag changes, then adds with an id, adds without,
    /// then limits.
    public var operations: [(step: Step, operation: Operation)] {
        var settings: [(Step, Operation)] = []
        var deletes: [(Step, Operation)] = [], changes: [(Step, Operation)] = []
        var addsWithID: [(Step, Operation)] = [], addsWithoutID: [(Step, Operation)] = [], limits: [(Step, Operation)] = []
        for step in steps {
            switch step {
            case let .delete(old):
                deletes.append((step, .delete(id: old.id)))
            case let .replace(old, new):
                deletes.append((step, .delete(id: old.id)))
                addsWithID.append((step, .add(new)))
            case let .change(old, flags):
                changes.append((step, .setFlags(id: old.id, flags.intersection(EndpointFlags.changeable))))
            case let .add(new):
                if new.id == nil { addsWithoutID.append((step, .add(new))) } else { addsWithID.append((step, .add(new))) }
            case let .setLimits(from, to):
                limits.append((step, .setLimits(from.change(to: to))))
            case let .setSysctl(key, _, value):
                settings.append((step, .setSysctl(key: key, value: value)))
            }
        }
        return settings + deletes + changes + addsWithID + addsWithoutID + limits
    }
}
