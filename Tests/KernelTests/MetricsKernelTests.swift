import Foundation
import Testing

/// `counters --format openmetrics`: the exposition read back with prometheus_client's own
/// OpenMetrics parser (Integrations/prometheus/parse.sh), every value checked against
/// the kernel: the endpoint dump, `ip mptcp limits`, MPTCP_INFO's agreement, `ss` for
/// connections and subflows, and /proc/net/netstat for the MIB.
struct MetricsKernelTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

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
            let deadline = Date().addingTimeInterval(10 * Background.patience)
            while ss(client).subflows < 2, Date() < deadline { usleep(20_000) }

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
