import MPTCPKit

/// Carries out the `limits` commands and prints their result.
struct LimitsRunner {
    let context: Context
    let managers: ManagerCache

    func run(_ command: LimitsCommand, _ invocation: Invocation) throws(CLIError) {
        let manager = try managers.opened(invocation.netns)
        try CLIError.worded(as: invocation.operation) { () throws(PathManagerError) in
            switch command {
            case .show:
                context.console.line(LimitsView.render(try manager.limits(), invocation.format))
            case let .set(change):
                let lock = try context.lockNamespace(invocation.netns)
                defer { withExtendedLifetime(lock) {} }
                try manager.setLimits(change)
            }
        }
    }
}
