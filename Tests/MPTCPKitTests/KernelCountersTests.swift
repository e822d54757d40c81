import MPTCPKit
import Testing

struct KernelCountersTests {
    /// A 96-byte MPTCP_INFO as 6.18 returns it on an unconnected socket.
    func info(count: Int = 96) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 96)
        bytes[3] = 5; bytes[4] = 1; bytes[5] = 3; bytes[41] = 2; bytes[81] = 4
        return Array(bytes.prefix(count))
    }

    @Test func aKernelWithAddressEndpointsReportsEveryField() {
        #expect(KernelCounters(info: info(), countsAddressEndpoints: true) == KernelCounters(
            endpSignalMax: 1, endpSubflowMax: 2, endpAddressMax: 4, limitSubflows: 5, limitAddAddrAccepted: 3))
        var none = info()
        none[81] = 0
        #expect(KernelCounters(info: none, countsAddressEndpoints: true).endpAddressMax == 0)
    }

    /// Byte 81 was reserved (0) before the address flag: 0 there says nothing on a kernel
    /// without it, and a non-zero byte can only be the counter.
    @Test func theAddressCounterOnKernelsWithoutTheFlag() {
        var reserved = info()
        reserved[81] = 0
        #expect(KernelCounters(info: reserved, countsAddressEndpoints: false).endpAddressMax == nil)
        #expect(KernelCounters(info: info(), countsAddressEndpoints: false).endpAddressMax == 4)
    }

    @Test func aShortReplyLeavesFieldsUnavailableNotZero() {
        let short = KernelCounters(info: info(count: 40), countsAddressEndpoints: true)
        #expect(short == KernelCounters(endpSignalMax: 1, endpSubflowMax: nil, endpAddressMax: nil, limitSubflows: 5, limitAddAddrAccepted: 3))
        #expect(KernelCounters(info: [], countsAddressEndpoints: true) == .unavailable)
    }

    @Test func releaseStrings() {
        #expect(KernelRelease("6.18.44-fc-v782") == KernelRelease(major: 6, minor: 18))
        #expect(KernelRelease("7.0-rc1") == KernelRelease(major: 7, minor: 0))
        #expect(KernelRelease("garbage") == nil)
    }
}
