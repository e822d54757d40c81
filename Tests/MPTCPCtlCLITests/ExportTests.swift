import StateFile
import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// Export writes what apply reads back unchanged.
struct ExportTests {
    @Test func yamlThatParsesBackToTheSameState() throws {
        let endpoints = [
            Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: [.subflow, .backup]),
            Endpoint(id: 2, address: IPAddress("2001:db8::2")!, port: 10100, flags: .signal, interfaceIndex: 3),
            Endpoint(id: 3, address: IPAddress("10.0.2.3")!, flags: .implicit),
            Endpoint(id: 4, address: IPAddress("10.0.2.4")!),
        ]
        let value = StateFileWriter.namespace(endpoints: endpoints, limits: Limits(subflows: 4, addAddrAccepted: 1),
                                     deviceName: { $0 == 3 ? "eth1" : nil })
        let yaml = StateFileWriter.yaml(StateFileWriter.document([("ns-1", value), ("123", value)]))
        #expect(yaml.hasPrefix("""
            namespaces:
              ns-1:
                limits:
                  subflows: 4
                  add_addr_accepted: 1
                endpoints:
                  - address: 10.0.2.1
                    id: 1
                    flags: [subflow, backup]
                  - address: "2001:db8::2"
                    id: 2
                    port: 10100
                    dev: eth1
                    flags: [signal]
                  - address: 10.0.2.4
                    id: 4
                    flags: []
              "123":
            """))
        let state = try DesiredState.parse(yaml, file: "f")
        #expect(state.namespaces.map(\.name) == ["ns-1", "123"])
        #expect(state.namespaces[0].endpoints?.map(\.spec.id) == [1, 2, 4])
        #expect(state.namespaces[0].endpoints?[1].spec.device == "eth1")
    }
}
