import Foundation
import Testing

/// `counters --format openmetrics`: the exposition read back with prometheus_client's own
/// OpenMetrics parser (Integrations/prometheus/parse.sh), every value checked against
/// the kernel: the endpoint dump, `ip mptcp limits`, MPTCP_INFO's agreement, `ss` for
/// connections and subflows, and /proc/net/netstat for the MIB.
struct MetricsKernelTests {
    static let repository = Repository.root

    /// One metric family as the parser read it.
    struct Family {
        var type: String
        var help: String
        var samples: [(name: String, labels: [String: String], value: Double)]
    }

    /// Runs the parser on `file`; fails the test with its verdict when it refuses.
    func parse(_ file: String, prometheus: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Family] {
        let result = Shell.run("bash", [Self.repository.appendingPathComponent("Integrations/prometheus/parse.sh").path]
                               + (prometheus ? ["--prometheus"] : []) + [file])
        try #require(result.status == 0, "the OpenMetrics parser refused \(file): \(result.stderr)", sourceLocation: sourceLocation)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        var families: [String: Family] = [:]
        for family in try #require(json["families"] as? [[String: Any]]) {
            let samples = (family["samples"] as? [[String: Any]] ?? []).map { sample in
                (name: sample["name"] as? String ?? "", labels: sample["labels"] as? [String: String] ?? [:],
                 value: (sample["value"] as? NSNumber)?.doubleValue ?? .nan)
            }
            families[family["name"] as? String ?? ""] = Family(type: family["type"] as? String ?? "", help: family["help"] as? String ?? "",
                                                               samples: samples)
        }
        return families
    }

    /// The value of `family` for namespace `netns` (and `labels`), nil when absent.
    func value(_ families: [String: Family], _ family: String, _ netns: String, _ labels: [String: String] = [:]) -> Double? {
        families[family]?.samples.first { $0.labels == ["netns": netns].merging(labels) { a, _ in a } }?.value
    }

    /// The MPTcpExt counters of a namespace, straight from /proc/net/netstat inside it.
    func mib(_ ns: TestNamespace) -> [String: Double] {
        let lines = ns.exec(["cat", "/proc/net/netstat"]).stdout.split(separator: "\n").filter { $0.hasPrefix("MPTcpExt:") }
        guard lines.count == 2 else { return [:] }
        let names = lines[0].split(separator: " ").dropFirst(), values = lines[1].split(separator: " ").dropFirst()
        return Dictionary(zip(names.map(String.init), values.compactMap { Double($0) })) { a, _ in a }
    }

    /// Connections and subflows as `ss` sees them: non-listening MPTCP sockets, and
    /// non-listening TCP sockets with the "mptcp" upper-layer protocol.
    func ss(_ ns: TestNamespace) -> (connections: Int, subflows: Int) {
        let connections = ns.exec(["ss", "-HM"]).stdout.split(separator: "\n").count
        let subflows = ns.exec(["ss", "-HtiO"]).stdout.split(separator: "\n").filter { $0.contains("tcp-ulp-mptcp") }.count
        return (connections, subflows)
    }

    @Test func theExpositionParsesAndEveryValueMatchesTheKernel() throws {
        try Topology.with(links: ["a", "b"]) { t in
            let (client, server) = (t.client, t.server)
            client.expectSuccess("limits set subflows 2")
            server.expectSuccess("limits set subflows 2")
            client.expectSuccess("endpoint add \(Topology.client("b")) subflow")
            // Without address endpoints (before Linux 6.18): refused, and a signal endpoint
            // instead (the server accepts no announced address: no subflow from it).
            let address = client.expectEndpointAdded("10.0.3.1 address backup")
            if !address { client.expectSuccess("endpoint add 10.0.3.1 signal backup") }
            let before = mib(client)
            let syntx = try #require(before["MPCapableSYNTX"], "no MPTcpExt in /proc/net/netstat")

            // One connection C(a)-S(a) held open, with its join from C(b): 2 subflows.
            let listener = try t.startServer()
            let peer = try Background(["ip", "netns", "exec", client.name, Topology.peer, "client", Topology.server("a"), "8080",
                                       "--connections", "1", "--bytes", "10000", "--hold", String(Int(60_000 * Background.patience)), "--stdin"],
                                      input: true)
            waitUntil(seconds: 10, every: 0.02) { ss(client).subflows >= 2 }

            let stdout = Shell.run(Shell.mptcpctl, ["--all-netns", "counters", "--format", "openmetrics"])
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mptcpctl-metrics-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("mptcp.prom").path
            let written = Shell.run(Shell.mptcpctl, ["-n", client.name, "counters", "--format", "openmetrics", "--output", file])
            let prometheus = client.mptcpctl("counters --format prometheus")
            let (clientSS, serverSS) = (ss(client), ss(server))
            let after = mib(client)
            peer.closeInput()
            _ = peer.waitForExit(seconds: 10)
            _ = listener.waitForExit(seconds: 5)

            #expect(stdout.status == 0 && stdout.stderr == "", "\(stdout.stderr)")
            #expect(stdout.stdout.hasSuffix("\n# EOF\n"))
            #expect(written == CommandResult(status: 0, stdout: "", stderr: ""), "\(written)")
            // The file: mode 0644, and no temporary file left beside it.
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o644)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["mptcp.prom"])

            let stdoutFile = directory.appendingPathComponent("stdout.txt").path
            try stdout.stdout.write(toFile: stdoutFile, atomically: false, encoding: .utf8)
            // MPTCPCTL_METRICS_KEEP=DIR keeps the client's exposition (Docs/metrics.md's excerpt).
            if let keep = ProcessInfo.processInfo.environment["MPTCPCTL_METRICS_KEEP"] {
                try? (try String(contentsOfFile: file, encoding: .utf8)).replacingOccurrences(of: client.name, with: "client")
                    .write(toFile: keep + "/client.prom", atomically: true, encoding: .utf8)
            }
            let all = try parse(stdoutFile), one = try parse(file)
            #expect(prometheus.status == 0 && !prometheus.stdout.contains("# EOF"), "\(prometheus)")
            #expect(prometheus.stdout.contains("\n# TYPE mptcp_mib_mpcapablesyntx_total counter\n"))
            let prometheusFile = directory.appendingPathComponent("prometheus.txt").path
            try prometheus.stdout.write(toFile: prometheusFile, atomically: false, encoding: .utf8)
            let inPrometheusFormat = try parse(prometheusFile, prometheus: true)

            #expect(value(all, "mptcp_namespace_up", "") == 1)
            for families in [all, one, inPrometheusFormat] {
                let c = client.name
                #expect(value(families, "mptcp_namespace_up", c) == 1)
                #expect(value(families, "mptcp_endpoints", c) == 2)
                for (flag, count) in ["signal": address ? 0.0 : 1, "subflow": 1, "address": address ? 1 : 0, "fullmesh": 0, "backup": 1,
                                      "implicit": 0] {
                    #expect(value(families, "mptcp_endpoints_by_flag", c, ["flag": flag]) == count, "\(flag)")
                }
                #expect(client.ip("mptcp limits show").stdout.contains("subflows 2"))
                #expect(value(families, "mptcp_limit_subflows", c) == 2)
                #expect(value(families, "mptcp_limit_add_addr_accepted", c) == 0)
                // MPTCP_INFO, the kernel's own count, beside the dump's.
                #expect(value(families, "mptcp_kernel_endp_subflow_max", c) == 1)
                // A kernel without address endpoints does not count them: no sample, never 0.
                #expect(value(families, "mptcp_kernel_endp_address_max", c) == (address ? 1 : nil))
                #expect(value(families, "mptcp_kernel_endp_signal_max", c) == (address ? 0 : 1))
                #expect(value(families, "mptcp_kernel_limit_subflows", c) == 2)
                #expect(value(families, "mptcp_kernel_limit_add_addr_accepted", c) == 0)
                #expect(value(families, "mptcp_connections", c) == Double(clientSS.connections))
                #expect(value(families, "mptcp_subflows", c) == Double(clientSS.subflows))
                // A counter that grew with the connection, between the two reads of /proc.
                let sent = try #require(value(families, "mptcp_mib_mpcapablesyntx", c))
                #expect(sent >= syntx + 1 && sent <= after["MPCapableSYNTX"] ?? -1, "MPCapableSYNTX \(syntx) -> \(sent)")
                #expect(families["mptcp_mib_mpcapablesyntx"]?.type == "counter")
                #expect(families["mptcp_mib_mpcapablesyntx"]?.samples.first?.name == "mptcp_mib_mpcapablesyntx_total")
                // A gauge where the kernel has it (MPCurrEstab: not in 6.1).
                if after["MPCurrEstab"] != nil { #expect(families["mptcp_mib_mpcurrestab"]?.type == "gauge") }
                // Every MPTcpExt counter of the kernel, by its lower-cased name.
                for name in after.keys {
                    #expect(value(families, "mptcp_mib_" + name.lowercased(), c) != nil, "\(name)")
                }
            }
            #expect(clientSS == (1, 2), "ss in the client: \(clientSS)")
            #expect(value(all, "mptcp_connections", server.name) == Double(serverSS.connections))
            #expect(value(all, "mptcp_subflows", server.name) == Double(serverSS.subflows))
            #expect(all["mptcp_endpoints"]?.type == "gauge")
            #expect(all["mptcp_endpoints"]?.help == "MPTCP endpoints configured (the endpoint dump).")

            // Docs/metrics.md names every family, and shows the systemd units as shipped.
            let docs = try String(contentsOf: Self.repository.appendingPathComponent("Docs/metrics.md"), encoding: .utf8)
            for (name, family) in all {
                let sample = family.type == "counter" ? name + "_total" : name
                #expect(docs.contains("`\(sample)`") || name.hasPrefix("mptcp_mib_") && docs.contains("`\(sample)` | counter"),
                        "Docs/metrics.md does not list \(sample)")
                if !name.hasPrefix("mptcp_mib_") { #expect(docs.contains("| \(family.help)"), "help of \(name) in Docs/metrics.md") }
            }
            for unit in ["mptcpctl-metrics.service", "mptcpctl-metrics.timer"] {
                let text = try String(contentsOf: Self.repository.appendingPathComponent("Integrations/prometheus/\(unit)"), encoding: .utf8)
                #expect(docs.contains(text), "Docs/metrics.md does not show \(unit) as shipped")
            }
        }
    }

    /// A metric a PromQL expression reads, and the function it stands in directly ("" at
    /// the top or in parentheses).
    struct MetricReference: Equatable, CustomStringConvertible {
        var name: String
        var function: String
        var description: String { function.isEmpty ? name : "\(function)(\(name))" }
    }

    /// The metrics `expression` reads: its identifiers, less what PromQL and Grafana put
    /// beside them: strings, label matchers `{…}`, ranges `[…]`, numbers and durations,
    /// `$variables`, function names (an identifier before `(`), aggregation operators,
    /// keywords, and the label lists after `by`, `without`, `on`, `ignoring`,
    /// `group_left` and `group_right`.
    static func metrics(in expression: String) -> [MetricReference] {
        let text = Array(expression)
        let keywords: Set<String> = ["and", "or", "unless", "bool", "offset", "inf", "nan", "atan2",
                                     "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
                                     "bottomk", "topk", "quantile", "limitk", "limit_ratio"]
        let labelLists: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]
        var found: [MetricReference] = []
        var functions: [String] = []   // the function of each open parenthesis, "" for none
        var i = 0
        func isStart(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c == "_" || c == ":") }
        func isPart(_ c: Character) -> Bool { isStart(c) || (c.isASCII && c.isNumber) }
        func skipString() {   // at the opening quote: past the closing one
            let quote = text[i]
            i += 1
            while i < text.count, text[i] != quote { i += quote != "`" && text[i] == "\\" ? 2 : 1 }
            i += 1
        }
        func skip(to close: Character) {   // at the opening bracket: past its closing one, strings skipped
            i += 1
            while i < text.count, text[i] != close {
                if text[i] == "\"" || text[i] == "'" || text[i] == "`" { skipString() } else { i += 1 }
            }
            i += 1
        }
        func nextNonSpace(from index: Int) -> Int {
            var j = index
            while j < text.count, text[j].isWhitespace { j += 1 }
            return j
        }
        while i < text.count {
            let c = text[i]
            if c == "\"" || c == "'" || c == "`" {
                skipString()
            } else if c == "{" {
                skip(to: "}")
            } else if c == "[" {
                skip(to: "]")
            } else if c == "#" {
                while i < text.count, text[i] != "\n" { i += 1 }
            } else if c == "$" {   // $name, ${name}, $__rate_interval
                i += 1
                if i < text.count, text[i] == "{" { skip(to: "}") } else { while i < text.count, isPart(text[i]) { i += 1 } }
            } else if c == "(" {
                functions.append("")
                i += 1
            } else if c == ")" {
                _ = functions.popLast()
                i += 1
            } else if c.isASCII && (c.isNumber || c == ".") {   // numbers, durations: 5m, 1e3, 0x1f
                while i < text.count, isPart(text[i]) || text[i] == "." { i += 1 }
            } else if isStart(c) {
                let start = i
                while i < text.count, isPart(text[i]) { i += 1 }
                let word = String(text[start..<i])
                let next = nextNonSpace(from: i)
                let call = next < text.count && text[next] == "("
                if labelLists.contains(word) {
                    if call { i = next; skip(to: ")") }
                } else if call {
                    functions.append(word)
                    i = next + 1
                } else if !keywords.contains(word) {
                    found.append(MetricReference(name: word, function: functions.last ?? ""))
                }
            } else {
                i += 1
            }
        }
        return found
    }

    static let dashboard = repository.appendingPathComponent("Integrations/grafana/mptcpctl.json")

    /// Every PromQL expression of the dashboard, with where it stands: the panels' targets
    /// and the template variables' `label_values(EXPRESSION, LABEL)`.
    static func expressions(_ dashboard: [String: Any]) -> [(place: String, expression: String)] {
        var found: [(String, String)] = []
        for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                found.append(("panel '\(panel["title"] as? String ?? "")' \(target["refId"] as? String ?? "")", target["expr"] as? String ?? ""))
            }
        }
        for variable in (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? [] {
            let query = (variable["query"] as? [String: Any])?["query"] as? String ?? variable["query"] as? String ?? ""
            var inner = Substring(query)
            if inner.hasPrefix("label_values("), let comma = inner.lastIndex(of: ",") {
                inner = inner[inner.index(inner.startIndex, offsetBy: "label_values(".count)..<comma]
            }
            found.append(("variable '\(variable["name"] as? String ?? "")'", String(inner)))
        }
        return found
    }

    @Test func thePromQLReaderFindsTheMetricsAndNothingElse() {
        let expression = #"""
            sum by (netns, flag) (rate(a_total{netns=~"$namespace", x="b (c"}[$__rate_interval] offset 5m)) / ignoring (flag)
            group_left(z) d:e or vector(0) > bool 1e3 unless on(netns) label_replace(f, "netns", "(host)", "netns", "") * 2
            """#
        #expect(Self.metrics(in: expression) == [MetricReference(name: "a_total", function: "rate"), MetricReference(name: "d:e", function: ""),
                                                 MetricReference(name: "f", function: "label_replace")])
    }

    /// Integrations/grafana/mptcpctl.json: an importable dashboard (a Prometheus data source
    /// asked for on import) whose every query reads only samples the exporter writes, by the
    /// samples' names (`mptcp_mib_NAME_total` for a counter family `mptcp_mib_NAME`), the
    /// counters only through rate(), irate() or increase(), the gauges never.
    @Test func theGrafanaDashboardReadsOnlyMetricsTheExporterWrites() throws {
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any])
        let source = ["type": "prometheus", "uid": "${DS_PROMETHEUS}"]
        let inputs = dashboard["__inputs"] as? [[String: Any]] ?? []
        #expect(inputs.contains { $0["name"] as? String == "DS_PROMETHEUS" && $0["pluginId"] as? String == "prometheus" && $0["type"] as? String == "datasource" })
        #expect(dashboard["uid"] as? String == "mptcpctl-mptcp" && dashboard["title"] as? String == "MPTCP (mptcpctl)")
        #expect((dashboard["schemaVersion"] as? Int ?? 0) >= 36 && !(dashboard["tags"] as? [String] ?? []).isEmpty)
        let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        let namespace = variables.first { $0["name"] as? String == "namespace" }
        #expect(((namespace?["query"] as? [String: Any])?["query"] as? String)?.hasSuffix(", netns)") == true)
        let panels = dashboard["panels"] as? [[String: Any]] ?? []
        #expect(Set(panels.compactMap { $0["id"] as? Int }).count == panels.count, "panel ids are not unique")
        for panel in panels where panel["type"] as? String != "row" {
            let title = panel["title"] as? String ?? ""
            let grid = panel["gridPos"] as? [String: Int] ?? [:]
            #expect((grid["x"] ?? 99) + (grid["w"] ?? 99) <= 24, "\(title)")
            #expect(panel["datasource"] as? [String: String] == source, "\(title)")
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty && targets.allSatisfy { $0["datasource"] as? [String: String] == source }, "\(title)")
            #expect(Set(targets.compactMap { $0["refId"] as? String }).count == targets.count, "\(title): refIds")
        }

        // The exporter's output for a namespace with an interface, an endpoint and limits:
        // every family it has (the MIB, MPTCP_INFO's and sock_diag's counts come with or
        // without connections; only the kernel decides which).
        let families = try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.5.1 dev v0 subflow")
            ns.expectSuccess("limits set subflows 2 add_addr_accepted 1")
            let exposition = ns.mptcpctl("counters --format openmetrics")
            try #require(exposition.status == 0, "\(exposition)")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("mptcpctl-dashboard-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).prom").path
            try exposition.stdout.write(toFile: file, atomically: false, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            return try parse(file)
        }
        var kinds: [String: String] = [:]   // sample name: its family's type
        for family in families.values { for sample in family.samples { kinds[sample.name] = family.type } }
        try #require(kinds["mptcp_mib_mpjoinsynrx_total"] == "counter" && kinds["mptcp_endpoints"] == "gauge", "\(kinds.keys.sorted())")
        // What a newer kernel has and the running one lacks (a MIB counter, an MPTCP_INFO
        // field): Docs/metrics.md lists Linux 6.18's, with its type.
        let docs = try String(contentsOf: Self.repository.appendingPathComponent("Docs/metrics.md"), encoding: .utf8)
        func documentedKind(_ name: String) -> String? {
            guard name.hasPrefix("mptcp_mib_") || name.hasPrefix("mptcp_kernel_") else { return nil }
            return ["counter", "gauge"].first { docs.contains("`\(name)` | \($0) |") }
        }

        var read: Set<String> = []
        for (place, expression) in Self.expressions(dashboard) {
            let metrics = Self.metrics(in: expression)
            #expect(!metrics.isEmpty, "\(place) reads no metric: \(expression)")
            for metric in metrics {
                read.insert(metric.name)
                guard let kind = kinds[metric.name] ?? documentedKind(metric.name) else {
                    Issue.record("\(place) reads \(metric.name), which mptcpctl does not write")
                    continue
                }
                let rate = ["rate", "irate", "increase"].contains(metric.function)
                #expect(kind == "counter" ? rate : !rate, "\(place): the \(kind) \(metric.name) as \(metric)")
            }
        }
        // What the issue asks to see: endpoints and limits, connections and subflows, joins,
        // fallbacks, ADD_ADDR, RM_ADDR and MP_FAIL.
        for name in ["mptcp_endpoints", "mptcp_endpoints_by_flag", "mptcp_limit_subflows", "mptcp_limit_add_addr_accepted", "mptcp_connections",
                     "mptcp_subflows", "mptcp_mib_mpjoinsynrx_total", "mptcp_mib_mpjoinackrx_total", "mptcp_mib_mpcapablefallbackack_total",
                     "mptcp_mib_mpcapablefallbacksynack_total", "mptcp_mib_addaddr_total", "mptcp_mib_rmaddr_total", "mptcp_mib_mpfailrx_total",
                     "mptcp_mib_mpfailtx_total"] {
            if !read.contains(name) { Issue.record("the dashboard does not show \(name)") }
        }
    }

    @Test func badFormatsAndFilesAreRefusedWithOneLine() throws {
        try TestNamespace.with { ns in
            ns.expectFailure("counters --format xml", status: 2,
                             message: "unknown format 'xml': expected table, json, ip, openmetrics or prometheus")
            ns.expectFailure("-j counters --format openmetrics", status: 2,
                             message: "-j and --format openmetrics cannot go together: choose one")
            ns.expectFailure("endpoint show --format openmetrics", status: 2, message: "'--format openmetrics' works with counters only")
            ns.expectFailure("counters --output /nonexistent-mptcpctl-dir/mptcp.prom", status: 3,
                             message: "cannot write '/nonexistent-mptcpctl-dir/mptcp.prom': ENOENT (No such file or directory)")
            // --format json is -j; --format table the default text.
            #expect(ns.mptcpctl("counters --format json") == ns.mptcpctl("-j counters"))
            #expect(ns.mptcpctl("counters --format table") == ns.mptcpctl("counters"))
        }
    }
}
