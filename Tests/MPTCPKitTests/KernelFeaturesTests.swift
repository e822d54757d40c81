import MPTCPKit
import Testing

/// What the kernel offers is a value a caller asks, and a stand-in answers as the
/// kernel would; an answer that could not be had keeps why.
struct KernelFeaturesTests {
    static func features(addressFlag: KernelFeatures.Answer<Bool>) -> KernelFeatures {
        KernelFeatures(keepsAddressFlag: { addressFlag }, listsUserspaceAddresses: { .success(true) },
                       endpointMax: { .success(8) })
    }

    static let denied = PathManagerError.namespace(.enterDenied("(new)"))

    /// The address counter of MPTCP_INFO is a reserved 0 before Linux 6.18: it counts
    /// only on a kernel said to keep the flag. (An unprivileged MPTCP socket of this
    /// process's namespace, which holds no `address` endpoint.)
    @Test func theAddressCounterCountsOnlyWhereTheKernelSaysItKeepsTheFlag() throws {
        let kept = KernelCounters.read(endpoints: [], features: Self.features(addressFlag: .success(true)))
        try #require(kept != .unavailable, "no MPTCP socket could be made")
        #expect(kept.endpAddressMax != nil)
        #expect(KernelCounters.read(endpoints: [], features: Self.features(addressFlag: .success(false))).endpAddressMax == nil)
        #expect(KernelCounters.read(endpoints: [], features: Self.features(addressFlag: .failure(Self.denied))).endpAddressMax == nil)
    }

    @Test func anAnswerThatCouldNotBeHadSaysWhy() {
        let features = Self.features(addressFlag: .failure(Self.denied))
        #expect(throws: Self.denied) { try features.keepsAddressFlag().get() }
    }
}
