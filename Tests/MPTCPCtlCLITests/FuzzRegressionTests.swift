import StateFile
import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// Inputs the fuzz targets in Fuzz/ stopped on, fed again byte for byte.
struct FuzzRegressionTests {
    /// FuzzApply, crash-186aaaa5… (the seed Corpus/FuzzApply/state.yaml): applied over
    /// an endpoint that changes from signal+backup to signal, the state exported must
    /// read back. (The stop was the fuzz stand-in's: its set-flags cleared the signal
    /// flag, which the kernel never does; the round trip itself holds.)
    @Test func anAppliedFileExportsAFileThatReadsBack() throws {
        let text = """
            limits: {subflows: 4, add_addr_accepted: 2}
            endpoints:
              - {address: 10.0.2.1, id: 1, flags: [subflow]}
              - {address: 10.0.3.1, flags: [address, backup]}
              - address: 2001:db8::1
                port: 10100
                dev: eth1
                flags: signal

            """
        let kernel = FakeKernel()
        kernel.table = [Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow),
                        Endpoint(id: 2, address: IPAddress("2001:db8::1")!, port: 10100, flags: [.signal, .backup],
                                 interfaceIndex: 3)]
        let state = try DesiredState.parse(text, file: "fuzz.yaml")
        let (plans, missing) = try Apply(keepUnlisted: false, open: { _ in kernel.manager }).prepare(state, netns: nil)
        #expect(missing.isEmpty)
        for prepared in plans { try Apply.execute(prepared) }
        #expect(kernel.table.map(\.flags) == [.subflow, .signal, [.address, .backup]])
        let exported = StateFileWriter.yaml(try StateFileWriter.namespace(of: kernel.manager))
        let again = try DesiredState.parse(exported, file: "exported.yaml")
        #expect(again.namespaces.first?.endpoints?.map(\.spec.flags) == [.subflow, .signal, [.address, .backup]])
    }
}
