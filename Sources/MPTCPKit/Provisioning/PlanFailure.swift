/// Why a plan was not carried out, and whether the namespace was put back.
public struct PlanFailure: Error, Sendable, Equatable {
    public enum Cause: Sendable, Equatable {
        /// The kernel refused a step's request.
        case step(Plan.Step, PathManagerError)
        /// An endpoint added with the address flag came back without it: the kernel
        /// predates Linux 6.18.
        case addressFlagDropped(IPAddress)
        /// The endpoints could not be read back after the steps.
        case readingBack(PathManagerError)
    }

    /// How putting the namespace back went.
    public enum Rollback: Sendable, Equatable {
        case restored
        case failed(RestoreFailure)
    }

    /// Why a namespace could not be put back as it was.
    public enum RestoreFailure: Error, Sendable, Equatable {
        /// A request of the restore failed (after the flush-and-add fallback too).
        case restoring(PathManagerError)
        /// The namespace could not be read afterwards.
        case readingBack(PathManagerError)
        /// It was read, and differs from what was saved.
        case stillDiffers
    }

    public var cause: Cause
    /// nil when nothing was rolled back.
    public var rollback: Rollback?

    public init(cause: Cause, rollback: Rollback?) {
        self.cause = cause
        self.rollback = rollback
    }

    /// The step of `plan` that failed: the refused one, or the add whose address flag
    /// the kernel dropped; nil when the failure was reading back.
    public func step(in plan: Plan) -> Plan.Step? {
        switch cause {
        case let .step(step, _):
            return step
        case let .addressFlagDropped(address):
            return plan.steps.first { step in
                switch step {
                case let .add(spec), let .replace(_, spec): spec.address == address
                default: false
                }
            }
        case .readingBack:
            return nil
        }
    }
}
