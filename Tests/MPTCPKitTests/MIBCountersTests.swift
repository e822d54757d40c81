import MPTCPKit
import Testing

/// The MPTcpExt lines of /proc/net/netstat, as the kernel prints them.
struct MIBCountersTests {
    static let netstat = """
        TcpExt: SyncookiesSent SyncookiesRecv
        TcpExt: 0 7
        MPTcpExt: MPCapableSYNRX MPCapableSYNTX MPCurrEstab
        MPTcpExt: 3 18446744073709551615 2
        IpExt: InNoRoutes
        IpExt: 0

        """

    @Test func onlyTheMPTCPLinesInTheKernelsOrderWithItsNames() {
        let mib = MIBCounters(netstat: Self.netstat)
        #expect(mib.counters == [
            .init(name: "MPCapableSYNRX", value: 3),
            .init(name: "MPCapableSYNTX", value: UInt64.max),
            .init(name: "MPCurrEstab", value: 2),
        ])
        #expect(mib["MPCapableSYNRX"] == 3)
        #expect(mib["SyncookiesRecv"] == nil)
        #expect(MIBCounters.gauges == ["MPCurrEstab"])
    }

    @Test func noMPTCPLinesOrAHeaderAloneGiveNothing() {
        #expect(MIBCounters(netstat: "TcpExt: A B\nTcpExt: 1 2\n").counters == [])
        #expect(MIBCounters(netstat: "MPTcpExt: A B\n").counters == [])
        #expect(MIBCounters(netstat: "").counters == [])
    }
}
