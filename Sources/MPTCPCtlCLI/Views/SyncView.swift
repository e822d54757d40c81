import MPTCPKit

/// What `sync` prints: each step it carried out, as a plan line after the time
/// ("2026-11-25T11:40:01.123456Z ns1: add 10.1.0.1 dev eth0 subflow"), or with -j one
/// JSON object per step (NDJSON) with its time and namespace.
enum SyncView {
    static func text(_ step: Plan.Step, netns: String?, time: Timestamp, deviceName: (Int32) -> String?) -> String {
        "\(time.rfc3339) \(CountersView.label(netns)): \(PlanView.text(step, deviceName: deviceName))"
    }

    static func json(_ step: Plan.Step, netns: String?, time: Timestamp, deviceName: (Int32) -> String?) -> JSON {
        var members: [(String, JSON)] = [("time", .string(time.rfc3339)), ("netns", netns.map(JSON.string) ?? .null)]
        if case let .object(rest) = PlanView.json(step, deviceName: deviceName) { members += rest }
        return .object(members)
    }

    /// The warning for addresses left out beyond the kernel's endpoints, said when
    /// they first do not fit (not at each change, which would be a warning per address).
    static func leftOut(_ candidates: [FollowedEndpoints.Candidate], capacity: Int) -> String {
        let list = candidates.map { "\($0.spec.address) (\($0.interface))" }.joined(separator: ", ")
        return "sync: matched addresses do not fit in the kernel's \(capacity) endpoints: kept: "
            + "earlier rules first, then interface name, IPv4 before IPv6, lower address; left out now: \(list)"
    }

    /// The warning for fixed endpoints whose `dev` the namespace lacks.
    static func missing(_ devices: [Apply.MissingDevice]) -> String {
        "sync: " + devices.map { problem -> String in
            if case .device = problem.kind { return "\(problem.position): dev '\(problem.device)' does not exist: entry skipped until it does" }
            return PlanView.problem(problem) + ": skipped"
        }.joined(separator: "; ")
    }

    static let lost = "sync: interface changes were lost (rtnetlink receive buffer overran): "
        + "reading every interface and address again"

    /// Why sync stops: what the reconciler could not do, and where.
    static func failure(_ failure: Reconciler.Failure) -> CLIError {
        switch failure {
        case let .following(error): return CLIError(error, operation: "sync: following the interfaces")
        case let .lock(error): return CLIError(error, operation: "sync")
        case let .reading(error): return CLIError(error.cause, operation: "sync: reading \(CountersView.label(error.netns))")
        case let .waiting(error): return CLIError(error, operation: "sync: waiting for interface changes")
        case let .healing(error): return CLIError(error, operation: "sync: healing paths (turn it off with --no-heal)")
        case let .namespaceGone(label):
            return .environment("sync: network namespace '\(label)' was deleted (no \(NetworkNamespace.path(of: label)) "
                + "or another namespace took its name): stopping")
        }
    }
}
