import MPTCPKit
import Testing

struct KernelCountersTests {
    /// A 96-byte MPTCP_INFO as 6.18 returns it on an unconnected socket.
    func info(count: Int = 96) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 96)
        bytes[3] = 5; bytes[4] = 1; bytes[5] = 3; bytes[41] = 2; bytes[81] = 4
        return Array(bytes.prefix(count))
    }

    @Test func linux618ReportsEveryField() {
        #expect(KernelCounters(info: info(), kernel: KernelRelease(major: 6, minor: 18)) == KernelCounters(
            endpSignalMax: 1, endpSubflowMax: 2, endpAddressMax: 4, limitSubflows: 5, limitAddAddrAccepted: 3))
        #expect(KernelCounters(info: info(), kernel: KernelRelease(major: 7, minor: 0)).endpAddressMax == 4)
    }

    @Test func olderKernelsDoNotReportTheAddressCounter() {
        #expect(KernelCounters(info: info(), kernel: KernelRelease(major: 6, minor: 17)).endpAddressMax == nil)
        #expect(KernelCounters(info: info(), kernel: nil).endpAddressMax == nil)
    }

    @Test func aShortReplyLeavesFieldsUnavailableNotZero() {
        let short = KernelCounters(info: info(count: 40), kernel: KernelRelease(major: 6, minor: 18))
        #expect(short == KernelCounters(endpSignalMax: 1, endpSubflowMax: nil, endpAddressMax: nil, limitSubflows: 5, limitAddAddrAccepted: 3))
        #expect(KernelCounters(info: [], kernel: KernelRelease(major: 6, minor: 18)) == .unavailable)
    }

    @Test func releaseStrings() {
        #expect(KernelRelease("6.18.44-fc-v782") == KernelRelease(major: 6, minor: 18))
        #expect(KernelRelease("7.0-rc1") == KernelRelease(major: 7, minor: 0))
        #expect(KernelRelease("garbage") == nil)
    }
}
