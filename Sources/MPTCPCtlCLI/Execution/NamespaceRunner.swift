import MPTCPKit

/// `counters`, `check` and `doctor`: each reads one namespace, or every namespace in
/// one process (entering each in turn, never forking per namespace).
struct NamespaceRunner {
    typealias Row = (netns: String?, result: Result<NamespaceSnapshot, CLIError>)

    let context: Context
    let format: OutputFormat
    /// `--all-netns`: the current namespace, then every named one under /run/netns.
    let all: Bool
    /// With one namespace: its name, nil for the current one.
    let netns: String?

    init(context: Context, line: LineOptions) {
        self.context = context
        format = line.format
        all = line.allNetns
        netns = line.netns
    }

    func run(_ command: Command) throws(CLIError) {
        let (output, failure): (String?, CLIError?)
        var file: String?
        switch command {
        case let .check(expectations): (output, failure) = check(expectations)
        case .doctor: (output, failure) = doctor()
        case let .counters(options):
            if case let .metrics(metrics) = format.style {
                (output, failure) = self.metrics(metrics)
            } else {
                (output, failure) = counters()
            }
            file = options.output
        default: (output, failure) = (nil, nil)
        }
        if let output {
            // Text and JSON end without a newline (the console adds it); the exposition
            // carries its own, after `# EOF`.
            let text = output.hasSuffix("\n") ? output : output + "\n"
            if let file { try context.writeFile(file, text) } else { context.console.write(text, .output) }
        }
        if let failure { throw failure }
    }

    /// The namespaces asked for: the current one, then every named one; or the one given.
    var targets: [String?] { all ? [nil] + context.namespaces().map { Optional($0) } : [netns] }

    func read(interfaces: Bool) -> [Row] {
        context.snapshots(targets, interfaces, all).map { row in
            (row.netns, row.result.mapError { CLIError($0, operation: "reading namespace \(CountersView.label(row.netns))") })
        }
    }

    /// The row with the namespace's connections read too (for the live expectations).
    func withConnections(_ row: Row) -> Row {
        guard case var .success(snapshot) = row.result else { return row }
        do throws(PathManagerError) {
            snapshot.connections = try context.connections(row.netns, false)
            return (row.netns, .success(snapshot))
        } catch {
            return (row.netns, .failure(CLIError(error, operation: "reading the connections of \(CountersView.label(row.netns))")))
        }
    }

    /// For `--all-netns`: the namespaces that could not be read, as one failure.
    func unreadable(_ rows: [Row]) -> CLIError? {
        let failed = rows.compactMap { row -> String? in
            guard case let .failure(error) = row.result else { return nil }
            return "\(CountersView.label(row.netns)): \(error.message)"
        }
        guard !failed.isEmpty else { return nil }
        if failed.count == 1, rows.count == 1, case let .failure(error) = rows[0].result { return error }
        return CLIError(.environment, "\(failed.count) namespace(s) could not be read: " + failed.joined(separator: "; "))
    }

    func render(_ values: [JSON]) -> String {
        let value = all ? JSON.array(values) : values[0]
        return value.rendered(pretty: format.pretty)
    }

    /// `counters --format openmetrics|prometheus`: every namespace asked for, read with its
    /// connections and MIB. A namespace that cannot be read is `mptcp_namespace_up 0`
    /// (and the exit code says so), so a scrape still gets the others.
    func metrics(_ dialect: OutputFormat.Metrics) -> (String?, CLIError?) {
        let rows: [MetricsView.Row] = context.metrics(targets, all).map { row in
            (row.netns, row.result.mapError { CLIError($0, operation: "reading namespace \(CountersView.label(row.netns))") })
        }
        if !all, case let .failure(error) = rows[0].result { return (nil, error) }
        let failures: [Row] = rows.map { row in (row.netns, row.result.map(\.snapshot)) }
        return (MetricsView(dialect: dialect).text(rows), unreadable(failures))
    }

    func counters() -> (String?, CLIError?) {
        let rows = read(interfaces: false)
        let view = CountersView()
        if !all, case let .failure(error) = rows[0].result { return (nil, error) }
        let output: String
        if format.json {
            output = render(rows.map { view.json(netns: $0.netns, $0.result) })
        } else if all {
            output = view.table(rows)
        } else if case let .success(snapshot) = rows[0].result {
            output = view.text(snapshot)
        } else {
            output = ""
        }
        return (output, unreadable(rows))
    }

    func check(_ expectations: [Expectation]) -> (String?, CLIError?) {
        var rows = read(interfaces: false)
        if expectations.contains(where: \.isLive) { rows = rows.map(withConnections) }
        var owners = SocketOwners()
        if expectations.contains(where: \.needsProcesses) {
            // One scan of /proc for every namespace: socket inodes are the kernel's.
            let read = rows.compactMap { row in (try? row.result.get()).map { (row.netns, $0.connections ?? []) } }
            owners = context.socketOwners(ConnectionsRunner.inodes(of: read))
        }
        var lines: [String] = [], results: [JSON] = [], failedCount = 0
        for row in rows {
            guard case let .success(snapshot) = row.result else { continue }
            for expectation in expectations {
                let (holds, found) = expectation.evaluate(snapshot, owners: owners)
                if !holds {
                    failedCount += 1
                    let place = all ? " in \(CountersView.label(row.netns))" : ""
                    lines.append("check failed\(place): \(expectation.text): found \(found)")
                }
                results.append(.object([("netns", row.netns.map(JSON.string) ?? .null), ("expectation", .string(expectation.text)),
                                        ("holds", .bool(holds)), ("found", .string(found))]))
            }
        }
        let output = format.json ? JSON.array(results).rendered(pretty: format.pretty) : (lines.isEmpty ? nil : lines.joined(separator: "\n"))
        if let failure = unreadable(rows) { return (output, failure) }
        let total = expectations.count * rows.count
        let failure = failedCount == 0 ? nil
            : CLIError(.problemFound, "check: \(failedCount) of \(total) expectation(s) do not hold")
        return (output, failure)
    }

    func doctor() -> (String?, CLIError?) {
        let rows = read(interfaces: true).map { row -> Row in
            guard case var .success(snapshot) = row.result else { return row }
            // The connections and listeners, for the live findings; unreadable, the others
            // still stand, and the user is told which were left out.
            do throws(PathManagerError) {
                snapshot.connections = try context.connections(row.netns, true)
            } catch {
                let reading = CLIError(error, operation: "doctor: reading the connections of namespace \(CountersView.label(row.netns))")
                context.console.warn("\(reading.message); the findings on live connections are left out")
            }
            return (row.netns, .success(snapshot))
        }
        if !all, case let .failure(error) = rows[0].result { return (nil, error) }
        var texts: [String] = [], values: [JSON] = [], errors = 0
        for row in rows {
            guard case let .success(snapshot) = row.result else {
                texts.append("namespace \(CountersView.label(row.netns)): cannot be read")
                values.append(.object([("netns", row.netns.map(JSON.string) ?? .null), ("findings", .null)]))
                continue
            }
            let findings = Doctor.diagnose(snapshot)
            let view = DoctorView(netns: row.netns)
            errors += findings.filter { $0.severity == .error }.count
            texts.append(view.text(findings))
            values.append(view.json(findings))
        }
        let output = format.json ? render(values) : texts.joined(separator: "\n\n")
        if let failure = unreadable(rows) { return (output, failure) }
        return (output, errors == 0 ? nil
            : CLIError(.problemFound, "doctor: \(errors) error(s) found; each says what to run to fix it"))
    }
}
