import Netlink

/// Carries out a plan over a path manager, all or nothing: if a request fails, the
/// namespace is put back as it was before the first one.
public struct PlanExecutor {
    /// What a namespace held before a plan began.
    public struct Saved: Sendable, Equatable {
        public var endpoints: [Endpoint]
        public var limits: Limits

        public init(endpoints: [Endpoint], limits: Limits) {
            self.endpoints = endpoints
            self.limits = limits
        }
    }

    let manager: PathManaging

    public init(manager: PathManaging) { self.manager = manager }

    /// Sends the plan's requests in order. On failure, restores `saved` and throws an
    /// error naming `label`, the failing step and the kernel's answer, and whether the
    /// namespace is back as it was.
    public func execute(_ plan: Plan, saved: Saved, label: String) throws(MPTCPError) {
        for (step, operation) in plan.operations {
            do throws(NetlinkError) {
                try send(operation)
            } catch {
                let failure = MPTCPError.from(error, operation: "apply: \(label): \(step.text)")
                let outcome: String
                do throws(MPTCPError) {
                    try restore(saved)
                    outcome = "rolled back: \(label) is as it was before apply"
                } catch let restoring {
                    outcome = "ROLLBACK FAILED, \(label) differs from before apply: \(restoring.message)"
                }
                throw MPTCPError(failure.exitCode, failure.message + "; " + outcome)
            }
        }
    }

    func send(_ operation: Plan.Operation) throws(NetlinkError) {
        switch operation {
        case let .delete(id): try manager.delete(.init(id: id))
        case let .setFlags(id, flags): try manager.setFlags(.init(id: id, flags: flags))
        case let .add(nest): try manager.add(nest)
        case let .setLimits(subflows, accepted): try manager.setLimits(subflows: subflows, addAddrAccepted: accepted)
        }
    }

    /// Puts `saved` back: first by undoing only what differs (so endpoints apply did not
    /// touch keep their subflows, and the kernel's implicit endpoints stay); if that
    /// fails, by flushing and adding every saved endpoint with its id, flags, port and
    /// interface. Then reads the namespace again to check.
    public func restore(_ saved: Saved) throws(MPTCPError) {
        let wanted = saved.endpoints.filter { !$0.flags.contains(.implicit) }.map { PlannedEndpoint($0, device: nil) }
        do throws(NetlinkError) {
            let undo = Plan.make(current: try manager.endpoints(), limits: try manager.limits(), endpoints: wanted,
                                 subflows: saved.limits.subflows, addAddrAccepted: saved.limits.addAddrAccepted)
            for (_, operation) in undo.operations { try send(operation) }
        } catch {
            do throws(NetlinkError) {
                try manager.flush()
                for endpoint in wanted { try manager.add(endpoint.nest) }
                try manager.setLimits(subflows: saved.limits.subflows, addAddrAccepted: saved.limits.addAddrAccepted)
            } catch {
                throw MPTCPError.from(error, operation: "restoring")
            }
        }
        let now: Saved
        do throws(NetlinkError) {
            now = Saved(endpoints: try manager.endpoints().filter { !$0.flags.contains(.implicit) }, limits: try manager.limits())
        } catch {
            throw MPTCPError.from(error, operation: "reading back")
        }
        guard now == Saved(endpoints: saved.endpoints.filter { !$0.flags.contains(.implicit) }, limits: saved.limits) else {
            throw MPTCPError(.refused, "after restoring, the endpoints or limits still differ")
        }
    }
}
