import MPTCPKit

/// `counters --format openmetrics|prometheus`: the metrics of one namespace or many as
/// a text exposition. Every sample has the label `netns`: the name given, or "" for the
/// namespace mptcpctl runs in. Samples are grouped by metric family across namespaces,
/// as both formats require. Docs/metrics.md lists every family.
struct MetricsView {
    /// The two text formats differ in how a counter is declared: OpenMetrics names the
    /// family without `_total` (`# TYPE x counter`, sample `x_total`) and ends with
    /// `# EOF`; Prometheus' own text format (0.0.4), which node_exporter's textfile
    /// collector parses, declares the sample's name (`# TYPE x_total counter`): given
    /// the OpenMetrics form, it reads the counters as untyped.
    var dialect: OutputFormat.Metrics

    typealias Row = (netns: String?, result: Result<NamespaceMetrics, CLIError>)

    /// One metric family: its name, type, help text and samples (labels, value).
    struct Family {
        enum Kind: String { case gauge, counter, summary }
        var name: String
        var kind: Kind
        var help: String
        var samples: [(labels: [(String, String)], value: UInt64)] = []
        /// A summary's samples: its count and sum (the sum in seconds).
        var summaries: [(labels: [(String, String)], count: UInt64, sum: Double)] = []
    }

    /// The MIB counter `MPCapableSYNRX` as a family name: `mptcp_mib_mpcapablesynrx`
    /// (lower-cased; anything outside [a-z0-9_] becomes '_').
    static func mibName(_ kernelName: String) -> String {
        "mptcp_mib_" + String(kernelName.lowercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" ? $0 : "_" })
    }

    /// The flags `mptcp_endpoints_by_flag` counts, as its `flag` label spells them.
    static let flags = ["signal", "subflow", "address", "fullmesh", "backup", "implicit"]

    func families(_ rows: [Row]) -> [Family] {
        var families: [Family] = []
        var index: [String: Int] = [:]
        func add(_ name: String, _ kind: Family.Kind, _ help: String, _ netns: String?, _ value: Int?, _ extra: [(String, String)] = []) {
            guard let value, value >= 0 else { return }
            add(name, kind, help, netns, UInt64(value), extra)
        }
        func add(_ name: String, _ kind: Family.Kind, _ help: String, _ netns: String?, _ value: UInt64, _ extra: [(String, String)] = []) {
            if index[name] == nil {
                index[name] = families.count
                families.append(Family(name: name, kind: kind, help: help))
            }
            families[index[name]!].samples.append(([("netns", netns ?? "")] + extra, value))
        }
        for row in rows {
            let netns = row.netns
            guard case let .success(metrics) = row.result else {
                add("mptcp_namespace_up", .gauge, Self.upHelp, netns, 0)
                continue
            }
            add("mptcp_namespace_up", .gauge, Self.upHelp, netns, 1)
            let s = metrics.snapshot, c = s.counts, k = s.kernel
            add("mptcp_endpoints", .gauge, "MPTCP endpoints configured (the endpoint dump).", netns, c.total)
            let byFlag = [c.signal, c.subflow, c.address, c.fullmesh, c.backup, c.implicit]
            for (flag, count) in zip(Self.flags, byFlag) {
                add("mptcp_endpoints_by_flag", .gauge, "MPTCP endpoints carrying a flag (an endpoint may carry several).",
                    netns, count, [("flag", flag)])
            }
            add("mptcp_limit_subflows", .gauge, "The limit 'subflows': additional subflows per connection.",
                netns, Int(s.limits.subflows))
            add("mptcp_limit_add_addr_accepted", .gauge, "The limit 'add_addr_accepted': ADD_ADDRs accepted per connection.",
                netns, Int(s.limits.addAddrAccepted))
            add("mptcp_kernel_endp_signal_max", .gauge, "Signal endpoints, as the kernel counts them (MPTCP_INFO).", netns, k.endpSignalMax)
            add("mptcp_kernel_endp_subflow_max", .gauge, "Subflow endpoints, as the kernel counts them (MPTCP_INFO).", netns, k.endpSubflowMax)
            add("mptcp_kernel_endp_address_max", .gauge, "Address (laminar) endpoints, as the kernel counts them (MPTCP_INFO, Linux 6.18+).",
                netns, k.endpAddressMax)
            add("mptcp_kernel_limit_subflows", .gauge, "The limit 'subflows', as the kernel reports it (MPTCP_INFO).", netns, k.limitSubflows)
            add("mptcp_kernel_limit_add_addr_accepted", .gauge, "The limit 'add_addr_accepted', as the kernel reports it (MPTCP_INFO).",
                netns, k.limitAddAddrAccepted)
            if let connections = metrics.connections {
                add("mptcp_connections", .gauge, "MPTCP sockets that are not listening (sock_diag).", netns, connections.connections)
                add("mptcp_subflows", .gauge, "TCP subflows of MPTCP connections, listeners left out (sock_diag).", netns, connections.subflows)
            }
            for counter in metrics.mib.counters {
                let gauge = MIBCounters.gauges.contains(counter.name)
                add(Self.mibName(counter.name), gauge ? .gauge : .counter,
                    "The kernel's MPTcpExt MIB \(gauge ? "gauge" : "counter") \(counter.name) (/proc/net/netstat).",
                    netns, counter.value)
            }
            if let h = metrics.healing {
                add("mptcp_heal_path_failures", .counter, "Paths (a local endpoint's address to a peer) that went down, as sync's healing saw them.",
                    netns, h.pathFailures)
                add("mptcp_heal_paths_down", .gauge, "Paths down now.", netns, h.pathsDown)
                add("mptcp_heal_repairs", .counter, "Endpoints deleted and added again to bring a path's subflows back.", netns, h.repairs)
                add("mptcp_heal_repair_failures", .counter, "Repairs the kernel refused.", netns, h.repairFailures)
                add("mptcp_heal_touched_connections", .counter,
                    "Connections whose working subflows a repair closed and opened again.", netns, h.touchedConnections)
                add("mptcp_heal_gave_up", .counter, "Paths given up on while connections still lacked them.", netns, h.gaveUp)
                let name = "mptcp_heal_seconds"
                if index[name] == nil {
                    index[name] = families.count
                    families.append(Family(name: name, kind: .summary,
                                           help: "Seconds from a path back to its connections carrying traffic on it again, per healed path."))
                }
                families[index[name]!].summaries.append(([("netns", netns ?? "")], h.healed, h.healSeconds))
            }
        }
        return families
    }

    static let upHelp = "1 when the namespace could be read, 0 when it could not (its other metrics are then absent)."

    /// The exposition text (OpenMetrics' with `# EOF`), with a final newline.
    func text(_ rows: [Row]) -> String {
        var text = ""
        for family in families(rows) {
            let sample = family.kind == .counter ? family.name + "_total" : family.name
            let declared = dialect == .openMetrics ? family.name : sample
            text += "# TYPE \(declared) \(family.kind.rawValue)\n"
            text += "# HELP \(declared) \(Self.escape(family.help, quotes: false))\n"
            for (labels, value) in family.samples {
                text += "\(sample){\(Self.labels(labels))} \(value)\n"
            }
            for (labels, count, sum) in family.summaries {
                text += "\(family.name)_count{\(Self.labels(labels))} \(count)\n"
                text += "\(family.name)_sum{\(Self.labels(labels))} \(JSON.seconds(sum))\n"
            }
        }
        return dialect == .openMetrics ? text + "# EOF\n" : text
    }

    /// `name="value",…`, escaped.
    static func labels(_ labels: [(String, String)]) -> String {
        labels.map { "\($0.0)=\"\(escape($0.1, quotes: true))\"" }.joined(separator: ",")
    }

    /// OpenMetrics escaping: backslash and newline everywhere, double quotes in label values.
    static func escape(_ value: String, quotes: Bool) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\"" where quotes: escaped += "\\\""
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
