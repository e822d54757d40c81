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

    @Test func kernelNamesAreLowerCasedWithAnythingElseAnUnderscore() {
        #expect(MetricsView.mibName("MPCapableSYNRX") == "mptcp_mib_mpcapablesynrx")
        #expect(MetricsView.mibName("Odd-Name.2") == "mptcp_mib_odd_name_2")
        #expect(MetricsView.escape("a\\b\n\"c\"", quotes: true) == "a\\\\b\\n\\\"c\\\"")
        #expect(MetricsView.escape("\"c\"", quotes: false) == "\"c\"")
    }
}
