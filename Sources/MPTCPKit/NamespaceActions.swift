import Glibc

/// `counters`, `check` and `doctor`: each reads one namespace, or every namespace in
/// one process (entering each in turn, never forking per namespace).
public struct NamespaceActions {
    public enum Scope: Sendable, Equatable {
        /// One namespace by name; nil for the current one.
        case one(String?)
        /// The current namespace, then every named one under /run/netns.
        case all
    }

    /// What to print, and the failure to report after it (nil: success).
    public struct Report {
        public var output: String?
        public var failure: MPTCPError?
    }

    typealias Row = (netns: String?, result: Result<NamespaceSnapshot, MPTCPError>)

    let format: OutputFormat
    let scope: Scope

    public init(format: OutputFormat, scope: Scope) {
        self.format = format
        self.scope = scope
    }

    func read(interfaces: Bool) -> [Row] {
        let targets: [String?]
        switch scope {
        case let .one(name): targets = [name]
        case .all: targets = [nil] + NamespaceSnapshot.namedNamespaces().map { Optional($0) }
        }
        return targets.compactMap { netns in
            let result = Result { () throws(MPTCPError) in try NamespaceSnapshot.read(netns: netns, interfaces: interfaces) }
            // A namespace deleted since the listing is simply no longer there.
            if scope == .all, case .failure = result, let netns,
               access("\(NetworkNamespace.directory)/\(netns)", F_OK) != 0 { return nil }
            return (netns, result)
        }
    }

    /// For `--all-netns`: the namespaces that could not be read, as one failure.
    func unreadable(_ rows: [Row]) -> MPTCPError? {
        let failed = rows.compactMap { row -> String? in
            guard case let .failure(error) = row.result else { return nil }
            return "\(CountersView.label(row.netns)): \(error.message)"
        }
        guard !failed.isEmpty else { return nil }
        if failed.count == 1, rows.count == 1, case let .failure(error) = rows[0].result { return error }
        return MPTCPError(.environment, "\(failed.count) namespace(s) could not be read: " + failed.joined(separator: "; "))
    }

    func render(_ values: [JSON]) -> String {
        let value = scope == .all ? JSON.array(values) : values[0]
        return value.rendered(pretty: format.pretty)
    }

    public func counters() -> Report {
        let rows = read(interfaces: false)
        let view = CountersView()
        if scope != .all, case let .failure(error) = rows[0].result { return Report(output: nil, failure: error) }
        let output: String
        if format.json {
            output = render(rows.map { view.json(netns: $0.netns, $0.result) })
        } else if scope == .all {
            output = view.table(rows)
        } else {
            output = view.text(try! rows[0].result.get())
        }
        return Report(output: output, failure: unreadable(rows))
    }

    public func check(_ expectations: [Expectation]) -> Report {
        let rows = read(interfaces: false)
        var lines: [String] = [], results: [JSON] = [], failedCount = 0
        for row in rows {
            guard case let .success(snapshot) = row.result else { continue }
            for expectation in expectations {
                let (holds, found) = expectation.evaluate(snapshot)
                if !holds {
                    failedCount += 1
                    let place = scope == .all ? " in \(CountersView.label(row.netns))" : ""
                    lines.append("check failed\(place): \(expectation.text): found \(found)")
                }
                results.append(.object([("netns", row.netns.map(JSON.string) ?? .null), ("expectation", .string(expectation.text)),
                                        ("holds", .bool(holds)), ("found", .string(found))]))
            }
        }
        let output = format.json ? JSON.array(results).rendered(pretty: format.pretty) : (lines.isEmpty ? nil : lines.joined(separator: "\n"))
        if let failure = unreadable(rows) { return Report(output: output, failure: failure) }
        let total = expectations.count * rows.count
        let failure = failedCount == 0 ? nil
            : MPTCPError(.problemFound, "check: \(failedCount) of \(total) expectation(s) do not hold")
        return Report(output: output, failure: failure)
    }

    public func doctor() -> Report {
        let rows = read(interfaces: true)
        if scope != .all, case let .failure(error) = rows[0].result { return Report(output: nil, failure: error) }
        var texts: [String] = [], values: [JSON] = [], errors = 0
        for row in rows {
            guard case let .success(snapshot) = row.result else {
                texts.append("namespace \(CountersView.label(row.netns)): cannot be read")
                values.append(.object([("netns", row.netns.map(JSON.string) ?? .null), ("findings", .null)]))
                continue
            }
            let findings = Doctor.diagnose(snapshot)
            errors += findings.filter { $0.severity == .error }.count
            texts.append(Doctor.text(netns: row.netns, findings))
            values.append(Doctor.json(netns: row.netns, findings))
        }
        let output = format.json ? render(values) : texts.joined(separator: "\n\n")
        if let failure = unreadable(rows) { return Report(output: output, failure: failure) }
        return Report(output: output, failure: errors == 0 ? nil
            : MPTCPError(.problemFound, "doctor: \(errors) error(s) found; each says what to run to fix it"))
    }
}
