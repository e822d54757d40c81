import MPTCPKit
import Testing
@testable import MPTCPCtlCLI

/// The exposition text of `counters --format openmetrics|prometheus`, byte for byte.
struct MetricsViewTests {
    static func metrics(netns: String?) -> NamespaceMetrics {
        let endpoints = [
            Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: [.subflow, .backup]),
            Endpoint(id: 2, address: IPAddress("10.0.3.1")!, flags: .address),
        ]
        let kernel = KernelCounters(endpSignalMax: 0, endpSubflowMax: 1, endpAddressMax: nil, limitSubflows: 2, limitAddAddrAccepted: 0)
        return NamespaceMetrics(
            snapshot: NamespaceSnapshot(netns: netns, endpoints: endpoints, limits: Limits(subflows: 2, addAddrAccepted: 0), kernel: kernel),
            connections: ConnectionCounts(connections: 1, subflows: 2),
            mib: MIBCounters([.init(name: "MPCapableSYNTX", value: 4), .init(name: "MPCurrEstab", value: 1)]))
    }

    static let rows: [MetricsView.Row] = [
        (nil, .success(metrics(netns: nil))),
        ("we\"ird\\name", .failure(CLIError(.environment, "gone"))),
    ]

    @Test func openMetricsGroupsEachFamilyAcrossNamespacesAndEndsWithEOF() {
        let text = MetricsView(dialect: .openMetrics).text(Self.rows)
        #expect(text.hasPrefix("""
            # TYPE mptcp_namespace_up gauge
            # HELP mptcp_namespace_up 1 when the namespace could be read, 0 when it could not (its other metrics are then absent).
            mptcp_namespace_up{netns=""} 1
            mptcp_namespace_up{netns="we\\"ird\\\\name"} 0
            # TYPE mptcp_endpoints gauge
            # HELP mptcp_endpoints MPTCP endpoints configured (the endpoint dump).
            mptcp_endpoints{netns=""} 2
            # TYPE mptcp_endpoints_by_flag gauge
            # HELP mptcp_endpoints_by_flag MPTCP endpoints carrying a flag (an endpoint may carry several).
            mptcp_endpoints_by_flag{netns="",flag="signal"} 0
            mptcp_endpoints_by_flag{netns="",flag="subflow"} 1
            mptcp_endpoints_by_flag{netns="",flag="address"} 1
            mptcp_endpoints_by_flag{netns="",flag="fullmesh"} 0
            mptcp_endpoints_by_flag{netns="",flag="backup"} 1
            mptcp_endpoints_by_flag{netns="",flag="implicit"} 0

            """))
        // A field MPTCP_INFO does not report is left out, never 0.
        #expect(!text.contains("mptcp_kernel_endp_address_max"))
        #expect(text.contains("\nmptcp_kernel_endp_subflow_max{netns=\"\"} 1\n"))
        #expect(text.contains("\nmptcp_connections{netns=\"\"} 1\n"))
        #expect(text.contains("\nmptcp_subflows{netns=\"\"} 2\n"))
        #expect(text.hasSuffix("""
            # TYPE mptcp_mib_mpcapablesyntx counter
            # HELP mptcp_mib_mpcapablesyntx The kernel's MPTcpExt MIB counter MPCapableSYNTX (/proc/net/netstat).
            mptcp_mib_mpcapablesyntx_total{netns=""} 4
            # TYPE mptcp_mib_mpcurrestab gauge
            # HELP mptcp_mib_mpcurrestab The kernel's MPTcpExt MIB gauge MPCurrEstab (/proc/net/netstat).
            mptcp_mib_mpcurrestab{netns=""} 1
            # EOF

            """))
    }

    @Test func prometheusDeclaresTheCountersSampleNameAndHasNoEOF() {
        let text = MetricsView(dialect: .prometheus).text(Self.rows)
        #expect(text.hasSuffix("""
            # TYPE mptcp_mib_mpcapablesyntx_total counter
            # HELP mptcp_mib_mpcapablesyntx_total The kernel's MPTcpExt MIB counter MPCapableSYNTX (/proc/net/netstat).
            mptcp_mib_mpcapablesyntx_total{netns=""} 4
            # TYPE mptcp_mib_mpcurrestab gauge
            # HELP mptcp_mib_mpcurrestab The kernel's MPTcpExt MIB gauge MPCurrEstab (/proc/net/netstat).
            mptcp_mib_mpcurrestab{netns=""} 1

            """))
        #expect(!text.contains("# EOF"))
    }

    /// A namespace healed by sync: its counters (read from sync's socket) beside the
    /// kernel's; the seconds as a summary.
    @Test func healingsCountersFollowTheKernels() {
        var metrics = Self.metrics(netns: "ns1")
        var healing = HealingCounters()
        healing.pathFailures = 3
        healing.pathsDown = 1
        healing.repairs = 2
        healing.touchedConnections = 1
        healing.healed = 2
        healing.healSeconds = 0.9
        metrics.healing = healing
        let text = MetricsView(dialect: .openMetrics).text([("ns1", .success(metrics)), (nil, .success(Self.metrics(netns: nil)))])
        #expect(text.hasSuffix("""
            # TYPE mptcp_heal_path_failures counter
            # HELP mptcp_heal_path_failures Paths (a local endpoint's address to a peer) that went down, as sync's healing saw them.
            mptcp_heal_path_failures_total{netns="ns1"} 3
            # TYPE mptcp_heal_paths_down gauge
            # HELP mptcp_heal_paths_down Paths down now.
            mptcp_heal_paths_down{netns="ns1"} 1
            # TYPE mptcp_heal_repairs counter
            # HELP mptcp_heal_repairs Endpoints deleted and added again to bring a path's subflows back.
            mptcp_heal_repairs_total{netns="ns1"} 2
            # TYPE mptcp_heal_repair_failures counter
            # HELP mptcp_heal_repair_failures Repairs the kernel refused.
            mptcp_heal_repair_failures_total{netns="ns1"} 0
            # TYPE mptcp_heal_touched_connections counter
            # HELP mptcp_heal_touched_connections Connections whose working subflows a repair closed and opened again.
            mptcp_heal_touched_connections_total{netns="ns1"} 1
            # TYPE mptcp_heal_gave_up counter
            # HELP mptcp_heal_gave_up Paths given up on while connections still lacked them.
            mptcp_heal_gave_up_total{netns="ns1"} 0
            # TYPE mptcp_heal_seconds summary
            # HELP mptcp_heal_seconds Seconds from a path back to its connections carrying traffic on it again, per healed path.
            mptcp_heal_seconds_count{netns="ns1"} 2
            mptcp_heal_seconds_sum{netns="ns1"} 0.900
            # EOF

            """))
        // A namespace no sync heals has none of them.
        #expect(!text.contains("mptcp_heal_repairs_total{netns=\"\"}"))
    }

    @Test func kernelNamesAreLowerCasedWithAnythingElseAnUnderscore() {
        #expect(MetricsView.mibName("MPCapableSYNRX") == "mptcp_mib_mpcapablesynrx")
        #expect(MetricsView.mibName("Odd-Name.2") == "mptcp_mib_odd_name_2")
        #expect(MetricsView.escape("a\\b\n\"c\"", quotes: true) == "a\\\\b\\n\\\"c\\\"")
        #expect(MetricsView.escape("\"c\"", quotes: false) == "\"c\"")
    }
}
