import MPTCPKit
import Testing

/// The state a plan leaves, known before it runs (`apply --dry-run -j`'s `after`).
struct ExpectedStateTests {
    let a1 = IPAddress("10.0.2.1")!, a2 = IPAddress("10.0.2.2")!, a5 = IPAddress("10.0.2.5")!, a9 = IPAddress("10.0.2.9")!

    @Test func everyKindOfStepLeavesItsMark() {
        let current = [
            Endpoint(id: 2, address: a2, flags: [.subflow, .backup]),
            Endpoint(id: 4, address: a9, flags: .subflow),
            Endpoint(id: 5, address: a5, flags: .subflow),
            Endpoint(id: 7, address: IPAddress("10.0.2.7")!, flags: .implicit),
        ]
        let limits = Limits(subflows: 2, addAddrAccepted: 0)
        let plan = Plan.make(current: current, limits: limits, endpoints: [
            EndpointSpec(address: a1, flags: .subflow),
            EndpointSpec(address: a2, flags: .subflow),
            EndpointSpec(address: a5, id: 5, flags: .signal, device: "eth1", interfaceIndex: 3),
            EndpointSpec(address: IPAddress("10.0.2.3")!, id: 3, flags: .address),
        ], wantedLimits: LimitsChange(subflows: 4), sysctls: [("path_manager", "userspace")],
           currentSysctls: ["path_manager": "kernel", "enabled": "1"])
        let expected = ExpectedState(after: plan, endpoints: current, limits: limits,
                                     sysctls: ["path_manager": "kernel", "enabled": "1"])
        #expect(expected == ExpectedState(endpoints: [
            EndpointSpec(address: a2, id: 2, flags: .subflow),
            EndpointSpec(address: IPAddress("10.0.2.3")!, id: 3, flags: .address),
            EndpointSpec(address: a5, id: 5, flags: .signal, device: "eth1", interfaceIndex: 3),
            EndpointSpec(address: IPAddress("10.0.2.7")!, id: 7, flags: .implicit),
            EndpointSpec(address: a1, flags: .subflow),
        ], limits: Limits(subflows: 4, addAddrAccepted: 0), sysctls: ["path_manager": "userspace", "enabled": "1"]))
    }

    @Test func anEmptyPlanLeavesTheNamespaceAsItIs() {
        let current = [Endpoint(id: 1, address: a1, port: 10100, flags: .signal, interfaceIndex: 2)]
        let expected = ExpectedState(after: Plan(steps: []), endpoints: current, limits: Limits(subflows: 1, addAddrAccepted: 1))
        #expect(expected.endpoints == [EndpointSpec(address: a1, id: 1, port: 10100, flags: .signal, interfaceIndex: 2)])
        #expect(expected.limits == Limits(subflows: 1, addAddrAccepted: 1) && expected.sysctls.isEmpty)
    }
}
