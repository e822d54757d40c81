import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// What `sync` decides before it follows anything, over stand-ins.
struct SyncRunnerTests {
    static func features(endpointMax: KernelFeatures.Answer<Int>) -> KernelFeatures {
        KernelFeatures(keepsAddressFlag: { .success(true) }, listsUserspaceAddresses: { .success(true) },
                       endpointMax: { endpointMax })
    }

    /// The kernel's room for endpoints, as it says; when it cannot be asked, the 8 every
    /// kernel holds, and a warning with the reason.
    @Test func theEndpointCapacityIsTheKernelsOrEightWithTheReason() {
        let program = InProcess()
        var context = program.context
        context.features = Self.features(endpointMax: .success(64))
        #expect(SyncRunner(context: context, managers: ManagerCache(context: context)).endpointCapacity() == 64)
        #expect(program.errors == "")
        context.features = Self.features(endpointMax: .failure(.namespace(.enterDenied("(new)"))))
        #expect(SyncRunner(context: context, managers: ManagerCache(context: context)).endpointCapacity() == 8)
        #expect(program.errors == "mptcpctl: warning: sync: cannot learn how many endpoints a namespace may hold: "
            + "entering network namespace '(new)' needs CAP_SYS_ADMIN; run as root; following at most 8\n")
    }
}
