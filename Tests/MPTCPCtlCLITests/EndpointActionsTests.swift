import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing
@testable import MPTCPCtlCLI

/// The endpoint commands run in-process over the fake kernel (the real one is in
/// KernelTests): what they send, and what a person reads when it fails.
struct EndpointActionsTests {
    @Test func aKernelThatDropsTheAddressFlagLeavesNoEndpointBehind() throws {
        let program = InProcess()
        program.kernel.knownFlags = 0x1f
        try program.run("endpoint add 10.0.0.1 subflow")
        let before = program.kernel.table
        #expect(throws: CLIError(.unsupported, "endpoint add 10.0.2.1 address: this kernel lacks address endpoints "
            + "(it did not keep flag 0x20; Linux 6.18 or later has them): the endpoint was removed again, nothing changed")) {
            try program.run("endpoint add 10.0.2.1 address")
        }
        #expect(program.kernel.table == before)
        #expect(program.kernel.requests == ["add", "add", "delete 2"])
    }

    @Test func aKernelThatKeepsTheAddressFlagIsNotAskedTwice() throws {
        let program = InProcess()
        try program.run("endpoint add 10.0.2.1 id 9 address")
        #expect(program.kernel.table.map(\.flags) == [.address])
        #expect(program.kernel.requests == ["add"])
    }

    @Test func changeKeepsTheFlagsNotNamed() throws {
        let program = InProcess()
        try program.run("endpoint add 10.0.2.1 id 4 subflow fullmesh")
        try program.run("endpoint change id 4 backup")
        #expect(program.kernel.table[0].flags == [.subflow, .fullmesh, .backup])
        try program.run("endpoint change 10.0.2.1 nofullmesh")
        #expect(program.kernel.table[0].flags == [.subflow, .backup])
    }

    @Test func deleteByAddressLooksTheIdUp() throws {
        let program = InProcess()
        try program.run("endpoint add 10.0.2.1 id 4 subflow")
        try program.run("endpoint add 10.0.2.2 id 5 subflow")
        try program.run("endpoint delete 10.0.2.2")
        #expect(program.kernel.table.map(\.id) == [4])
        #expect(throws: CLIError(.refused, "endpoint delete 10.0.9.9: no endpoint has address 10.0.9.9; see 'mptcpctl endpoint show'")) {
            try program.run("endpoint delete 10.0.9.9")
        }
        #expect(throws: CLIError(.refused, "endpoint delete id 4 10.0.2.2: endpoint id 4 has address 10.0.2.1, not 10.0.2.2: nothing deleted")) {
            try program.run("endpoint delete id 4 10.0.2.2")
        }
        #expect(program.kernel.table.map(\.id) == [4])
    }

    @Test func addWithAnUnknownDeviceSendsNothing() throws {
        let program = InProcess()
        #expect(throws: CLIError.usage("endpoint add 10.0.2.1 dev eth9: device 'eth9' does not exist in this namespace")) {
            try program.run("endpoint add 10.0.2.1 dev eth9")
        }
        #expect(program.kernel.requests.isEmpty)
    }

    @Test func kernelRefusalsCarryTheErrnoNameAndTextVerbatim() throws {
        let program = InProcess()
        try program.run("endpoint add 10.0.2.1")
        #expect(throws: CLIError(.refused, "endpoint add 10.0.2.1: the kernel refused: EEXIST: too many addresses or duplicate one: -17 "
            + "(an endpoint with this address already exists; see 'mptcpctl endpoint show')")) {
            try program.run("endpoint add 10.0.2.1")
        }
    }

    @Test func twoEndpointsWithOneAddressNeedAnIdOrAPort() throws {
        let program = InProcess()
        try program.run("endpoint add 10.0.2.1 id 1 port 1000 signal")
        try program.run("endpoint add 10.0.2.1 id 2 port 2000 signal")
        #expect(throws: CLIError.usage("endpoint show 10.0.2.1: endpoints 1, 2 all have address 10.0.2.1: name one with 'id ID' or 'port NR'")) {
            try program.run("endpoint show 10.0.2.1")
        }
        #expect(try program.run("-j endpoint show 10.0.2.1 port 2000")
            == #"[{"address":"10.0.2.1","port":2000,"id":2,"signal":true,"ifindex":0,"flags":["signal"]}]"# + "\n")
    }

    @Test func environmentFailuresSayWhatToDo() {
        #expect(CLIError(PathManagerError(.familyNotFound("mptcp_pm")), operation: "x") == CLIError(.environment,
            "this kernel has no MPTCP path manager (generic netlink family 'mptcp_pm' not found): use a kernel built with CONFIG_MPTCP=y"))
        #expect(CLIError(PathManagerError(.kernel(Errno(rawValue: 1), extack: nil)), operation: "endpoint flush").exitCode == .environment)
    }
}
