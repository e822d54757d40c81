import Foundation
import Testing

/// A refused command, whether mptcpctl or the kernel refuses it, leaves the namespace
/// byte for byte as it was; hostile input gets a clear one-line error.
struct NoTraceKernelTests {
    /// Lines refused before anything is sent (exit 2) and lines the kernel refuses (exit 1).
    /// (The limit one above the running kernel's maximum: 9 until 7.x, 65 since.)
    static var refused: [(line: String, status: Int32)] { [
        ("endpoint add 10.0.2.1 id 1", 1), ("endpoint add 10.0.2.9 id 2", 1), ("endpoint add 10.0.9.9 port 99 signal", 1),
        ("endpoint delete id 77", 1), ("endpoint change id 77 backup", 1), ("endpoint change id 2 fullmesh", 1),
        ("endpoint show id 77", 1), ("endpoint delete 10.9.9.9", 1), ("endpoint delete id 1 10.0.2.2", 1),
        ("endpoint add 10.0.2.5 signal fullmesh", 2), ("endpoint add 10.0.2.5 implicit", 2), ("endpoint add 10.0.2.5 port 80", 2),
        ("endpoint show id 0", 1), ("endpoint change id 0 backup", 1), ("endpoint add 10.0.2.5 id 256", 2), ("endpoint add 10.0.2.5 id 18446744073709551617", 2),
        ("endpoint add 10.0.2.5 port 65536 signal", 2), ("endpoint add 10.0.2.5 dev nosuch9", 2), ("endpoint add 10.0.2.5 dev ../x", 2),
        ("endpoint add 300.0.0.1", 2), ("endpoint add ::g", 2), ("endpoint change id 1 subflow", 2), ("endpoint change id 1", 2),
        ("endpoint flush now", 2), ("limits set subflows \(RunningKernel.limitMax + 1)", 1), ("limits set add_addr_accepted 300", 1), ("limits set subflows -1", 2),
        ("limits set add_addr_accepted 4294967296", 2), ("limits set bogus 1", 2), ("endpoint frob", 2), ("frob", 2),
        ("apply /nonexistent/file.yaml", 3),
    ] }

    @Test func everyRefusedCommandLeavesNoTrace() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 subflow backup")
            ns.expectSuccess("endpoint add 10.0.2.2 id 2 signal")
            // An address endpoint where the kernel has them (6.18+), else its clean refusal and a subflow one.
            if !ns.expectEndpointAdded("10.0.2.3 id 3 address dev v0") { ns.expectSuccess("endpoint add 10.0.2.3 id 3 subflow dev v0") }
            ns.expectSuccess("limits set subflows 3 add_addr_accepted 1")
            let before = ns.state
            let json = ns.mptcpctl("-j endpoint show").stdout
            for (line, status) in Self.refused {
                let result = ns.mptcpctl(line)
                #expect(result.status == status, "\(line)\n\(result)")
                #expect(result.stdout == "", "\(line)")
                #expect(result.stderr.hasPrefix("mptcpctl: ") && result.stderr.filter { $0 == "\n" }.count == 1,
                        "\(line): not one line: \(result.stderr)")
            }
            #expect(ns.state == before)
            #expect(ns.mptcpctl("-j endpoint show").stdout == json)
        }
    }

    @Test func argumentsThatAreNotUTF8() throws {
        try TestNamespace.with { ns in
            // The shell hands over raw bytes; Swift shows them as U+FFFD in the message.
            let result = Shell.run("bash", ["-c", #""$0" -n "$1" endpoint add "$(printf '10.0.2.1\xff')""#, Shell.mptcpctl, ns.name])
            #expect(result.status == 2)
            #expect(result.stderr == "mptcpctl: endpoint add: unknown word '10.0.2.1\u{FFFD}': expected an ADDRESS, id ID, "
                + "dev NAME, port NR or a flag (signal, subflow, address, backup, fullmesh)\n")
            let name = Shell.run("bash", ["-c", #""$0" -n "$(printf 'x\xfey')" endpoint show"#, Shell.mptcpctl])
            #expect(name.status == 3)
            #expect(name.stderr.hasPrefix("mptcpctl: network namespace 'x\u{FFFD}y' does not exist"))
            #expect(ns.state == "--\nadd_addr_accepted 0 subflows 2 \n")
        }
    }

    @Test func hugeAndNegativeNumbers() throws {
        try TestNamespace.with { ns in
            ns.expectFailure("endpoint add 10.0.2.1 id 99999999999999999999999999", status: 2,
                             message: "endpoint add: bad id '99999999999999999999999999': an id is a number from 1 to 255")
            ns.expectFailure("endpoint add 10.0.2.1 port -80 signal", status: 2,
                             message: "endpoint add: bad port '-80': a port is a number from 1 to 65535")
            ns.expectFailure("limits set subflows 0x100000000", status: 2,
                             message: "limits set: bad subflows '0x100000000': a limit is a whole number from 0 to 4294967295")
            ns.expectFailure("check address==1000", status: 2,
                             message: "check: bad number '1000' in 'address==1000': a count is a number from 0 to 255")
        }
    }
}
