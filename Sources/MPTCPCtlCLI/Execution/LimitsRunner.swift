import MPTCPKit

/// Carries out the `limits` commands and prints their result.
struct LimitsRunner {
    let context: Context
    let managers: ManagerCache

    func run(_ command: LimitsCommand, _ line: LineOptions) throws(CLIError) {
        let manager = try managers.opened(line.netns)
        try CLIError.worded(as: line.operation) { () throws(PathManagerError) in
            switch command {
            case .show:
                context.console.line(LimitsView.render(try manager.limits(), line.format))
            case let .set(change):
                let lock = try context.lockNamespace(line.netns)
                defer { withExtendedLifetime(lock) {} }
                try manager.setLimits(change)
            }
        }
    }
}
