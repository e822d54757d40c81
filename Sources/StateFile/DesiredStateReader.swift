// Reads apply files. The only module that imports Yams (and with it Foundation), linked
// into `mptcpctl-apply` alone so that every other command starts without Foundation.
import MPTCPKit
import Yams

extension DesiredState {
    /// Parses YAML or JSON (JSON is YAML); `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(StateFileError) -> DesiredState {
        var reader = Reader(file: file)
        let state = reader.document(text)
        if !reader.problems.isEmpty { throw StateFileError(problems: reader.problems) }
        return state!
    }

    static let topKeys = ["namespaces", "limits", "endpoints", "interfaces", "sysctl", "heal"]
    static let namespaceKeys = ["limits", "endpoints", "interfaces", "sysctl", "heal"]
    static let healKeys = ["probe_interval", "dead_after", "grace", "hold", "repair_backoff", "probes"]
    static let probeKeys = ["name", "target"]
    static let ruleKeys = ["name", "flags", "families"]
    static let limitKeys = ["subflows", "add_addr_accepted"]
    static let endpointKeys = ["address", "id", "port", "dev", "ifindex", "flags"]
}

/// Walks the YAML tree, collecting problems instead of stopping at the first.
private struct Reader {
    let file: String
    var problems: [String] = []

    init(file: String) { self.file = file }

    func position(_ node: Node?) -> String {
        guard let mark = node?.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    mutating func problem(_ node: Node?, _ message: String) {
        problems.append("\(position(node)): \(message)")
    }

    mutating func document(_ text: String) -> DesiredState? {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            problems.append(describe(error))
            return nil
        } catch {
            problems.append("\(file): \(error)")
            return nil
        }
        // Keys are checked once, by namespace(_:name:) or below.
        guard let root, let mapping = self.mapping(root, keys: nil, what: "the file") else {
            if root == nil { problems.append("\(file): empty: expected limits:, endpoints:, interfaces: or namespaces:") }
            return nil
        }
        if let namespaces = mapping["namespaces"] {
            if let other = mapping.keys.first(where: { $0.string != "namespaces" }) {
                problem(other, "'\(other.string ?? "")' cannot stand beside 'namespaces:': put it under a namespace")
            }
            var result: [DesiredState.Namespace] = []
            if let list = self.mapping(namespaces, keys: nil, what: "namespaces") {
                for (key, value) in list {
                    let name = key.string ?? ""
                    do throws(NetworkNamespace.Problem) { try NetworkNamespace.validate(name) } catch {
                        problem(key, Self.badName(error))
                    }
                    result.append(namespace(value, name: name))
                }
            }
            return DesiredState(namespaces: result, named: true)
        }
        return DesiredState(namespaces: [namespace(root, name: nil)], named: false)
    }

    /// The pairs of a mapping whose keys are all among `keys` (any keys when nil);
    /// nil, with a problem, when the node is not a mapping. A null value is an empty mapping.
    mutating func mapping(_ node: Node, keys: [String]?, what: String) -> Node.Mapping? {
        if case let .scalar(scalar) = node, scalar.string.isEmpty || scalar.string == "null" || scalar.string == "~" {
            return Node.Mapping([])
        }
        guard case let .mapping(mapping) = node else {
            problem(node, "\(what) must be a mapping of keys to values")
            return nil
        }
        if let keys {
            for key in mapping.keys where !keys.contains(key.string ?? "") {
                problem(key, "unknown key '\(key.string ?? "?")' in \(what): expected \(Self.list(keys))")
            }
        }
        return mapping
    }

    mutating func namespace(_ node: Node, name: String?) -> DesiredState.Namespace {
        var result = DesiredState.Namespace(name: name)
        let what = name.map { "namespace '\($0)'" } ?? "the file"
        guard let mapping = self.mapping(node, keys: name == nil ? DesiredState.topKeys : DesiredState.namespaceKeys, what: what)
        else { return result }
        if let limits = mapping["limits"], let pairs = self.mapping(limits, keys: DesiredState.limitKeys, what: "limits") {
            for (key, value) in pairs {
                // Only what no kernel could take; the running kernel refuses above its own maximum.
                let max = UInt64(UInt32.max)
                guard let number = self.number(value, max: max, name: key.string ?? "?",
                                               rule: "a limit is a whole number from 0 to \(max)") else { continue }
                if key.string == "subflows" { result.limits.subflows = UInt32(number) } else { result.limits.addAddrAccepted = UInt32(number) }
            }
        }
        if let endpoints = mapping["endpoints"] {
            result.endpoints = self.endpoints(endpoints)
        }
        if let interfaces = mapping["interfaces"] {
            result.interfaces = self.rules(interfaces)
        }
        if let sysctl = mapping["sysctl"] {
            result.sysctls = self.sysctls(sysctl)
        }
        if let heal = mapping["heal"] {
            result.heal = self.heal(heal)
        }
        return result
    }

    /// `heal:`: false (off), true or nothing (the defaults), or a mapping of settings.
    mutating func heal(_ node: Node) -> HealingSettings {
        if case let .scalar(scalar) = node {
            switch scalar.string.lowercased() {
            case "false", "off", "no": return .off
            case "true", "on", "yes", "", "null", "~": return .standard
            default:
                problem(node, "heal: expected false, true or a mapping of \(Self.list(DesiredState.healKeys))")
                return .standard
            }
        }
        var settings = HealingSettings.standard
        guard let pairs = self.mapping(node, keys: DesiredState.healKeys, what: "heal") else { return settings }
        func seconds(_ key: String, _ range: ClosedRange<Double>) -> Double? {
            guard let value = pairs[key] else { return nil }
            guard let text = scalar(value), let number = Double(text), number.isFinite, range.contains(number) else {
                problem(value, "bad \(key) '\(scalar(value) ?? "…")': a number of seconds from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound))")
                return nil
            }
            return number
        }
        if let value = seconds("probe_interval", HealingSettings.probeIntervalRange) { settings.probeInterval = value }
        if let value = seconds("dead_after", HealingSettings.deadAfterRange) { settings.deadAfter = value }
        if let value = seconds("grace", HealingSettings.graceRange) { settings.grace = value }
        if let value = seconds("hold", HealingSettings.holdRange) { settings.hold = value }
        if let value = pairs["repair_backoff"] {
            let range = HealingSettings.repairBackoffRange
            let texts: [(String, Node)]
            if case let .sequence(sequence) = value { texts = sequence.map { (scalar($0) ?? "", $0) } } else { texts = [(scalar(value) ?? "", value)] }
            let numbers = texts.compactMap { text, _ in Double(text) }.filter { $0.isFinite && range.contains($0) }
            if numbers.count != texts.count || !(1...2).contains(numbers.count) {
                problem(value, "bad repair_backoff: one or two numbers of seconds from \(Self.number(range.lowerBound)) to \(Self.number(range.upperBound)) (the first wait, the most), e.g. [1, 60]")
            } else {
                settings.repairBackoff = (numbers[0], numbers.count == 2 ? numbers[1] : max(numbers[0], settings.repairBackoff.most))
            }
        }
        if let value = pairs["probes"] { settings.probes = probeRules(value) }
        for conflict in settings.conflicts {
            switch conflict {
            case .deadBeforeTwoProbes:
                problem(pairs["dead_after"] ?? node, "dead_after (\(Self.number(settings.deadAfter)) s) must be at least two probe intervals (\(Self.number(2 * settings.probeInterval)) s): one lost probe would kill a path")
            case .backoffShrinks:
                problem(pairs["repair_backoff"] ?? node, "repair_backoff: the most (\(Self.number(settings.repairBackoff.most)) s) is below the first wait (\(Self.number(settings.repairBackoff.first)) s)")
            }
        }
        return settings
    }

    /// `heal: probes:`: a list of `{name: GLOB or [GLOB, …], target: ADDRESS | ADDRESS:PORT | [V6]:PORT | none}`.
    mutating func probeRules(_ node: Node) -> [ProbeRule] {
        guard case let .sequence(sequence) = node else {
            problem(node, "probes must be a list (one '- {name: …, target: …}' rule per entry)")
            return []
        }
        var rules: [ProbeRule] = []
        for item in sequence {
            guard let mapping = self.mapping(item, keys: DesiredState.probeKeys, what: "a probe rule") else { continue }
            var names: [String] = []
            switch mapping["name"] {
            case let .sequence(list)?: names = list.compactMap { scalar($0) }
            case let value?: names = scalar(value).map { [$0] } ?? []
            case nil: problem(item, "a probe rule needs 'name' (an interface name or glob, or a list of them)")
            }
            if let bad = names.first(where: { $0.isEmpty || $0.utf8.count > 64 || $0.contains("/") || $0.contains(where: \.isWhitespace) }) {
                problem(mapping["name"], "bad interface name or glob '\(bad)': e.g. eth0, 'eth*', 'wlan[0-9]'")
            }
            guard let value = mapping["target"] else {
                problem(item, "a probe rule needs 'target': an address (ICMP echo), ADDRESS:PORT or [IPV6]:PORT (a TCP connection), or none")
                continue
            }
            guard let target = Self.probeTarget(scalar(value) ?? "") else {
                problem(value, "bad target '\(scalar(value) ?? "…")': an address (ICMP echo), ADDRESS:PORT or [IPV6]:PORT (a TCP connection), or none")
                continue
            }
            rules.append(ProbeRule(names: names, target: target, position: position(item)))
        }
        return rules
    }

    /// "192.0.2.1", "192.0.2.1:443", "[2001:db8::1]:443", "2001:db8::1", "none".
    static func probeTarget(_ text: String) -> ProbeTarget? {
        if text == "none" { return ProbeTarget.none }
        if let address = IPAddress(text) { return .echo(address) }
        var host = Substring(text), port = Substring("")
        if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") {
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
        } else if let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            return nil
        }
        guard let address = IPAddress(String(host)), let number = UInt16(port), number != 0,
              port.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return .connect(address, port: number)
    }

    /// 0.2 as "0.2", 60 as "60".
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// `sysctl:`: `net.mptcp.*` keys (with or without that prefix) and their values. The
    /// keys are checked against the running kernel's when the namespace is read.
    mutating func sysctls(_ node: Node) -> [DesiredState.Setting] {
        guard let pairs = self.mapping(node, keys: nil, what: "sysctl") else { return [] }
        var settings: [DesiredState.Setting] = []
        for (key, value) in pairs {
            var name = key.string ?? ""
            if name.hasPrefix("net.mptcp.") { name.removeFirst("net.mptcp.".count) }
            guard !name.isEmpty, !name.contains("/"), !name.contains("."), !name.hasPrefix(".") else {
                problem(key, "bad sysctl '\(key.string ?? "")': a key of net.mptcp, e.g. enabled or path_manager")
                continue
            }
            guard let text = scalar(value), !text.isEmpty else {
                problem(value, "sysctl '\(name)' needs a value (a number or a word)")
                continue
            }
            if let first = settings.first(where: { $0.key == name }) {
                problem(key, "sysctl '\(name)' given twice: already at \(first.position)")
                continue
            }
            // YAML's booleans are the kernel's 1 and 0.
            let normalized = ["true": "1", "false": "0"][text.lowercased()] ?? text
            settings.append(DesiredState.Setting(key: name, value: normalized, position: position(key)))
        }
        return settings
    }

    /// `interfaces:`: a list of rules, each a name (glob or list of globs), flags and
    /// optional families.
    mutating func rules(_ node: Node) -> [InterfaceRule] {
        if case let .scalar(scalar) = node, scalar.string.isEmpty || scalar.string == "null" { return [] }
        guard case let .sequence(sequence) = node else {
            problem(node, "interfaces must be a list (one '- name: …' rule per entry)")
            return []
        }
        return sequence.compactMap { rule($0) }
    }

    mutating func rule(_ node: Node) -> InterfaceRule? {
        guard let mapping = self.mapping(node, keys: DesiredState.ruleKeys, what: "an interface rule") else { return nil }
        var rule = InterfaceRule(names: [], flags: [], position: position(node))
        if let value = mapping["name"] {
            var globs: [(String, Node)] = []
            switch value {
            case let .sequence(sequence):
                for item in sequence { globs.append((scalar(item) ?? "", item)) }
                if sequence.isEmpty { problem(value, "name: an empty list matches no interface") }
            default:
                globs.append((scalar(value) ?? "", value))
            }
            for (glob, item) in globs {
                if glob.isEmpty || glob.utf8.count > 64 || glob.contains("/") || glob.contains(where: \.isWhitespace) {
                    problem(item, "bad interface name or glob '\(glob)': e.g. eth0, 'eth*', 'wlan[0-9]'")
                } else {
                    rule.names.append(glob)
                }
            }
        } else {
            problem(node, "an interface rule needs 'name' (an interface name or glob, or a list of them)")
        }
        if let value = mapping["flags"] {
            rule.flags = flags(value)
            if rule.flags.contains(.signal), rule.flags.contains(.fullmesh) {
                problem(value, "'signal' cannot go with 'fullmesh': an endpoint is not both signal and fullmesh")
            }
        }
        if let value = mapping["families"] {
            var families: InterfaceRule.Families = []
            var words: [(String, Node)] = []
            if case let .sequence(sequence) = value {
                for item in sequence { words.append((scalar(item) ?? "", item)) }
            } else {
                for word in (scalar(value) ?? "").split(whereSeparator: { $0 == "," || $0 == " " }) { words.append((String(word), value)) }
            }
            for (word, item) in words {
                switch word {
                case "ipv4": families.insert(.ipv4)
                case "ipv6": families.insert(.ipv6)
                default: problem(item, "unknown family '\(word)': expected ipv4 or ipv6")
                }
            }
            if words.isEmpty { problem(value, "families: expected ipv4, ipv6 or both") }
            if !families.isEmpty { rule.families = families }
        }
        return mapping["name"] == nil ? nil : rule
    }

    mutating func endpoints(_ node: Node) -> [DesiredState.Entry] {
        if case let .scalar(scalar) = node, scalar.string.isEmpty || scalar.string == "null" { return [] }
        guard case let .sequence(sequence) = node else {
            problem(node, "endpoints must be a list (one '- address: …' entry per endpoint)")
            return []
        }
        var specs: [DesiredState.Entry] = []
        for item in sequence {
            if let spec = endpoint(item) { specs.append(spec) }
        }
        crossCheck(specs, nodes: Array(sequence))
        return specs
    }

    /// Duplicate addresses (with the same port) and duplicate ids. Addresses compare as
    /// the kernel compares them, which refuses ::ffff:10.0.3.2 beside 10.0.3.2.
    mutating func crossCheck(_ entries: [DesiredState.Entry], nodes: [Node]) {
        for (index, entry) in entries.enumerated() {
            let earlier = entries[..<index], spec = entry.spec
            if let first = earlier.first(where: { $0.spec.address.isKernelEqual(to: spec.address) && $0.spec.port == spec.port }) {
                let which = spec.port.map { "\(spec.address) port \($0)" } ?? "\(spec.address)"
                let same = first.spec.address == spec.address ? "" : " (the kernel holds it and \(first.spec.address) as one address)"
                problems.append("\(entry.position): duplicate address \(which)\(same): already at \(first.position)")
            }
            if let id = spec.id, let first = earlier.first(where: { $0.spec.id == id }) {
                problems.append("\(entry.position): duplicate id \(id): already at \(first.position)")
            }
        }
    }

    mutating func endpoint(_ node: Node) -> DesiredState.Entry? {
        guard let mapping = self.mapping(node, keys: DesiredState.endpointKeys, what: "an endpoint") else { return nil }
        var address: IPAddress?
        if let value = mapping["address"] {
            address = scalar(value).flatMap(IPAddress.init)
            if address == nil { problem(value, "bad address '\(scalar(value) ?? "")': expected an IPv4 or IPv6 address") }
        } else {
            problem(node, "an endpoint needs 'address'")
        }
        var spec = EndpointSpec(address: address ?? .v4([0, 0, 0, 0]))
        if let value = mapping["id"] {
            // id 0 lets the kernel pick, as no id does (and as `endpoint add … id 0`).
            if let id = number(value, max: 255, name: "id", rule: "an id is a number from 0 to 255"), id != 0 {
                spec.id = UInt8(id)
            }
        }
        if let value = mapping["port"] {
            if let port = number(value, max: 65535, name: "port", rule: "a port is a number from 1 to 65535") {
                if port == 0 { problem(value, "bad port '0': a port is a number from 1 to 65535") } else { spec.port = UInt16(port) }
            }
        }
        if let value = mapping["dev"] {
            let name = scalar(value) ?? ""
            if !EndpointSpec.isValidDeviceName(name) {
                problem(value, "bad interface name '\(name)'")
            } else {
                spec.device = name
            }
        }
        if let value = mapping["ifindex"] {
            if mapping["dev"] != nil {
                problem(value, "'ifindex' and 'dev' cannot go together: give one")
            } else if let index = number(value, max: UInt64(Int32.max), name: "ifindex",
                                         rule: "an ifindex is a number from 1 to \(Int32.max)") {
                if index == 0 { problem(value, "bad ifindex '0': an ifindex is a number from 1 to \(Int32.max)") }
                else { spec.interfaceIndex = Int32(index) }
            }
        }
        if let value = mapping["flags"] { spec.flags = flags(value) }
        // The spec's own rules; the others were refused word by word above.
        for violation in spec.violations {
            switch violation {
            case .signalWithFullmesh:
                problem(mapping["flags"], "'signal' cannot go with 'fullmesh': an endpoint is not both signal and fullmesh")
            case .portWithoutSignal:
                problem(mapping["port"], "'port' needs the 'signal' flag and not 'subflow'")
            case .zeroID, .zeroPort, .implicitRequested, .badDeviceName:
                continue
            }
        }
        // Kept even with problems, so duplicates are reported too.
        return address == nil ? nil : DesiredState.Entry(spec, position: position(node))
    }

    /// A list of flag words, or one scalar of words separated by commas or blanks.
    mutating func flags(_ node: Node) -> EndpointFlags {
        var words: [(String, Node)] = []
        switch node {
        case let .sequence(sequence):
            for item in sequence {
                guard let word = scalar(item) else { problem(item, "a flag is a word"); continue }
                words.append((word, item))
            }
        case let .scalar(scalar):
            for word in scalar.string.split(whereSeparator: { $0 == "," || $0 == " " }) { words.append((String(word), node)) }
        default:
            problem(node, "flags must be a list of words, e.g. [subflow, backup]")
        }
        var flags: EndpointFlags = []
        for (word, node) in words {
            guard let flag = EndpointFlags.named(word) else {
                problem(node, "unknown flag '\(word)': expected signal, subflow, address (or laminar), backup or fullmesh")
                continue
            }
            if flag == .implicit {
                problem(node, "'implicit' cannot be requested: the kernel makes implicit endpoints itself")
                continue
            }
            flags.insert(flag)
        }
        return flags
    }

    func scalar(_ node: Node) -> String? {
        guard case let .scalar(scalar) = node else { return nil }
        return scalar.string
    }

    /// A decimal number up to `max`, or nil with a problem naming the key.
    mutating func number(_ node: Node, max: UInt64, name: String, rule: String) -> UInt64? {
        guard let text = scalar(node), !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              let value = UInt64(text), value <= max else {
            problem(node, "bad \(name) '\(scalar(node) ?? "…")': \(rule)")
            return nil
        }
        return value
    }

    func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return "\(file):\(mark.line):\(mark.column): not valid YAML or JSON: \(problem)"
        case let .duplicatedKeysInMapping(duplicates, context):
            return "\(file):\(context.mark.line):\(context.mark.column): duplicate key(s) \(duplicates.joined(separator: ", "))"
        default:
            return "\(file): not valid YAML or JSON: \(error)"
        }
    }

    /// A name `ip netns` would not take, worded as the command line words `-n NAME`.
    static func badName(_ problem: NetworkNamespace.Problem) -> String {
        switch problem {
        case let .nameTooLong(name): return "bad namespace name '\(name.prefix(32))…': longer than 255 bytes"
        case let .badName(name): return "bad namespace name '\(name)': a name is not empty, not '.' or '..', and has no '/'"
        default: return "bad namespace name"
        }
    }

    static func list(_ words: [String]) -> String {
        words.count == 1 ? words[0] : words.dropLast().joined(separator: ", ") + " or " + words.last!
    }
}
