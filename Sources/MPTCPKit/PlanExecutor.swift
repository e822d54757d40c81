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
                throw rollBack(saved, label: label, after: MPTCPError.from(error, operation: "apply: \(label): \(step.text)"))
            }
        }
        if let missing = try droppedAddressFlag(plan) {
            throw rollBack(saved, label: label, after: MPTCPError(.unsupported, "apply: \(label): add \(missing): this kernel "
                + "lacks address endpoints (it did not keep flag 0x20; Linux 6.18 or later has them)"))
        }
    }

    /// Restores `saved` and says so after `failure`'s message.
    private func rollBack(_ saved: Saved, label: String, after failure: MPTCPError) -> MPTCPError {
        let outcome: String
        do throws(MPTCPError) {
            try restore(saved)
            outcome = "rolled back: \(label) is as it was before apply"
        } catch let restoring {
            outcome = "ROLLBACK FAILED, \(label) differs from before apply: \(restoring.message)"
        }
        return MPTCPError(failure.exitCode, failure.message + "; " + outcome)
    }

    /// Kernels before 6.18 drop flag bits they do not know: the address of an endpoint
    /// added with the address flag that came back without it, if any.
    private func droppedAddressFlag(_ plan: Plan) throws(MPTCPError) -> IPAddress? {
        let added = plan.operations.compactMap { _, operation -> Requests.AddressNest? in
            guard case let .add(nest) = operation, nest.flags?.contains(.address) == true else { return nil }
            return nest
        }
        guard !added.isEmpty else { return nil }
        do throws(NetlinkError) {
            let now = try manager.endpoints()
            return added.first { nest in
                !now.contains { $0.address == nest.address && $0.port == nest.port ?? 0 && $0.flags.contains(.address) }
            }?.address
        } catch {
            throw MPTCPError.from(error, operation: "apply: reading the endpoints back")
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
