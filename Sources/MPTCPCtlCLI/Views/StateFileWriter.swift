import MPTCPKit

/// Writes state files: the current state in the format `apply` reads, so that
/// exporting and applying the result changes nothing.
enum StateFileWriter {
    /// One namespace: its limits and its endpoints, without the kernel's implicit ones
    /// (apply never creates nor deletes those).
    static func namespace(endpoints: [Endpoint], limits: Limits, deviceName: (Int32) -> String?) -> JSON {
        namespace(specs: endpoints.map(\.spec), limits: limits, deviceName: deviceName)
    }

    /// The same for endpoints as asked for: one the kernel will number has no `id`.
    static func namespace(specs: [EndpointSpec], limits: Limits, deviceName: (Int32) -> String?) -> JSON {
        let listed = specs.filter { !$0.flags.contains(.implicit) }.map { spec -> JSON in
            var members: [(String, JSON)] = [("address", .string(spec.address.description))]
            if let id = spec.id { members.append(("id", .int(Int64(id)))) }
            if let port = spec.port { members.append(("port", .int(Int64(port)))) }
            if let name = spec.device ?? spec.interfaceIndex.flatMap(deviceName) {
                members.append(("dev", .string(name)))
            } else if let index = spec.interfaceIndex {
                // An index whose interface has gone (the kernel keeps it) is written as
                // `ifindex`, so applying the export leaves the endpoint as it is.
                members.append(("ifindex", .int(Int64(index))))
            }
            members.append(("flags", .array(spec.flags.words.map(JSON.string))))
            return .object(members)
        }
        return .object([("limits", LimitsView.json(limits)), ("endpoints", .array(listed))])
    }

    /// Reads one namespace's state from its path manager; with `plan`, the state it
    /// would leave (`ExpectedState`: what `apply --dry-run -j` shows as `after`).
    /// With `allSysctls`, every settable `net.mptcp.*` key; otherwise only those whose value
    /// differs from a new namespace's on the running kernel (none: no `sysctl:` at all),
    /// and every settable one when no new namespace can be made to learn them.
    static func namespace(of manager: PathManager, allSysctls: Bool = false, after plan: Plan = Plan(steps: [])) throws(PathManagerError) -> JSON {
        var current = try manager.sysctls()
        let expected = ExpectedState(after: plan, endpoints: try manager.endpoints(), limits: try manager.limits(),
                                     sysctls: Dictionary(current.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
        for index in current.indices { current[index].value = expected.sysctls[current[index].key] ?? current[index].value }
        let state = namespace(specs: expected.endpoints, limits: expected.limits, deviceName: { manager.interfaceName(index: $0) })
        let settings = sysctls(current, defaults: allSysctls ? nil : manager.defaultSysctls())
        guard !settings.isEmpty, case let .object(members) = state else { return state }
        return .object(members + [("sysctl", .object(settings.map { ($0.key, .string($0.value)) }))])
    }

    /// The settings an export writes: settable ones that differ from `defaults` (all of
    /// them when nil), path_manager standing for pm_type (one setting under two names:
    /// apply takes one).
    static func sysctls(_ all: [SysctlSetting], defaults: [String: String]?) -> [SysctlSetting] {
        let hasPathManager = all.contains { $0.key == "path_manager" }
        return all.filter { setting in
            setting.writable && !(hasPathManager && setting.key == "pm_type")
                && (defaults.map { $0[setting.key].map { $0 != setting.value } ?? false } ?? true)
        }
    }

    /// Several namespaces by name, under `namespaces:`.
    static func document(_ namespaces: [(name: String, state: JSON)]) -> JSON {
        .object([("namespaces", .object(namespaces.map { ($0.name, $0.state) }))])
    }

    /// The value as block YAML: mappings one key a line, lists of mappings as `- ` items,
    /// lists of scalars inline (`[subflow, backup]`).
    static func yaml(_ value: JSON) -> String {
        var lines: [String] = []
        block(value, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func block(_ value: JSON, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case let .object(members):
            for (key, member) in members {
                if let text = inline(member) {
                    lines.append(pad + scalar(key) + ": " + text)
                } else {
                    lines.append(pad + scalar(key) + ":")
                    block(member, indent: indent + 2, into: &lines)
                }
            }
        case let .array(items):
            for item in items {
                if let text = inline(item) { lines.append(pad + "- " + text); continue }
                var nested: [String] = []
                block(item, indent: indent + 2, into: &nested)
                if !nested.isEmpty { nested[0] = pad + "- " + nested[0].dropFirst(indent + 2) }
                lines += nested
            }
        default:
            lines.append(pad + (inline(value) ?? ""))
        }
    }

    /// The one-line form of scalars, of lists of scalars and of empty collections.
    private static func inline(_ value: JSON) -> String? {
        switch value {
        case .null: return "null"
        case let .bool(flag): return flag ? "true" : "false"
        case let .int(number): return String(number)
        case let .seconds(value): return JSON.seconds(value)
        case let .string(text): return scalar(text)
        case let .array(items):
            let texts = items.compactMap { item -> String? in
                if case .array = item { return nil }
                if case .object = item { return nil }
                return inline(item)
            }
            return texts.count == items.count ? "[" + texts.joined(separator: ", ") + "]" : nil
        case let .object(members): return members.isEmpty ? "{}" : nil
        }
    }

    /// A string plain when YAML reads it back as the same string, double-quoted otherwise.
    static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic
                || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-") }
            && !text.hasPrefix("-") && !text.hasPrefix(".")
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
            && Double(text) == nil && Int(text) == nil
        if plain { return text }
        var out = ""
        JSON.quote(text, into: &out)
        return out
    }
}
