import MPTCPKit

/// How a plan is shown: one line per step ("ns1: add 10.0.2.1 id 3 subflow"), or
/// JSON with each step's action, endpoint and line.
enum PlanView {
    /// The plan of one namespace, each line after its label, or "LABEL: no changes".
    static func text(_ prepared: Apply.Prepared) -> String {
        let label = CountersView.label(prepared.netns)
        guard !prepared.plan.isEmpty else { return "\(label): no changes" }
        let deviceName = { (index: Int32) in prepared.manager.interfaceName(index: index) }
        return prepared.plan.steps.map { "\(label): \(text($0, deviceName: deviceName))" }.joined(separator: "\n")
    }

    /// The plan as JSON: the namespace (null for the current one) and its steps.
    static func json(_ prepared: Apply.Prepared) -> JSON {
        let deviceName = { (index: Int32) in prepared.manager.interfaceName(index: index) }
        return .object([("netns", prepared.netns.map(JSON.string) ?? .null),
                        ("steps", .array(prepared.plan.steps.map { json($0, deviceName: deviceName) }))])
    }

    /// How carrying out one namespace's plan ended, for `apply -j`.
    enum Outcome {
        /// Nothing to do.
        case unchanged
        /// `--dry-run`: steps to take, none taken.
        case planned
        /// Every step taken.
        case applied
        /// A step failed: the failure and the line that reports it.
        case failed(PlanFailure, message: String)
    }

    /// The plan as JSON with how it ended: `outcome` (`unchanged`, `planned`, `applied`,
    /// `rolled back`, `rollback failed`, `failed`), `failure` when it failed (the `step`,
    /// null when none is to blame, and the `message`), and `after`, the namespace as
    /// `export -j` writes it afterwards (with `--dry-run`, as the plan would leave it;
    /// null when it could not be read).
    static func json(_ prepared: Apply.Prepared, outcome: Outcome, after: JSON?) -> JSON {
        guard case var .object(members) = json(prepared) else { return json(prepared) }
        switch outcome {
        case .unchanged: members.append(("outcome", .string("unchanged")))
        case .planned: members.append(("outcome", .string("planned")))
        case .applied: members.append(("outcome", .string("applied")))
        case let .failed(failure, message):
            let word = switch failure.rollback {
            case .restored: "rolled back"
            case .failed: "rollback failed"
            case nil: "failed"
            }
            let deviceName = { (index: Int32) in prepared.manager.interfaceName(index: index) }
            let step = failure.step(in: prepared.plan).map { json($0, deviceName: deviceName) } ?? .null
            members.append(("outcome", .string(word)))
            members.append(("failure", .object([("step", step), ("message", .string(message))])))
        }
        members.append(("after", after ?? .null))
        return .object(members)
    }

    /// One line, e.g. "add 10.0.2.1 id 3 subflow", "change id 2 (10.0.2.2) backup -> nobackup".
    /// `deviceName` names the interfaces of endpoints that exist.
    static func text(_ step: Plan.Step, deviceName: (Int32) -> String? = { _ in nil }) -> String {
        switch step {
        case let .delete(old):
            return "delete id \(old.id) (\(old.address))"
        case let .add(new):
            var words = ["add", new.address.description]
            if let device = new.device { words += ["dev", device] } else if let index = new.interfaceIndex { words += ["ifindex", String(index)] }
            if let id = new.id { words += ["id", String(id)] }
            if let port = new.port { words += ["port", String(port)] }
            return (words + new.flags.words).joined(separator: " ")
        case let .change(old, flags):
            let changed = EndpointFlags.names.filter { EndpointFlags.changeable.contains($0.flag) }
                .filter { old.flags.contains($0.flag) != flags.contains($0.flag) }
            func words(_ f: EndpointFlags) -> String {
                changed.map { f.contains($0.flag) ? $0.word : "no" + $0.word }.joined(separator: ",")
            }
            return "change id \(old.id) (\(old.address)) \(words(old.flags)) -> \(words(flags))"
        case let .replace(old, new):
            let (before, after) = differences(old, new, deviceName: deviceName)
            return "replace id \(old.id) (\(old.address)) \(before) -> \(after)"
        case let .setLimits(from, to):
            var parts: [String] = []
            if from.subflows != to.subflows { parts.append("subflows \(from.subflows) -> \(to.subflows)") }
            if from.addAddrAccepted != to.addAddrAccepted {
                parts.append("add_addr_accepted \(from.addAddrAccepted) -> \(to.addAddrAccepted)")
            }
            return "set limits " + parts.joined(separator: " ")
        case let .setSysctl(key, from, to):
            return "set sysctl \(key) \(from.isEmpty ? "-" : from) -> \(to)"
        }
    }

    /// The attributes that differ, old and new, in the order address, id, port, dev, flags.
    static func differences(_ old: Endpoint, _ new: EndpointSpec, deviceName: (Int32) -> String?) -> (String, String) {
        var before: [String] = [], after: [String] = []
        func add(_ a: String, _ b: String) { before.append(a); after.append(b) }
        if old.address != new.address { add(old.address.description, new.address.description) }
        if old.id != new.id { add("id \(old.id)", "id \(new.id.map(String.init) ?? "-")") }
        let newPort = new.port ?? 0
        if old.port != newPort { add(old.port == 0 ? "noport" : "port \(old.port)", newPort == 0 ? "noport" : "port \(newPort)") }
        let newIndex = new.interfaceIndex ?? 0
        if old.interfaceIndex != newIndex {
            let oldDevice = old.interfaceIndex == 0 ? "nodev" : "dev " + (deviceName(old.interfaceIndex) ?? "#\(old.interfaceIndex)")
            let newDevice = newIndex == 0 ? "nodev" : "dev " + (new.device ?? deviceName(newIndex) ?? "#\(newIndex)")
            add(oldDevice, newDevice)
        }
        if old.flags != new.flags {
            add(old.flags.isEmpty ? "noflags" : old.flags.words.joined(separator: ","),
                new.flags.isEmpty ? "noflags" : new.flags.words.joined(separator: ","))
        }
        return (before.joined(separator: " "), after.joined(separator: " "))
    }

    /// The step as JSON: its action, the endpoint's id and address, and its line.
    static func json(_ step: Plan.Step, deviceName: (Int32) -> String? = { _ in nil }) -> JSON {
        var members: [(String, JSON)]
        switch step {
        case .delete: members = [("action", .string("delete"))]
        case .add: members = [("action", .string("add"))]
        case .change: members = [("action", .string("change"))]
        case .replace: members = [("action", .string("replace"))]
        case .setLimits: members = [("action", .string("set limits"))]
        case .setSysctl: members = [("action", .string("set sysctl"))]
        }
        switch step {
        case let .delete(e), let .change(e, _), let .replace(e, _):
            members.append(("id", .int(Int64(e.id))))
            members.append(("address", .string(e.address.description)))
        case let .add(spec):
            members.append(("id", spec.id.map { .int(Int64($0)) } ?? .null))
            members.append(("address", .string(spec.address.description)))
        case .setLimits: break
        case let .setSysctl(key, _, _): members.append(("key", .string(key)))
        }
        members.append(("text", .string(text(step, deviceName: deviceName))))
        return .object(members)
    }

    /// A problem of a file that only its namespace revealed, with its position.
    static func problem(_ problem: Apply.MissingDevice) -> String {
        let label = CountersView.label(problem.netns)
        switch problem.kind {
        case let .device(name):
            return "\(problem.position): dev '\(name)' does not exist in namespace \(label)"
        case let .unknownSysctl(key, available):
            return "\(problem.position): unknown sysctl '\(key)': the kernel of namespace \(label) has "
                + available.joined(separator: ", ")
        case let .readOnlySysctl(key):
            return "\(problem.position): sysctl '\(key)' cannot be set (the kernel only reports it)"
        case .bothPathManagerKeys:
            return "\(problem.position): give one of path_manager and pm_type: they are one setting"
        }
    }
}
