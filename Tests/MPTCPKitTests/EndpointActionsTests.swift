import Testing
@testable import MPTCPKit

/// The endpoint commands' logic over a stand-in kernel (the real one is in KernelTests).
struct EndpointActionsTests {
    func run(_ kernel: FakeKernel, _ verb: String, _ line: String) throws -> String? {
        let words = line.split(separator: " ").map(String.init)
        let command = try EndpointCommand.parse(verb: verb, words)
        return try EndpointActions(manager: kernel, format: .text).run(command, operation: "endpoint \(verb) \(line)")
    }

    @Test func aKernelThatDropsTheAddressFlagLeavesNoEndpointBehind() throws {
        let kernel = FakeKernel()
        kernel.knownFlags = 0x1f
        _ = try run(kernel, "add", "10.0.0.1 subflow")
        let before = kernel.table
        #expect(throws: MPTCPError(.unsupported, "endpoint add 10.0.2.1 address: this kernel lacks address endpoints "
            + "(it did not keep flag 0x20; Linux 6.18 or later has them): the endpoint was removed again, nothing changed")) {
            _ = try run(kernel, "add", "10.0.2.1 address")
        }
        #expect(kernel.table == before)
        #expect(kernel.requests == ["add", "add", "delete 2"])
    }

    @Test func aKernelThatKeepsTheAddressFlagIsNotAskedTwice() throws {
        let kernel = FakeKernel()
        _ = try run(kernel, "add", "10.0.2.1 id 9 address")
        #expect(kernel.table.map(\.flags) == [.address])
        #expect(kernel.requests == ["add"])
    }

    @Test func changeKeepsTheFlagsNotNamed() throws {
        let kernel = FakeKernel()
        _ = try run(kernel, "add", "10.0.2.1 id 4 subflow fullmesh")
        _ = try run(kernel, "change", "id 4 backup")
        #expect(kernel.table[0].flags == [.subflow, .fullmesh, .backup])
        _ = try run(kernel, "change", "10.0.2.1 nofullmesh")
        #expect(kernel.table[0].flags == [.subflow, .backup])
    }

    @Test func deleteByAddressLooksTheIdUp() throws {
        let kernel = FakeKernel()
        _ = try run(kernel, "add", "10.0.2.1 id 4 subflow")
        _ = try run(kernel, "add", "10.0.2.2 id 5 subflow")
        _ = try run(kernel, "delete", "10.0.2.2")
        #expect(kernel.table.map(\.id) == [4])
        #expect(throws: MPTCPError(.refused, "endpoint delete 10.0.9.9: no endpoint has address 10.0.9.9; see 'mptcpctl endpoint show'")) {
            _ = try run(kernel, "delete", "10.0.9.9")
        }
        #expect(throws: MPTCPError(.refused, "endpoint delete id 4 10.0.2.2: endpoint id 4 has address 10.0.2.1, not 10.0.2.2: nothing deleted")) {
            _ = try run(kernel, "delete", "id 4 10.0.2.2")
        }
        #expect(kernel.table.map(\.id) == [4])
    }

    @Test func addWithAnUnknownDeviceSendsNothing() throws {
        let kernel = FakeKernel()
        #expect(throws: MPTCPError.usage("endpoint add 10.0.2.1 dev eth9: device 'eth9' does not exist in this namespace")) {
            _ = try run(kernel, "add", "10.0.2.1 dev eth9")
        }
        #expect(kernel.requests.isEmpty)
    }

    @Test func kernelRefusalsCarryTheErrnoNameAndTextVerbatim() throws {
        let kernel = FakeKernel()
        _ = try run(kernel, "add", "10.0.2.1")
        #expect(throws: MPTCPError(.refused, "endpoint add 10.0.2.1: the kernel refused: EEXIST: too many addresses or duplicate one: -17 "
            + "(an endpoint with this address already exists; see 'mptcpctl endpoint show')")) {
            _ = try run(kernel, "add", "10.0.2.1")
        }
    }

    @Test func environmentFailuresSayWhatToDo() {
        #expect(MPTCPError.from(.familyNotFound("mptcp_pm"), operation: "x") == MPTCPError(.environment,
            "this kernel has no MPTCP path manager (generic netlink family 'mptcp_pm' not found): use a kernel built with CONFIG_MPTCP=y"))
        #expect(MPTCPError.from(.kernel(errno: 1, message: nil), operation: "endpoint flush").exitCode == .environment)
    }
}
