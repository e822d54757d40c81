import Glibc
import Netlink
import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// Plans from current and desired state, without a kernel.
struct PlanTests {
    let a1 = IPAddress("10.0.2.1")!, a2 = IPAddress("10.0.2.2")!, a5 = IPAddress("10.0.2.5")!, a9 = IPAddress("10.0.2.9")!
    let defaults = Limits(subflows: 2, addAddrAccepted: 0)

    func texts(_ plan: Plan) -> [String] { plan.steps.map { PlanView.text($0, deviceName: { _ in nil }) } }

    /// Carries the plan out and words a failure as `apply` does for namespace ns1.
    func execute(_ plan: Plan, on kernel: FakeKernel, saved: PlanExecutor.Saved) throws(CLIError) {
        do throws(PlanFailure) {
            try PlanExecutor(manager: kernel.manager).execute(plan, saved: saved)
        } catch {
            throw CLIError(error, label: "ns1")
        }
    }

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
        #expect(texts(plan) == [
            "delete id 4 (10.0.2.9)",
            "replace id 5 (10.0.2.5) subflow -> signal",
            "change id 2 (10.0.2.2) backup -> nobackup",
            "add 10.0.2.1 id 3 subflow",
            "set limits subflows 2 -> 4",
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
        #expect(texts(plan) == [
            "delete id 2 (10.0.2.2)",
            "replace id 1 (10.0.2.1) nodev -> dev eth1",
            "add 10.0.2.2 id 9 subflow",
        ])
    }

    @Test func implicitEndpointsAreNeverTouchedAndKeepUnlistedKeepsTheOthers() {
        let current = [Endpoint(id: 1, address: a1, flags: .implicit), Endpoint(id: 2, address: a2, flags: .subflow)]
        #expect(Plan.make(current: current, limits: defaults, endpoints: []).steps.map { PlanView.text($0) } == ["delete id 2 (10.0.2.2)"])
        #expect(Plan.make(current: current, limits: defaults, endpoints: [], keepUnlisted: true).isEmpty)
        // An unlisted endpoint holding an id the file wants goes even so.
        let plan = Plan.make(current: current, limits: defaults, endpoints: [EndpointSpec(address: a5, id: 2)], keepUnlisted: true)
        #expect(texts(plan) == ["replace id 2 (10.0.2.2) 10.0.2.2 subflow -> 10.0.2.5 noflags"])
    }

    @Test func noEndpointsKeyLeavesEndpointsAlone() {
        let current = [Endpoint(id: 2, address: a2, flags: .subflow)]
        #expect(texts(Plan.make(current: current, limits: defaults, endpoints: nil, wantedLimits: LimitsChange(addAddrAccepted: 3)))
            == ["set limits add_addr_accepted 0 -> 3"])
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
        #expect(throws: CLIError(.refused, "apply: ns1: add 10.0.2.9 id 6 signal: the kernel refused: EEXIST: too many addresses "
            + "or duplicate one: -17 (an endpoint with this address already exists; see 'mptcpctl endpoint show'); "
            + "rolled back: ns1 is as it was before apply")) {
            try execute(plan, on: kernel, saved: withIntruder)
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
        #expect(throws: CLIError(.unsupported, "apply: ns1: add 10.0.2.2: this kernel lacks address endpoints (it did not keep "
            + "flag 0x20; Linux 6.18 or later has them); rolled back: ns1 is as it was before apply")) {
            try execute(plan, on: kernel, saved: saved)
        }
        #expect(kernel.table == saved.endpoints)
        #expect(kernel.limits == saved.limits)
    }
}
