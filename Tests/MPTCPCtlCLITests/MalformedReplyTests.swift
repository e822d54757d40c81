import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing
@testable import MPTCPCtlCLI

/// A kernel reply that does not read as the uapi says: the command that read it fails
/// (exit 3) naming the first bad attribute, rather than show, export or plan from part
/// of the namespace; the monitor prints a bad event without the attribute and says so.
struct MalformedReplyTests {
    static let badID = MalformedAttribute("MPTCP_PM_ADDR_ATTR_ID", .size(2, expected: 1))

    static func kernel() -> FakeKernel {
        let kernel = FakeKernel(table: [Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow)])
        kernel.malformedDump = badID
        return kernel
    }

    @Test(arguments: ["endpoint show", "-j endpoint show", "export", "-j export"])
    func aReadingCommandFailsNamingTheAttribute(line: String) {
        let result = InProcess(Self.kernel()).result(line)
        let operation = line.hasPrefix("-j ") ? String(line.dropFirst(3)) : line
        #expect(result.status == 3)
        #expect(result.output == "")
        #expect(result.errors.hasSuffix("the kernel's reply is malformed: MPTCP_PM_ADDR_ATTR_ID has 2 byte(s), not 1; "
            + "stopped rather than act on part of it\n"), "\(operation): \(result.errors)")
    }

    /// `apply` of a file that lists no endpoint would delete the ones it did not see:
    /// it stops before its plan, and nothing is changed.
    @Test func applyChangesNothing() throws {
        let kernel = Self.kernel()
        let program = InProcess(kernel)
        var context = program.context
        context.readFile = { _, _ throws(CLIError) in "endpoints: []\n" }
        #expect(throws: CLIError(.environment, "apply: reading (current): the kernel's reply is malformed: MPTCP_PM_ADDR_ATTR_ID has 2 "
            + "byte(s), not 1; stopped rather than act on part of it")) {
            try CommandLineTool.run(["mptcpctl", "apply", "f"], context: context)
        }
        #expect(kernel.requests == [])
        #expect(kernel.table.count == 1)
    }

    @Test func theWordsOfEachProblem() {
        #expect(CLIError.describe(MalformedAttribute("INET_DIAG_INFO (struct mptcp_info)", .short(8, minimum: 16)))
            == "INET_DIAG_INFO (struct mptcp_info) has 8 byte(s), fewer than 16")
        #expect(CLIError.describe(MalformedAttribute("MPTCP_PM_ATTR_ADDR", .missing)) == "MPTCP_PM_ATTR_ADDR is missing")
        #expect(CLIError(.malformedReply(Self.badID), operation: "limits show").exitCode == .environment)
    }

    /// An event with an IPv4 address of three bytes: printed without it, and a warning.
    @Test func aMalformedEventIsSaidNotFatal() throws {
        let bytes = genericMessage(command: 10, attribute(1, le32(7)) + attribute(5, [10, 0, 0]) + attribute(9, be16(443)))
        let event = PathManagerEvent(message: try #require(GenericMessage(bytes: bytes)))
        #expect(EventView.malformed(event) == "sub_established event: MPTCP_ATTR_SADDR4 has 3 byte(s), not 4: shown without it")
        let fine = PathManagerEvent(message: try #require(GenericMessage(bytes: genericMessage(command: 10, attribute(1, le32(7))))))
        #expect(EventView.malformed(fine) == nil)
    }
}
