import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

struct ExpectationTests {
    let snapshot = NamespaceSnapshot(
        netns: "ns", endpoints: [
            Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: [.subflow, .backup]),
            Endpoint(id: 2, address: IPAddress("2001:db8::2")!, flags: [.address]),
            Endpoint(id: 3, address: IPAddress("10.0.2.3")!, flags: []),
        ],
        limits: Limits(subflows: 4, addAddrAccepted: 2), kernel: .unavailable)

    func holds(_ text: String) throws -> Bool { try Expectation(text).evaluate(snapshot).holds }

    @Test(arguments: [
        ("endpoints==3", true), ("endpoints==2", false), ("address!=0", true), ("address!=1", false),
        ("subflow>=1", true), ("subflow>=2", false), ("backup<=1", true), ("backup<=0", false),
        ("subflows>3", true), ("subflows>4", false), ("add_addr_accepted<3", true), ("add_addr_accepted<2", false),
        ("signal==0", true), ("fullmesh==0", true), ("implicit==0", true),
        ("endpoint=10.0.2.1", true), ("endpoint=10.0.2.9", false),
        ("endpoint=10.0.2.1:subflow,backup", true), ("endpoint=10.0.2.1:backup,subflow", true), ("endpoint=10.0.2.1:subflow", false),
        ("endpoint=2001:db8::2", true), ("endpoint=2001:db8::2:address", true), ("endpoint=2001:db8::2:laminar", true),
        ("endpoint=[2001:db8::2]:address", true), ("endpoint=[2001:db8::2]:", false),
        ("endpoint=10.0.2.3:", true), ("endpoint=10.0.2.3:signal", false),
    ])
    func evaluates(text: String, expected: Bool) throws {
        #expect(try holds(text) == expected)
    }

    @Test func whatWasFound() throws {
        #expect(try Expectation("address==2").evaluate(snapshot).found == "address=1")
        #expect(try Expectation("endpoint=10.0.2.1:signal").evaluate(snapshot).found == "10.0.2.1 (id 1) with flags subflow,backup")
        #expect(try Expectation("endpoint=10.0.2.3:signal").evaluate(snapshot).found == "10.0.2.3 (id 3) with flags (none)")
        #expect(try Expectation("endpoint=10.9.9.9").evaluate(snapshot).found == "no endpoint with address 10.9.9.9")
    }

    @Test(arguments: [
        ("address", "check: bad expectation 'address': write KEY OP NUMBER (address==2), endpoint=ADDRESS[:FLAG,...] or path=LOCAL>REMOTE"),
        ("address=2", "check: bad operator in 'address=2': use ==, !=, >=, <=, > or <"),
        ("addresses==2", "check: unknown counter 'addresses' in 'addresses==2': expected endpoints, signal, subflow, address, fullmesh, backup, implicit, subflows, add_addr_accepted, connections, live_subflows"),
        ("address==", "check: bad number '' in 'address==': a count is a number from 0 to 255"),
        ("address==-1", "check: bad number '-1' in 'address==-1': a count is a number from 0 to 255"),
        ("address==x", "check: bad number 'x' in 'address==x': a count is a number from 0 to 255"),
        ("endpoint=10.0.2", "check: bad address '10.0.2' in 'endpoint=10.0.2'"),
        ("endpoint=10.0.2.1:bogus", "check: unknown flag 'bogus' in 'endpoint=10.0.2.1:bogus': expected signal, subflow, backup, fullmesh, implicit, address"),
    ])
    func rejects(text: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try Expectation(text) }
    }
}
