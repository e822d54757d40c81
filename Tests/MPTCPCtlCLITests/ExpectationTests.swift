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
        ("address", "check: bad expectation 'address': write KEY OP NUMBER (address==2), endpoint=ADDRESS[:FLAG,...], path=LOCAL>REMOTE or program=NAME"),
        ("program=", "check: bad program expectation 'program=': expected program=NAME, a process name as ps and /proc/PID/comm show it (program=curl)"),
        ("program=/usr/bin/curl", "check: bad program '/usr/bin/curl' in 'program=/usr/bin/curl': give the process name, not a path (program=curl)"),
        ("address=2", "check: bad operator in 'address=2': use ==, !=, >=, <=, > or <"),
        ("addresses==2", "check: unknown counter 'addresses' in 'addresses==2': expected endpoints, signal, subflow, address, fullmesh, backup, implicit, subflows, add_addr_accepted, connections, live_subflows, stalled_subflows"),
        ("address==", "check: bad number '' in 'address==': a count is a number from 0 to 255"),
        ("address==-1", "check: bad number '-1' in 'address==-1': a count is a number from 0 to 255"),
        ("address==x", "check: bad number 'x' in 'address==x': a count is a number from 0 to 255"),
        ("endpoint=10.0.2", "check: bad address '10.0.2' in 'endpoint=10.0.2'"),
        ("endpoint=10.0.2.1:bogus", "check: unknown flag 'bogus' in 'endpoint=10.0.2.1:bogus': expected signal, subflow, backup, fullmesh, implicit, address"),
    ])
    func rejects(text: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try Expectation(text) }
    }

    /// program=NAME on a namespace whose first connection curl (pid 310) and sh share,
    /// the second python3 holds, and a third no process does.
    @Test func programHoldsWhenANamedProcessHoldsAConnection() throws {
        var live = snapshot
        live.connections = [4242, 77, 0].map { inode in
            Connection(token: 1, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 1, remotePort: 2,
                       state: 1, inode: inode)
        }
        let owners = SocketOwners([
            4242: [SocketOwners.Owner(pid: 310, name: "curl", fd: 5), SocketOwners.Owner(pid: 312, name: "sh", fd: 3)],
            77: [SocketOwners.Owner(pid: 9, name: "python3", fd: 3)],
        ])
        func evaluate(_ text: String, _ snapshot: NamespaceSnapshot) throws -> (Bool, String) {
            let result = try Expectation(text).evaluate(snapshot, owners: owners)
            return (result.holds, result.found)
        }
        let held = "MPTCP connections held by python3 (pid 9), curl (pid 310), sh (pid 312)"
        #expect(try evaluate("program=curl", live) == (true, held))
        #expect(try evaluate("program=sh", live) == (true, held))
        #expect(try evaluate(" program=python3", live) == (true, held))
        #expect(try evaluate("program=nosuchprog", live) == (false, held))
        #expect(try evaluate("program=Curl", live) == (false, held))
        #expect(try evaluate("program=cur", live) == (false, held))
        // A listener is no connection; no connection at all, or none held by a process found.
        var listening = snapshot
        listening.connections = [Connection(token: 0, local: IPAddress("0.0.0.0")!, remote: IPAddress("0.0.0.0")!, localPort: 80,
                                            remotePort: 0, state: 10, inode: 77)]
        #expect(try evaluate("program=python3", listening) == (false, "no MPTCP connection"))
        var orphaned = snapshot
        orphaned.connections = [live.connections![2]]
        #expect(try evaluate("program=curl", orphaned) == (false, "1 MPTCP connection(s), held by no process found"))
        #expect(try Expectation("program=Web Content").text == "program=Web Content")
        // Many processes: the first five by pid, and how many more.
        var busy = snapshot
        busy.connections = (1...8).map { Connection(token: 1, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: 1,
                                                    remotePort: 2, state: 1, inode: UInt32($0)) }
        let many = SocketOwners(Dictionary(uniqueKeysWithValues: (1...8).map { (UInt64($0), [SocketOwners.Owner(pid: Int32(100 - $0), name: "w\($0)", fd: 3)]) }))
        #expect(try Expectation("program=w8").evaluate(busy, owners: many) == (true, "MPTCP connections held by w8 (pid 92), w7 (pid 93), "
            + "w6 (pid 94), w5 (pid 95), w4 (pid 96) and 3 more"))
        #expect(try Expectation("program=curl").isLive && Expectation("program=curl").needsProcesses)
        #expect(try !Expectation("connections==1").needsProcesses)
    }
}
