import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

struct LimitsGrammarTests {
    func parse(_ verb: String, _ line: String) throws -> LimitsCommand {
        try LimitsCommand.parse(verb: verb, line.split(separator: " ").map(String.init))
    }

    @Test func setEitherBothOrNone() throws {
        #expect(try parse("set", "subflows 4 add_addr_accepted 4") == .set(LimitsChange(subflows: 4, addAddrAccepted: 4)))
        #expect(try parse("set", "add_addr_accepted 0") == .set(LimitsChange(subflows: nil, addAddrAccepted: 0)))
        #expect(try parse("set", "s 8 a 0x2") == .set(LimitsChange(subflows: 8, addAddrAccepted: 2)))
        #expect(try parse("set", "") == .set(LimitsChange(subflows: nil, addAddrAccepted: nil)))
        #expect(try parse("show", "") == .show)
        // Above Linux 6.18's 8: the running kernel is the one to refuse.
        #expect(try parse("set", "subflows 64") == .set(LimitsChange(subflows: 64, addAddrAccepted: nil)))
    }

    @Test(arguments: [
        ("set", "subflows 4294967296", "limits set: bad subflows '4294967296': a limit is a whole number from 0 to 4294967295"),
        ("set", "add_addr_accepted -1", "limits set: bad add_addr_accepted '-1': a limit is a whole number from 0 to 4294967295"),
        ("set", "subflows", "limits set: 'subflows' needs a value"),
        ("set", "bogus 1", "limits set: unknown limit 'bogus': expected subflows NR or add_addr_accepted NR"),
        ("set", "subflows 1 subflows 2", "limits set: 'subflows' given twice"),
        ("show", "subflows", "limits show: unexpected word 'subflows': show takes no arguments"),
    ])
    func rejects(verb: String, line: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try parse(verb, line) }
    }
}
