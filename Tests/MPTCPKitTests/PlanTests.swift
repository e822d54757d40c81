import Glibc
import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing

/// Plans from current and desired state, without a kernel, as values; carried out over
/// the fake kernel, a refused step leaves the namespace as it was.
struct PlanTests {
    let a1 = IPAddress("10.0.2.1")!, a2 = IPAddress("10.0.2.2")!, a5 = IPAddress("10.0.2.5")!, a9 = IPAddress("10.0.2.9")!
    let defaults = Limits(subflows: 2, addAddrAccepted: 0)

    @Test func everyKindOfDifferenceHasItsStepInOrder() {
        let current = [
            Endpoint(id: 2, address: a2, flags: [.subflow, .backup]),
            Endpoint(id: 4, address: a9, flags: .subflow),
            Endpoint(id: 5, address: a5, flags: .subflow),
        ]
        let plan = Plan.make(current: current, limits: defaults, endpoints: [
            EndpointSpec(address: a1, id: 3, flags: .subflow),
            EndpointSpec(address: a2, flags: .subflow),
            EndpointSpec(address: a5, id: 5, flags: .signal),
        ], wantedLimits: LimitsChange(subflows: 4))
        #expect(plan.steps == [
            .delete(current[1]),
            .replace(current[2], with: EndpointSpec(address: a5, id: 5, flags: .signal)),
            .change(current[0], to: .subflow),
            .add(EndpointSpec(address: a1, id: 3, flags: .subflow)),
            .setLimits(from: defaults, to: Limits(subflows: 4, addAddrAccepted: 0)),
        ])
        #expect(plan.operations.map(\.operation) == [
            .delete(id: 4), .delete(id: 5), .setFlags(id: 2, []),
            .add(EndpointSpec(address: a5, id: 5, flags: .signal)), .add(EndpointSpec(address: a1, id: 3, flags: .subflow)),
            .setLimits(LimitsChange(subflows: 4)),
        ])
    }

    @Test func theSameStateIsAnEmptyPlan() {
        let current = [Endpoint(id: 7, address: a1, port: 0, flags: [.subflow, .fullmesh])]
        let plan = Plan.make(current: current, limits: defaults,
                             endpoints: [EndpointSpec(address: a1, flags: [.subflow, .fullmesh])],
                             wantedLimits: LimitsChange(subflows: 2, addAddrAccepted: 0))
        #expect(plan.isEmpty)
    }

    @Test func portDeviceAndIdDifferencesAreReplaces() {
        let current = [Endpoint(id: 1, address: a1, port: 100, flags: .signal), Endpoint(id: 2, address: a2, flags: .subflow)]
        let plan = Plan.make(current: current, limits: defaults, endpoints: [
            EndpointSpec(address: a1, port: 100, flags: .signal, device: "eth1", interfaceIndex: 3),
            EndpointSpec(address: a2, id: 9, flags: .subflow),
        ])
        #expect(plan.steps == [
            .delete(current[1]),
            .replace(current[0], with: EndpointSpec(address: a1, id: 1, port: 100, flags: .signal, device: "eth1", interfaceIndex: 3)),
            .add(EndpointSpec(address: a2, id: 9, flags: .subflow)),
        ])
    }

    @Test func implicitEndpointsAreNeverTouchedAndKeepUnlistedKeepsTheOthers() {
        let current = [Endpoint(id: 1, address: a1, flags: .implicit), Endpoint(id: 2, address: a2, flags: .subflow)]
        #expect(Plan.make(current: current, limits: defaults, endpoints: []).steps == [.delete(current[1])])
        #expect(Plan.make(current: current, limits: defaults, endpoints: [], keepUnlisted: true).isEmpty)
        // An unlisted endpoint holding an id the file wants goes even so.
        let plan = Plan.make(current: current, limits: defaults, endpoints: [EndpointSpec(address: a5, id: 2)], keepUnlisted: true)
        #expect(plan.steps == [.replace(current[1], with: EndpointSpec(address: a5, id: 2))])
    }

    @Test func noEndpointsKeyLeavesEndpointsAlone() {
        let current = [Endpoint(id: 2, address: a2, flags: .subflow)]
        #expect(Plan.make(current: current, limits: defaults, endpoints: nil, wantedLimits: LimitsChange(addAddrAccepted: 3)).steps
            == [.setLimits(from: defaults, to: Limits(subflows: 2, addAddrAccepted: 3))])
    }

    @Test func aFailedStepRestoresTheNamespace() throws {
        let kernel = FakeKernel()
        kernel.table = [Endpoint(id: 1, address: a1, flags: .subflow), Endpoint(id: 2, address: a2, flags: [.subflow, .backup])]
        let saved = PlanExecutor.Saved(endpoints: kernel.table, limits: kernel.limits)
        // 10.0.2.9 is already there under id 3 when the plan runs: EEXIST mid-plan.
        let plan = Plan.make(current: kernel.table, limits: saved.limits, endpoints: [
            EndpointSpec(address: a2, id: 2, flags: .subflow),
            EndpointSpec(address: a5, id: 5, flags: .signal),
            EndpointSpec(address: a9, id: 6, flags: .signal),
        ], wantedLimits: LimitsChange(subflows: 8))
        kernel.table.append(Endpoint(id: 3, address: a9))
        let withIntruder = PlanExecutor.Saved(endpoints: kernel.table, limits: saved.limits)
        #expect(throws: PlanFailure(cause: .step(.add(EndpointSpec(address: a9, id: 6, flags: .signal)),
                                                 .kernel(Errno(rawValue: EEXIST), extack: "too many addresses or duplicate one: -17")),
                                    rollback: .restored)) {
            try PlanExecutor(manager: kernel.manager).execute(plan, saved: withIntruder)
        }
        #expect(kernel.table == withIntruder.endpoints)
        #expect(kernel.limits == saved.limits)
    }

    @Test func aKernelThatDropsTheAddressFlagIsRolledBack() throws {
        let kernel = FakeKernel()
        kernel.knownFlags = 0x1f
        kernel.table = [Endpoint(id: 1, address: a1, flags: .subflow)]
        let saved = PlanExecutor.Saved(endpoints: kernel.table, limits: kernel.limits)
        let plan = Plan.make(current: kernel.table, limits: saved.limits, endpoints: [
            EndpointSpec(address: a1, id: 1, flags: .subflow),
            EndpointSpec(address: a2, id: 2, flags: .address),
        ], wantedLimits: LimitsChange(addAddrAccepted: 1))
        #expect(throws: PlanFailure(cause: .addressFlagDropped(a2), rollback: .restored)) {
            try PlanExecutor(manager: kernel.manager).execute(plan, saved: saved)
        }
        #expect(kernel.table == saved.endpoints)
        #expect(kernel.limits == saved.limits)
    }
}
