import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// Every form of the endpoint grammar, and every rejection, without a kernel.
struct EndpointGrammarTests {
    let v4 = IPAddress("10.0.2.1")!
    let v6 = IPAddress("2001:db8::1")!

    func parse(_ verb: String, _ line: String) throws -> EndpointCommand {
        try EndpointCommand.parse(verb: verb, line.split(separator: " ").map(String.init))
    }

    func rejection(_ verb: String, _ line: String) -> CLIError? {
        do { _ = try parse(verb, line); return nil } catch { return error as? CLIError }
    }

    @Test func addTakesEveryOptionAndFlag() throws {
        #expect(try parse("add", "10.0.2.1 dev eth1 id 4 subflow backup")
            == .add(EndpointSpec(address: v4, id: 4, port: nil, flags: [.subflow, .backup], device: "eth1")))
        #expect(try parse("add", "10.0.2.1 port 10100 signal")
            == .add(EndpointSpec(address: v4, id: nil, port: 10100, flags: [.signal], device: nil)))
        #expect(try parse("add", "2001:db8::1 fullmesh")
            == .add(EndpointSpec(address: v6, id: nil, port: nil, flags: [.fullmesh], device: nil)))
        #expect(try parse("add", "signal 10.0.2.1") == .add(EndpointSpec(address: v4, id: nil, port: nil, flags: [.signal], device: nil)))
    }

    @Test func addressAndLaminarAreTheSameFlag() throws {
        let expected = EndpointCommand.add(EndpointSpec(address: v4, id: nil, port: nil, flags: [.address], device: nil))
        #expect(try parse("add", "10.0.2.1 address") == expected)
        #expect(try parse("add", "10.0.2.1 laminar") == expected)
        #expect(try parse("add", "10.0.2.1 subflow address")
            == .add(EndpointSpec(address: v4, id: nil, port: nil, flags: [.subflow, .address], device: nil)))
    }

    @Test func keywordsMayBeAbbreviatedAndNumbersWrittenAsIpReadsThem() throws {
        // "s" is not a flag word (flags are never abbreviated): it is rejected.
        #expect(rejection("add", "10.0.2.1 s")?.message.contains("unknown word 's'") == true)
        #expect(try parse("add", "10.0.2.1 i 0x10 d eth0 po 010 signal")
            == .add(EndpointSpec(address: v4, id: 16, port: 8, flags: [.signal], device: "eth0")))
    }

    /// What `ip` and the kernel take, mptcpctl takes: id 0 (the kernel picks, as without
    /// an id), and addresses no subflow can use (the runner warns once they are added).
    @Test func whatIPAndTheKernelTakeIsTaken() throws {
        #expect(try parse("add", "10.0.2.1 id 0 subflow") == .add(EndpointSpec(address: v4, flags: [.subflow])))
        for word in ["::ffff:10.0.3.2", "0.0.0.0", "::", "224.0.0.1", "ff02::1", "255.255.255.255"] {
            #expect(try parse("add", "\(word) signal") == .add(EndpointSpec(address: IPAddress(word)!, flags: [.signal])))
        }
        // An IPv4-mapped address stays IPv6, as written.
        #expect(IPAddress("::ffff:10.0.3.2")?.family == 10 && IPAddress("::ffff:10.0.3.2")?.description == "::ffff:10.0.3.2")
        // Id 0 names no endpoint: the kernel answers show and change; with an ADDRESS,
        // change looks the address up (as the kernel does for `ip`).
        #expect(try parse("show", "id 0") == .show(.id(0)))
        #expect(try parse("change", "id 0 backup") == .change(.init(selector: .id(0), set: [.backup], clear: [])))
        #expect(try parse("change", "id 0 10.0.2.1 backup") == .change(.init(selector: .address(v4, port: nil), set: [.backup], clear: [])))
    }

    @Test func nobackupAndNofullmeshAreAcceptedOnAdd() throws {
        #expect(try parse("add", "10.0.2.1 subflow nobackup nofullmesh")
            == .add(EndpointSpec(address: v4, id: nil, port: nil, flags: [.subflow], device: nil)))
    }

    @Test(arguments: [
        ("", "missing ADDRESS"),
        ("bogus", "unknown word 'bogus'"),
        ("10.0.2.1 10.0.2.2", "two addresses given, '10.0.2.1' and '10.0.2.2'"),
        ("10.0.2.1 id 256", "bad id '256'"),
        ("10.0.2.1 id -1", "bad id '-1'"),
        ("10.0.2.1 id x1", "bad id 'x1'"),
        ("10.0.2.1 id", "'id' needs a value"),
        ("10.0.2.1 id 1 id 2", "'id' given twice"),
        ("10.0.2.1 port 0 signal", "bad port '0'"),
        ("10.0.2.1 port 65536 signal", "bad port '65536'"),
        ("10.0.2.1 port 99999999999999999999999 signal", "bad port '99999999999999999999999'"),
        ("10.0.2.1 port 80", "'port' needs the 'signal' flag"),
        ("10.0.2.1 port 80 signal subflow", "'port' needs the 'signal' flag and not 'subflow'"),
        ("10.0.2.1 signal fullmesh", "'fullmesh' cannot go with 'signal'"),
        ("10.0.2.1 fullmesh signal", "'signal' cannot go with 'fullmesh'"),
        ("10.0.2.1 implicit", "'implicit' cannot be requested"),
        ("10.0.2.1 backup nobackup", "'nobackup' contradicts 'backup'"),
        ("10.0.2.1 signal signal", "flag 'signal' given twice"),
        ("10.0.2.1 dev a/b", "bad interface name 'a/b'"),
        ("10.0.2.1 dev abcdefghijklmnopq", "bad interface name 'abcdefghijklmnopq'"),
        ("10.0.2.1/24", "'10.0.2.1/24' has a prefix length (/24): an endpoint is one address; drop '/24' and write 10.0.2.1"),
        ("10.0.2.256", "unknown word '10.0.2.256'"),
    ])
    func addRejects(line: String, message: String) {
        let error = rejection("add", line)
        #expect(error?.exitCode == .usage)
        #expect(error?.message.hasPrefix("endpoint add: ") == true)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func deleteByIdByAddressOrBoth() throws {
        #expect(try parse("delete", "id 4") == .delete(.id(4)))
        #expect(try parse("delete", "10.0.2.1") == .delete(.address(v4, port: nil)))
        #expect(try parse("delete", "10.0.2.1 port 80") == .delete(.address(v4, port: 80)))
        #expect(try parse("delete", "id 4 10.0.2.1") == .delete(.idWithAddress(4, v4)))
        #expect(try parse("delete", "id 0 10.0.2.1") == .delete(.initialSubflows(v4)))
    }

    @Test(arguments: [
        ("", "missing id ID or ADDRESS"),
        ("id 0", "id 0 needs an ADDRESS"),
        ("id 4 signal", "'signal' is not used by delete"),
        ("id 4 port 80", "'port' cannot be used with 'id'"),
        ("id 4 dev eth0", "'dev' is not used here"),
    ])
    func deleteRejects(line: String, message: String) {
        let error = rejection("delete", line)
        #expect(error?.exitCode == .usage)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func changeSetsAndClears() throws {
        #expect(try parse("change", "id 4 backup")
            == .change(.init(selector: .id(4), set: [.backup], clear: [])))
        #expect(try parse("change", "10.0.2.1 nobackup fullmesh")
            == .change(.init(selector: .address(v4, port: nil), set: [.fullmesh], clear: [.backup])))
        #expect(try parse("change", "10.0.2.1 port 80 nofullmesh")
            == .change(.init(selector: .address(v4, port: 80), set: [], clear: [.fullmesh])))
        #expect(try parse("change", "id 4 10.0.2.1 backup")
            == .change(.init(selector: .id(4), set: [.backup], clear: [])))
    }

    @Test(arguments: [
        ("id 4", "missing CHANGE-OPT"),
        ("backup", "missing id ID or ADDRESS"),
        ("id 4 signal", "'signal' cannot be changed"),
        ("id 4 address", "'address' cannot be changed"),
        ("id 4 subflow", "'subflow' cannot be changed"),
        ("id 4 port 80 backup", "'port' cannot be used with 'id'"),
        ("id 4 fullmesh nofullmesh", "'nofullmesh' contradicts 'fullmesh'"),
    ])
    func changeRejects(line: String, message: String) {
        let error = rejection("change", line)
        #expect(error?.exitCode == .usage)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test func showAllOneByIdOrByAddress() throws {
        #expect(try parse("show", "") == .show(.all))
        #expect(try parse("show", "id 7") == .show(.id(7)))
        #expect(try parse("show", "2001:db8::1") == .show(.address(v6, port: nil)))
        #expect(rejection("show", "id 7 10.0.2.1")?.message.contains("not both") == true)
        #expect(rejection("show", "backup")?.message.contains("'backup' is not used by show") == true)
        #expect(rejection("show", "port 80")?.message.contains("'port' needs an ADDRESS") == true)
    }

    @Test func flushTakesNothing() throws {
        #expect(try parse("flush", "") == .flush)
        #expect(rejection("flush", "id 1")?.message == "endpoint flush: unexpected word 'id': flush takes no arguments")
    }
}
