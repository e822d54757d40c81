import Glibc
import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// `apply -j`: each namespace's plan with how it ended (`outcome`, `failure`) and the
/// state after (`after`, as `export -j` writes it), run in-process over a fake kernel.
struct ApplyOutcomeTests {
    static let file = """
        limits: {subflows: 4}
        endpoints:
          - {address: 10.0.2.1, id: 1, flags: [subflow, backup]}
          - {address: 10.0.2.3, dev: eth1, flags: [address]}

        """

    func program() -> InProcess {
        InProcess(FakeKernel(table: [Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow),
                                     Endpoint(id: 2, address: IPAddress("10.0.2.2")!, flags: .signal)]))
    }

    /// Runs `line` with the state file in place of FILE; returns how it failed, nil for success.
    func run(_ program: InProcess, _ line: String, file text: String = Self.file) throws -> CLIError? {
        let path = "/tmp/mptcpctl-apply-outcome-\(getpid()).yaml"
        try TextFile.writeAtomically(path, text)
        defer { unlink(path) }
        do throws(CLIError) {
            try program.run(line.split(separator: " ").map { $0 == "FILE" ? path : String($0) }.joined(separator: " "))
            return nil
        } catch {
            return error
        }
    }

    let steps = #""steps":[{"action":"delete","id":2,"address":"10.0.2.2","text":"delete id 2 (10.0.2.2)"},"#
        + #"{"action":"change","id":1,"address":"10.0.2.1","text":"change id 1 (10.0.2.1) nobackup -> backup"},"#
        + #"{"action":"add","id":null,"address":"10.0.2.3","text":"add 10.0.2.3 dev eth1 address"},"#
        + #"{"action":"set limits","text":"set limits subflows 2 -> 4"}]"#

    @Test func aDryRunShowsTheStateThePlanWouldLeave() throws {
        let program = program()
        #expect(try run(program, "-j apply --dry-run FILE")?.exitCode == .changesPending)
        #expect(program.output == #"[{"netns":null,"# + steps + #","outcome":"planned","after":{"#
            + #""limits":{"subflows":4,"add_addr_accepted":0},"endpoints":[{"address":"10.0.2.1","id":1,"flags":["subflow","backup"]},"#
            + #"{"address":"10.0.2.3","dev":"eth1","flags":["address"]}]}}]"# + "\n")
        #expect(program.kernel.requests.isEmpty)
    }

    @Test func anApplyShowsTheStateItLeft() throws {
        let program = program()
        #expect(try run(program, "-j apply FILE") == nil)
        #expect(program.output == #"[{"netns":null,"# + steps + #","outcome":"applied","after":{"#
            + #""limits":{"subflows":4,"add_addr_accepted":0},"endpoints":[{"address":"10.0.2.1","id":1,"flags":["subflow","backup"]},"#
            + #"{"address":"10.0.2.3","id":2,"dev":"eth1","flags":["address"]}]}}]"# + "\n")
        #expect(try run(program, "-j apply FILE") == nil)
        #expect(program.output.hasPrefix(#"[{"netns":null,"steps":[],"outcome":"unchanged","after":{"limits":{"subflows":4,"#))
    }

    @Test func aRefusedStepIsNamedWithItsMessageAndTheStateRolledBackTo() throws {
        let program = program()
        let failure = try run(program, "-j apply FILE", file: "limits: {subflows: 9}\nendpoints: []\n")
        let message = "apply: (current): set limits subflows 2 -> 9: the kernel refused: EINVAL: limit greater than maximum (8); "
            + "rolled back: (current) is as it was before apply"
        #expect(failure == CLIError(.refused, message))
        #expect(program.output == #"[{"netns":null,"steps":[{"action":"delete","id":1,"address":"10.0.2.1","text":"delete id 1 (10.0.2.1)"},"#
            + #"{"action":"delete","id":2,"address":"10.0.2.2","text":"delete id 2 (10.0.2.2)"},"#
            + #"{"action":"set limits","text":"set limits subflows 2 -> 9"}],"outcome":"rolled back","failure":{"#
            + #""step":{"action":"set limits","text":"set limits subflows 2 -> 9"},"message":"\#(message)"},"after":{"#
            + #""limits":{"subflows":2,"add_addr_accepted":0},"endpoints":[{"address":"10.0.2.1","id":1,"flags":["subflow"]},"#
            + #"{"address":"10.0.2.2","id":2,"flags":["signal"]}]}}]"# + "\n")
    }

    @Test func aDroppedAddressFlagNamesItsAdd() throws {
        let program = program()
        program.kernel.knownFlags = 0x1f
        #expect(try run(program, "-j apply FILE")?.exitCode == .unsupported)
        #expect(program.output.contains(#""outcome":"rolled back","failure":{"step":{"action":"add","id":null,"#
            + #""address":"10.0.2.3","text":"add 10.0.2.3 dev eth1 address"},"message":"apply: (current): add 10.0.2.3: "#))
    }
}
