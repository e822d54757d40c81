/// An endpoint as a plan handles it: what the kernel reports, or what a file asks
/// for with its device resolved to an index.
public struct PlannedEndpoint: Sendable, Equatable {
    /// nil: the kernel picks (a file entry without an id, never yet added).
    public var id: UInt8?
    public var address: IPAddress
    public var port: UInt16
    public var flags: EndpointFlags
    public var interfaceIndex: Int32
    /// The interface's name, for the plan's text.
    public var device: String?

    public init(id: UInt8?, address: IPAddress, port: UInt16 = 0, flags: EndpointFlags = [],
                interfaceIndex: Int32 = 0, device: String? = nil) {
        self.id = id
        self.address = address
        self.port = port
        self.flags = flags
        self.interfaceIndex = interfaceIndex
        self.device = device
    }

    public init(_ endpoint: Endpoint, device: String?) {
        self.init(id: endpoint.id, address: endpoint.address, port: endpoint.port, flags: endpoint.flags,
                  interfaceIndex: endpoint.interfaceIndex, device: device)
    }

    /// The request that adds it.
    public var nest: Requests.AddressNest {
        .init(id: id, address: address, port: port == 0 ? nil : port, flags: flags.isEmpty ? nil : flags,
              interfaceIndex: interfaceIndex == 0 ? nil : interfaceIndex)
    }

    /// Everything but the flags the kernel can change in place (backup, fullmesh).
    func sameExceptChangeableFlags(_ other: PlannedEndpoint) -> Bool {
        address == other.address && port == other.port && interfaceIndex == other.interfaceIndex
            && flags.subtracting(EndpointFlags.changeable) == other.flags.subtracting(EndpointFlags.changeable)
    }
}

/// The steps that take a namespace from its current state to the desired one. Making a
/// plan is a pure function; `PlanExecutor` carries it out.
public struct Plan: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case delete(PlannedEndpoint)
        /// Set the backup and fullmesh bits of an endpoint to those of `to`.
        case change(PlannedEndpoint, to: EndpointFlags)
        case add(PlannedEndpoint)
        /// Delete and add again: the kernel cannot change this difference in place.
        case replace(PlannedEndpoint, with: PlannedEndpoint)
        case setLimits(from: Limits, to: Limits)
    }

    /// In the order they are shown: deletes, replaces, changes, adds, limits.
    public var steps: [Step]

    public init(steps: [Step]) { self.steps = steps }

    /// Compares `current` with what is desired. `endpoints` nil leaves the endpoints
    /// alone; a nil limit leaves that limit alone. Implicit endpoints (the kernel's own)
    /// are never touched. Entries with an id match the endpoint with that id; entries
    /// without one match the endpoint with the same address and port, whatever its id.
    public static func make(current: [Endpoint], limits: Limits, endpoints desired: [PlannedEndpoint]?,
                            subflows: UInt32? = nil, addAddrAccepted: UInt32? = nil, keepUnlisted: Bool = false,
                            deviceName: (Int32) -> String? = { _ in nil }) -> Plan {
        var deletes: [Step] = [], replaces: [Step] = [], changes: [Step] = [], adds: [Step] = []
        if let desired {
            var remaining = current.filter { !$0.flags.contains(.implicit) }
            var pairs: [(wanted: PlannedEndpoint, found: Endpoint?)] = []
            for wanted in desired where wanted.id != nil {
                let index = remaining.firstIndex { $0.id == wanted.id }
                pairs.append((wanted, index.map { remaining.remove(at: $0) }))
            }
            for wanted in desired where wanted.id == nil {
                let index = remaining.firstIndex { $0.address == wanted.address && $0.port == wanted.port }
                pairs.append((wanted, index.map { remaining.remove(at: $0) }))
            }
            // Keep the file's order for adds and changes.
            pairs.sort { a, b in desired.firstIndex(of: a.wanted)! < desired.firstIndex(of: b.wanted)! }
            for (wanted, found) in pairs {
                var wanted = wanted
                guard let found else { adds.append(.add(wanted)); continue }
                let old = PlannedEndpoint(found, device: deviceName(found.interfaceIndex))
                wanted.id = found.id
                if wanted.device == nil { wanted.device = old.device }
                if old.sameExceptChangeableFlags(wanted) {
                    if old.flags != wanted.flags { changes.append(.change(old, to: wanted.flags)) }
                } else {
                    replaces.append(.replace(old, with: wanted))
                }
            }
            // An unlisted endpoint that holds an id or an address the file wants must go.
            let wantedIDs = Set(pairs.compactMap { $0.wanted.id ?? $0.found?.id })
            for endpoint in remaining {
                let conflicts = wantedIDs.contains(endpoint.id)
                    || desired.contains { $0.address == endpoint.address && $0.port == endpoint.port }
                if !keepUnlisted || conflicts { deletes.append(.delete(PlannedEndpoint(endpoint, device: deviceName(endpoint.interfaceIndex)))) }
            }
        }
        var steps = deletes + replaces + changes + adds
        let target = Limits(subflows: subflows ?? limits.subflows, addAddrAccepted: addAddrAccepted ?? limits.addAddrAccepted)
        if target != limits { steps.append(.setLimits(from: limits, to: target)) }
        return Plan(steps: steps)
    }

    public var isEmpty: Bool { steps.isEmpty }

    /// One kernel request and the step it belongs to.
    public enum Operation: Sendable, Equatable {
        case delete(id: UInt8)
        case setFlags(id: UInt8, EndpointFlags)
        case add(Requests.AddressNest)
        case setLimits(subflows: UInt32?, addAddrAccepted: UInt32?)
    }

    /// The requests in an order that cannot fail for ordering reasons: every delete
    /// (replaced endpoints too), then flag changes, then adds with an id, adds without,
    /// then limits.
    public var operations: [(step: Step, operation: Operation)] {
        var deletes: [(Step, Operation)] = [], changes: [(Step, Operation)] = []
        var addsWithID: [(Step, Operation)] = [], addsWithoutID: [(Step, Operation)] = [], limits: [(Step, Operation)] = []
        for step in steps {
            switch step {
            case let .delete(old):
                deletes.append((step, .delete(id: old.id!)))
            case let .replace(old, new):
                deletes.append((step, .delete(id: old.id!)))
                addsWithID.append((step, .add(new.nest)))
            case let .change(old, flags):
                changes.append((step, .setFlags(id: old.id!, flags.intersection(EndpointFlags.changeable))))
            case let .add(new):
                if new.id == nil { addsWithoutID.append((step, .add(new.nest))) } else { addsWithID.append((step, .add(new.nest))) }
            case let .setLimits(from, to):
                limits.append((step, .setLimits(subflows: from.subflows == to.subflows ? nil : to.subflows,
                                                addAddrAccepted: from.addAddrAccepted == to.addAddrAccepted ? nil : to.addAddrAccepted)))
            }
        }
        return deletes + changes + addsWithID + addsWithoutID + limits
    }
}

extension Plan.Step {
    /// One line, e.g. "add 10.0.2.1 id 3 subflow", "change id 2 (10.0.2.2) backup -> nobackup".
    public var text: String {
        switch self {
        case let .delete(old):
            return "delete id \(old.id!) (\(old.address))"
        case let .add(new):
            var words = ["add", new.address.description]
            if let device = new.device { words += ["dev", device] } else if new.interfaceIndex != 0 { words += ["ifindex", String(new.interfaceIndex)] }
            if let id = new.id { words += ["id", String(id)] }
            if new.port != 0 { words += ["port", String(new.port)] }
            return (words + new.flags.words).joined(separator: " ")
        case let .change(old, flags):
            let changed = EndpointFlags.names.filter { EndpointFlags.changeable.contains($0.flag) }
                .filter { old.flags.contains($0.flag) != flags.contains($0.flag) }
            func words(_ f: EndpointFlags) -> String {
                changed.map { f.contains($0.flag) ? $0.word : "no" + $0.word }.joined(separator: ",")
            }
            return "change id \(old.id!) (\(old.address)) \(words(old.flags)) -> \(words(flags))"
        case let .replace(old, new):
            let (before, after) = Self.differences(old, new)
            return "replace id \(old.id!) (\(old.address)) \(before) -> \(after)"
        case let .setLimits(from, to):
            var parts: [String] = []
            if from.subflows != to.subflows { parts.append("subflows \(from.subflows) -> \(to.subflows)") }
            if from.addAddrAccepted != to.addAddrAccepted {
                parts.append("add_addr_accepted \(from.addAddrAccepted) -> \(to.addAddrAccepted)")
            }
            return "set limits " + parts.joined(separator: " ")
        }
    }

    /// The attributes that differ, old and new, in the order address, id, port, dev, flags.
    static func differences(_ old: PlannedEndpoint, _ new: PlannedEndpoint) -> (String, String) {
        var before: [String] = [], after: [String] = []
        func add(_ a: String, _ b: String) { before.append(a); after.append(b) }
        if old.address != new.address { add(old.address.description, new.address.description) }
        if old.id != new.id { add("id \(old.id.map(String.init) ?? "-")", "id \(new.id.map(String.init) ?? "-")") }
        if old.port != new.port { add(old.port == 0 ? "noport" : "port \(old.port)", new.port == 0 ? "noport" : "port \(new.port)") }
        if old.interfaceIndex != new.interfaceIndex {
            func dev(_ e: PlannedEndpoint) -> String {
                e.interfaceIndex == 0 ? "nodev" : "dev " + (e.device ?? "#\(e.interfaceIndex)")
            }
            add(dev(old), dev(new))
        }
        if old.flags != new.flags {
            add(old.flags.isEmpty ? "noflags" : old.flags.words.joined(separator: ","),
                new.flags.isEmpty ? "noflags" : new.flags.words.joined(separator: ","))
        }
        return (before.joined(separator: " "), after.joined(separator: " "))
    }

    /// The step as JSON: its action, its text, and the endpoint's id and address.
    public var json: JSON {
        var members: [(String, JSON)]
        switch self {
        case .delete: members = [("action", .string("delete"))]
        case .add: members = [("action", .string("add"))]
        case .change: members = [("action", .string("change"))]
        case .replace: members = [("action", .string("replace"))]
        case .setLimits: members = [("action", .string("set limits"))]
        }
        switch self {
        case let .delete(e), let .add(e), let .change(e, _), let .replace(e, _):
            members.append(("id", e.id.map { .int(Int64($0)) } ?? .null))
            members.append(("address", .string(e.address.description)))
        case .setLimits: break
        }
        members.append(("text", .string(text)))
        return .object(members)
    }
}
