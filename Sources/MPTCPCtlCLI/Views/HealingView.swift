import MPTCPKit

/// What `sync` says of healing: each failure and repair as one line after the time and
/// the namespace, as the plan lines are, or with -j one JSON object with `event`
/// (`path_down`, `path_up`, `repair`, `healed`, `waiting_for_peer`, `gave_up`):
///
///     2026-11-25T11:42:10.753414Z ns1: path down: 10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2): no answer to probes; 1 connection(s) on it: 0x1a2b3c4d
///     {"time":"…","netns":"ns1","event":"path_down","path":{…},"reason":"probes","connections":["0x1a2b3c4d"],"text":"…"}
enum HealingView {
    static func text(_ event: HealingEvent, netns: String?, time: Timestamp) -> String {
        "\(time.rfc3339) \(CountersView.label(netns)): \(line(event))"
    }

    static func json(_ event: HealingEvent, netns: String?, time: Timestamp) -> JSON {
        var members: [(String, JSON)] = [("time", .string(time.rfc3339)), ("netns", netns.map(JSON.string) ?? .null)]
        switch event {
        case let .pathDown(path, reason, connections):
            members += [("event", .string("path_down")), ("path", json(path)), ("reason", .string(word(reason))),
                        ("connections", tokens(connections))]
        case let .pathUp(path, reason, downFor, connections):
            members += [("event", .string("path_up")), ("path", json(path)), ("reason", .string(word(reason))),
                        ("down_seconds", .seconds(downFor)), ("connections", tokens(connections))]
        case let .repaired(path, endpoint, lacking, touched, attempt):
            members += [("event", .string("repair")), ("path", json(path)), ("endpoint", json(endpoint, path)),
                        ("lacking", tokens(lacking)), ("touched", tokens(touched)), ("attempt", .int(Int64(attempt)))]
        case let .repairFailed(path, endpoint, _):
            members += [("event", .string("repair_failed")), ("path", json(path)), ("endpoint", json(endpoint, path))]
        case let .healed(path, connections, seconds, repairs):
            members += [("event", .string("healed")), ("path", json(path)), ("connections", tokens(connections)),
                        ("seconds", .seconds(seconds)), ("repairs", .int(Int64(repairs)))]
        case let .waitingForPeer(path, connections):
            members += [("event", .string("waiting_for_peer")), ("path", json(path)), ("connections", tokens(connections))]
        case let .gaveUp(path, connections, seconds):
            members += [("event", .string("gave_up")), ("path", json(path)), ("connections", tokens(connections)),
                        ("seconds", .seconds(seconds))]
        }
        members.append(("text", .string(line(event))))
        return .object(members)
    }

    /// The event's line, without time and namespace.
    static func line(_ event: HealingEvent) -> String {
        switch event {
        case let .pathDown(path, reason, connections):
            return "path down: \(name(path)): \(cause(reason, path)); \(count(connections)) on it\(list(connections))"
        case let .pathUp(path, reason, downFor, connections):
            let how = reason == .probes ? "its peer answers again" : "its interface and address are back"
            return "path up: \(name(path)): \(how) after \(seconds(downFor)) s"
                + (connections.isEmpty ? "" : "; \(count(connections)) to heal\(list(connections))")
        case let .repaired(path, endpoint, lacking, touched, attempt):
            var text = "repair: endpoint \(endpoint.id) (\(endpoint.address)\(path.interface.map { " dev \($0)" } ?? "")"
                + " \(endpoint.flags.words.joined(separator: " "))) deleted and added again"
                + (attempt > 1 ? " (attempt \(attempt))" : "")
                + ": \(count(lacking)) lacked \(path.path.local) -> \(path.path.remote)\(list(lacking))"
            if !touched.isEmpty {
                text += "; it also closed and reopened the working subflows of \(count(touched))\(list(touched))"
            }
            return text
        case let .repairFailed(path, endpoint, _):
            return "repair of endpoint \(endpoint.id) (\(name(path))) failed"
        case let .healed(path, connections, seconds, repairs):
            return "healed: \(name(path)): \(count(connections)) carry traffic on it again\(list(connections)), "
                + "\(self.seconds(seconds)) s after it came back (\(repairs) repair\(repairs == 1 ? "" : "s"))"
        case let .waitingForPeer(path, connections):
            return "waiting for the peer: \(name(path)): \(count(connections)) lack it\(list(connections)); an address "
                + "endpoint opens a subflow only when the peer announces its address, which the peer's sync does by healing "
                + "its signal endpoint"
        case let .gaveUp(path, connections, seconds):
            return "gave up: \(name(path)): \(count(connections)) still lack it \(self.seconds(seconds)) s after it "
                + "failed or came back\(list(connections))"
        }
    }

    /// "10.0.2.1 dev cb -> 10.0.1.2 (endpoint 2)"
    static func name(_ path: PathReport) -> String {
        "\(path.path.local)\(path.interface.map { " dev \($0)" } ?? "") -> \(path.path.remote)"
            + (path.endpoint.map { " (endpoint \($0))" } ?? "")
    }

    static func cause(_ reason: PathDetector.Reason, _ path: PathReport) -> String {
        switch reason {
        case .carrier: return "\(path.interface ?? "its interface") is down, lost its carrier or is gone"
        case .address: return "\(path.path.local) is no longer on \(path.interface ?? "its interface")"
        case .probes: return "no answer to probes"
        }
    }

    static func word(_ reason: PathDetector.Reason) -> String {
        switch reason {
        case .carrier: "carrier"
        case .address: "address"
        case .probes: "probes"
        }
    }

    static func count(_ tokens: [UInt32]) -> String { "\(tokens.count) connection(s)" }

    static func list(_ tokens: [UInt32]) -> String {
        tokens.isEmpty ? "" : ": " + tokens.prefix(8).map(EventView.hex).joined(separator: ", ") + (tokens.count > 8 ? ", …" : "")
    }

    static func seconds(_ value: Double) -> String { JSON.seconds(value).dropLast(2).description }

    static func tokens(_ tokens: [UInt32]) -> JSON { .array(tokens.map { .string(EventView.hex($0)) }) }

    static func json(_ path: PathReport) -> JSON {
        .object([("local", .string(path.path.local.description)), ("remote", .string(path.path.remote.description)),
                 ("dev", path.interface.map(JSON.string) ?? .null), ("endpoint", path.endpoint.map { .int(Int64($0)) } ?? .null)])
    }

    static func json(_ endpoint: Endpoint, _ path: PathReport) -> JSON {
        .object([("id", .int(Int64(endpoint.id))), ("address", .string(endpoint.address.description)),
                 ("dev", path.interface.map(JSON.string) ?? .null),
                 ("flags", .array(endpoint.flags.words.map(JSON.string)))])
    }
}
