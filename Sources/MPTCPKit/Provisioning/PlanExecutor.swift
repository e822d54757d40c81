/// Carries out a plan over a path manager, all or nothing: if a request fails, the
/// namespace is put back as it was before the first one. Nothing else should change the
/// namespace meanwhile (a writer that does is undone by the rollback).
public struct PlanExecutor {
    /// What a namespace held before a plan began.
    public struct Saved: Sendable, Equatable {
        public var endpoints: [Endpoint]
        public var limits: Limits
        /// The values of the `net.mptcp.*` keys a plan may set, before it ran.
        public var sysctls: [String: String]

        public init(endpoints: [Endpoint], limits: Limits, sysctls: [String: String] = [:]) {
            self.endpoints = endpoints
            self.limits = limits
            self.sysctls = sysctls
        }

        /// Without the kernel's implicit endpoints, which no plan makes or removes.
        var managed: Saved {
            Saved(endpoints: endpoints.filter { !$0.flags.contains(.implicit) }, limits: limits, sysctls: sysctls)
        }
    }

    let manager: PathManager

    public init(manager: PathManager) { self.manager = manager }

    /// Sends the plan's requests in order. On failure, restores `saved` and throws what
    /// failed and whether the namespace is back as it was.
    public func execute(_ plan: Plan, saved: Saved) throws(PlanFailure) {
        for (step, operation) in plan.operations {
            do throws(PathManagerError) {
                try send(operation)
            } catch {
                throw PlanFailure(cause: .step(step, error), rollback: rollBack(saved))
            }
        }
        let added = plan.operations.compactMap { _, operation -> EndpointSpec? in
            guard case let .add(spec) = operation else { return nil }
            return spec
        }
        let dropped: IPAddress?
        do throws(PathManagerError) {
            dropped = try manager.droppedAddressFlag(added: added)?.spec.address
        } catch {
            throw PlanFailure(cause: .readingBack(error), rollback: nil)
        }
        if let dropped { throw PlanFailure(cause: .addressFlagDropped(dropped), rollback: rollBack(saved)) }
    }

    private func rollBack(_ saved: Saved) -> PlanFailure.Rollback {
        do throws(PlanFailure.RestoreFailure) {
            try restore(saved)
            return .restored
        } catch {
            return .failed(error)
        }
    }

    func send(_ operation: Plan.Operation) throws(PathManagerError) {
        switch operation {
        case let .delete(id): try manager.delete(id: id)
        case let .setFlags(id, flags): try manager.setFlags(id: id, flags)
        case let .add(spec): try manager.backend.addEndpoint(try manager.resolve(spec))
        case let .setLimits(change): try manager.setLimits(change)
        case let .setSysctl(key, value): try manager.setSysctl(key, to: value)
        }
    }

    /// Puts `saved` back: first by undoing only what differs (so endpoints the plan did
    /// not touch keep their subflows, and the kernel's implicit endpoints stay); if that
    /// fails, by flushing and adding every saved endpoint with its id, flags, port and
    /// interface. Then reads the namespace again to check.
    public func restore(_ saved: Saved) throws(PlanFailure.RestoreFailure) {
        let wanted = saved.managed.endpoints.map(\.spec)
        let limits = LimitsChange(subflows: saved.limits.subflows, addAddrAccepted: saved.limits.addAddrAccepted)
        do throws(PathManagerError) {
            let undo = Plan.make(current: try manager.endpoints(), limits: try manager.limits(), endpoints: wanted,
                                 wantedLimits: limits)
            for (_, operation) in undo.operations { try send(operation) }
        } catch {
            do throws(PathManagerError) {
                try manager.flush()
                for spec in wanted { try manager.backend.addEndpoint(spec) }
                try manager.setLimits(limits)
            } catch {
                throw .restoring(error)
            }
        }
        do throws(PathManagerError) {
            let current = Dictionary(try manager.sysctls().map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            // path_manager before pm_type: they are one setting, the first one written wins.
            for (key, value) in saved.sysctls.sorted(by: { $0.key < $1.key }) where current[key] != value {
                try manager.setSysctl(key, to: value)
            }
        } catch {
            throw .restoring(error)
        }
        let now: Saved
        do throws(PathManagerError) {
            let values = saved.sysctls.isEmpty ? [:]
                : Dictionary(try manager.sysctls().filter { saved.sysctls[$0.key] != nil }.map { ($0.key, $0.value) },
                             uniquingKeysWith: { a, _ in a })
            now = Saved(endpoints: try manager.endpoints(), limits: try manager.limits(), sysctls: values).managed
        } catch {
            throw .readingBack(error)
        }
        guard now == saved.managed else { throw .stillDiffers }
    }
}
