import Glibc
import Testing
@testable import MPTCPCtlCLI
import MPTCPKit

/// How plans and their failures are worded (the plans themselves, as values, are
/// MPTCPKitTests/PlanTests).
struct PlanViewTests {
    let a1 = IPAddress("10.0.2.1")!, a2 = IPAddress("10.0.2.2")!, a5 = IPAddress("10.0.2.5")!, a9 = IPAddress("10.0.2.9")!
    let defaults = Limits(subflows: 2, addAddrAccepted: 0)

    func texts(_ plan: Plan) -> [String] { plan.steps.map { PlanView.text($0, deviceName: { _ in nil }) } }

    @Test func eachStepIsOneLine() {
        let current = [
            Endpoint(id: 2, address: a2, flags: [.subflow, .backup]),
            Endpoint(id: 4, address: a9, flags: .subflow),
            Endpoint(id: 5, address: a5, flags: .subflow),
        ]
        #expect(texts(Plan.make(current: current, limits: defaults, endpoints: [
            EndpointSpec(address: a1, id: 3, flags: .subflow),
            EndpointSpec(address: a2, flags: .subflow),
            EndpointSpec(address: a5, id: 5, flags: .signal),
        ], wantedLimits: LimitsChange(subflows: 4))) == [
            "delete id 4 (10.0.2.9)",
            "replace id 5 (10.0.2.5) subflow -> signal",
            "change id 2 (10.0.2.2) backup -> nobackup",
            "add 10.0.2.1 id 3 subflow",
            "set limits subflows 2 -> 4",
        ])
        let ported = [Endpoint(id: 1, address: a1, port: 100, flags: .signal), Endpoint(id: 2, address: a2, flags: .subflow)]
        #expect(texts(Plan.make(current: ported, limits: defaults, endpoints: [
            EndpointSpec(address: a1, port: 100, flags: .signal, device: "eth1", interfaceIndex: 3),
            EndpointSpec(address: a2, id: 9, flags: .subflow),
        ])) == [
            "delete id 2 (10.0.2.2)",
            "replace id 1 (10.0.2.1) nodev -> dev eth1",
            "add 10.0.2.2 id 9 subflow",
        ])
        let implicit = [Endpoint(id: 1, address: a1, flags: .implicit), Endpoint(id: 2, address: a2, flags: .subflow)]
        #expect(Plan.make(current: implicit, limits: defaults, endpoints: []).steps.map { PlanView.text($0) } == ["delete id 2 (10.0.2.2)"])
        #expect(texts(Plan.make(current: implicit, limits: defaults, endpoints: [EndpointSpec(address: a5, id: 2)], keepUnlisted: true))
            == ["replace id 2 (10.0.2.2) 10.0.2.2 subflow -> 10.0.2.5 noflags"])
        #expect(texts(Plan.make(current: [Endpoint(id: 2, address: a2, flags: .subflow)], limits: defaults, endpoints: nil,
                                wantedLimits: LimitsChange(addAddrAccepted: 3)))
            == ["set limits add_addr_accepted 0 -> 3"])
    }

    @Test func aRefusedStepIsWordedWithTheKernelsAnswerAndTheRollback() {
        let refused = PlanFailure(cause: .step(.add(EndpointSpec(address: a9, id: 6, flags: .signal)),
                                               .kernel(Errno(rawValue: EEXIST), extack: "too many addresses or duplicate one: -17")),
                                  rollback: .restored)
        #expect(CLIError(refused, label: "ns1") == CLIError(.refused, "apply: ns1: add 10.0.2.9 id 6 signal: the kernel refused: EEXIST: too many addresses "
            + "or duplicate one: -17 (an endpoint with this address already exists; see 'mptcpctl endpoint show'); "
            + "rolled back: ns1 is as it was before apply"))
        #expect(CLIError(PlanFailure(cause: .addressFlagDropped(a2), rollback: .restored), label: "ns1")
            == CLIError(.unsupported, "apply: ns1: add 10.0.2.2: this kernel lacks address endpoints (it did not keep "
                + "flag 0x20; Linux 6.18 or later has them); rolled back: ns1 is as it was before apply"))
    }
}
