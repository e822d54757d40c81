import MPTCPKit

/// One assertion of `mptcpctl check`: `KEY OP NUMBER` as one word (`address==2`),
/// `endpoint=ADDRESS[:FLAG,FLAG...]` (that endpoint exists, with exactly those flags
/// when a colon follows the address), `path=LOCAL>REMOTE` (an established subflow that
/// is not stalled: one that carries traffic, or could), or
/// `program=NAME` (a process of that name holds an MPTCP connection).
package struct Expectation: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case counter(CounterKey, Operator, Int)
        case endpoint(IPAddress, flags: EndpointFlags?)
        /// An established subflow from `local` to `remote` (nil: any address), not stalled.
        case path(local: IPAddress?, remote: IPAddress?)
        /// A process named `name` (its kernel name, `SocketOwners.Owner.isNamed`)
        /// holds the socket of a connection.
        case program(String)
    }

    /// Whether it needs the namespace's connections read.
    var isLive: Bool {
        switch kind {
        case let .counter(key, _, _): key.isLive
        case .endpoint: false
        case .path, .program: true
        }
    }

    /// Whether it needs the processes holding the connections' sockets read (/proc).
    var needsProcesses: Bool {
        if case .program = kind { return true }
        return false
    }

    enum Operator: String, Sendable, CaseIterable {
        case equal = "==", notEqual = "!=", atLeast = ">=", atMost = "<=", above = ">", below = "<"

        func holds(_ found: Int, _ wanted: Int) -> Bool {
            switch self {
            case .equal: found == wanted
            case .notEqual: found != wanted
            case .atLeast: found >= wanted
            case .atMost: found <= wanted
            case .above: found > wanted
            case .below: found < wanted
            }
        }

        /// Longest first, so ">=" is not read as ">".
        static let byLength: [Operator] = [.equal, .notEqual, .atLeast, .atMost, .above, .below]
    }

    /// The word as given, for messages.
    package let text: String
    let kind: Kind

    package init(_ given: String) throws(CLIError) {
        let trimmed = String(given.drop(while: \.isWhitespace))
        // A process's name may have blanks ("Web Content"): kept as given.
        if trimmed.hasPrefix("program=") {
            text = trimmed
            kind = try Self.program(String(trimmed.dropFirst("program=".count)), in: trimmed)
            return
        }
        // 'endpoints >= 2' is 'endpoints>=2': blanks never belong to a key, operator or number.
        let text = String(given.filter { !$0.isWhitespace })
        self.text = text
        if text.isEmpty { throw .usage("check: bad expectation '\(given)': write KEY OP NUMBER (address==2) or endpoint=ADDRESS[:FLAG,...]") }
        if text.hasPrefix("endpoint=") {
            kind = try Self.endpoint(String(text.dropFirst("endpoint=".count)), in: text)
            return
        }
        if text.hasPrefix("path=") {
            kind = try Self.path(String(text.dropFirst("path=".count)), in: text)
            return
        }
        guard let start = text.firstIndex(where: { "=!<>".contains($0) }) else {
            throw .usage("check: bad expectation '\(text)': write KEY OP NUMBER (address==2), endpoint=ADDRESS[:FLAG,...], "
                + "path=LOCAL>REMOTE or program=NAME")
        }
        let name = String(text[..<start])
        let rest = text[start...]
        guard let op = Operator.byLength.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw .usage("check: bad operator in '\(text)': use ==, !=, >=, <=, > or <")
        }
        guard let key = CounterKey.named(name) else {
            throw .usage("check: unknown counter '\(name)' in '\(text)': expected \(CounterKey.names.joined(separator: ", "))")
        }
        let number = String(rest.dropFirst(op.rawValue.count))
        guard !number.isEmpty, number.allSatisfy(\.isASCII), number.allSatisfy(\.isNumber),
              let value = Int(number), value <= 255 else {
            throw .usage("check: bad number '\(number)' in '\(text)': a count is a number from 0 to 255")
        }
        kind = .counter(key, op, value)
    }

    /// The expectations of `check`'s words: one word each, or one split by the shell
    /// around its operator (`endpoints >= 2`), joined again.
    static func words(_ words: [String]) -> [String] {
        let operatorCharacters: Set<Character> = ["=", "!", "<", ">"]
        var joined: [String] = []
        for word in words {
            if let last = joined.last, !last.hasPrefix("endpoint="),
               last.last.map(operatorCharacters.contains) == true
                || (!last.contains(where: operatorCharacters.contains) && word.first.map(operatorCharacters.contains) == true) {
                joined[joined.count - 1] += word
            } else {
                joined.append(word)
            }
        }
        return joined
    }

    /// "10.0.0.1", "10.0.0.1:subflow,backup", "2001:db8::1:address", "[2001:db8::1]:", …
    private static func endpoint(_ spec: String, in text: String) throws(CLIError) -> Kind {
        var addressPart = spec, flagPart: String?
        if spec.hasPrefix("["), let close = spec.firstIndex(of: "]") {
            addressPart = String(spec[spec.index(after: spec.startIndex)..<close])
            let after = spec[spec.index(after: close)...]
            if after.hasPrefix(":") { flagPart = String(after.dropFirst()) } else if !after.isEmpty {
                throw .usage("check: bad endpoint expectation '\(text)': expected endpoint=ADDRESS[:FLAG,...]")
            }
        } else if IPAddress(spec) == nil, let colon = spec.lastIndex(of: ":") {
            addressPart = String(spec[..<colon])
            flagPart = String(spec[spec.index(after: colon)...])
        }
        guard let address = IPAddress(addressPart) else {
            throw .usage("check: bad address '\(addressPart)' in '\(text)'")
        }
        guard let flagPart else { return .endpoint(address, flags: nil) }
        var flags: EndpointFlags = []
        for word in flagPart.split(separator: ",").map(String.init) {
            guard let flag = EndpointFlags.named(word) else {
                throw .usage("check: unknown flag '\(word)' in '\(text)': expected \(EndpointFlags.names.map(\.word).joined(separator: ", "))")
            }
            flags.insert(flag)
        }
        return .endpoint(address, flags: flags)
    }

    /// "10.0.2.1>10.0.2.2", "*>10.0.2.2", "fd00:2::1>*".
    private static func path(_ spec: String, in text: String) throws(CLIError) -> Kind {
        let sides = spec.split(separator: ">", omittingEmptySubsequences: false).map(String.init)
        guard sides.count == 2 else {
            throw .usage("check: bad path expectation '\(text)': expected path=LOCAL>REMOTE (an address or * on each side)")
        }
        var addresses: [IPAddress?] = []
        for side in sides {
            if side == "*" { addresses.append(nil); continue }
            guard let address = IPAddress(side) else { throw .usage("check: bad address '\(side)' in '\(text)'") }
            addresses.append(address)
        }
        return .path(local: addresses[0], remote: addresses[1])
    }

    /// "curl": a process name as the kernel keeps it; not a path (the kernel keeps no
    /// directory), and not empty.
    private static func program(_ name: String, in text: String) throws(CLIError) -> Kind {
        guard !name.isEmpty else {
            throw .usage("check: bad program expectation '\(text)': expected program=NAME, a process name as ps and /proc/PID/comm show it (program=curl)")
        }
        if name.contains("/") {
            let base = name.split(separator: "/").last.map(String.init) ?? name
            throw .usage("check: bad program '\(name)' in '\(text)': give the process name, not a path (program=\(base))")
        }
        return .program(name)
    }

    /// Whether it holds in `snapshot`, whose connections' sockets `owners` holds
    /// (when the expectation needs processes), and what was found, in words.
    func evaluate(_ snapshot: NamespaceSnapshot, owners: SocketOwners = SocketOwners()) -> (holds: Bool, found: String) {
        switch kind {
        case let .counter(key, op, value):
            let found = key.value(in: snapshot)
            return (op.holds(found, value), "\(key.rawValue)=\(found)")
        case let .endpoint(address, flags):
            guard let endpoint = snapshot.endpoints.first(where: { $0.address == address }) else {
                return (false, "no endpoint with address \(address)")
            }
            let words = endpoint.flags.words
            let found = "\(address) (id \(endpoint.id)) with flags \(words.isEmpty ? "(none)" : words.joined(separator: ","))"
            return (flags.map { $0 == endpoint.flags } ?? true, found)
        case let .path(local, remote):
            let established = (snapshot.connections ?? []).flatMap(\.subflows).filter(\.isEstablished)
            // A black-holed subflow stays established for minutes: only one not stalled carries traffic.
            let holds = established.contains {
                (local == nil || $0.local == local) && (remote == nil || $0.remote == remote) && !$0.health().isStalled
            }
            guard !established.isEmpty else { return (holds, "no established subflow") }
            var paths: [String] = []
            for subflow in established {
                let health = subflow.health()
                let path = "\(subflow.local)>\(subflow.remote)"
                    + (health.isStalled ? " (\(health.text) for \(SubflowHealth.duration(health.idleTime)))" : "")
                if !paths.contains(path) { paths.append(path) }
            }
            return (holds, "established subflows " + paths.joined(separator: ", "))
        case let .program(name):
            let connections = (snapshot.connections ?? []).filter { !$0.isListening }
            guard !connections.isEmpty else { return (false, "no MPTCP connection") }
            var holders: [SocketOwners.Owner] = [], seen = Set<Int32>()
            for connection in connections {
                for owner in owners[inode: connection.inode] where seen.insert(owner.pid).inserted { holders.append(owner) }
            }
            guard !holders.isEmpty else { return (false, "\(connections.count) MPTCP connection(s), held by no process found") }
            let holds = holders.contains { $0.isNamed(name) }
            holders.sort { $0.pid < $1.pid }
            // A busy host's thousand clients make no line: the first few name the rest.
            let shown = 5
            var found = "MPTCP connections held by "
            for (index, owner) in holders.prefix(shown).enumerated() {
                found += (index == 0 ? "" : ", ") + "\(owner.name) (pid \(owner.pid))"
            }
            if holders.count > shown { found += " and \(holders.count - shown) more" }
            return (holds, found)
        }
    }
}
