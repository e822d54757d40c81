import Foundation
import Testing

/// `check` against real namespaces: every operator, true and false.
struct CheckKernelTests {
    /// Without address endpoints (before Linux 6.18), 2001:db8::2 is refused as one and
    /// added as a signal endpoint instead: the same operators, on what the kernel has.
    @Test func everyOperatorTrueAndFalse() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 subflow backup")
            let address = ns.expectEndpointAdded("2001:db8::2 address")
            if !address { ns.expectSuccess("endpoint add 2001:db8::2 signal") }
            let (flag, count) = address ? ("address", 1) : ("signal", 0)
            ns.expectSuccess("limits set subflows 4 add_addr_accepted 2")
            ns.expectSuccess("check endpoints==2 address!=\(1 - count) subflow>=1 backup<=1 subflows>3 add_addr_accepted<3 "
                + "signal==\(count == 1 ? 0 : 1) fullmesh==0 implicit==0 endpoint=10.0.2.1:subflow,backup endpoint=2001:db8::2:\(flag) "
                + "endpoint=2001:db8::2")
            let result = ns.mptcpctl("check endpoints==1 address!=\(count) subflow>=2 backup<=0 subflows>4 add_addr_accepted<2 "
                + "endpoint=10.0.2.1:subflow endpoint=10.9.9.9 signal==\(count == 1 ? 0 : 1)")
            #expect(result == CommandResult(status: 5, stdout: """
                check failed: endpoints==1: found endpoints=2
                check failed: address!=\(count): found address=\(count)
                check failed: subflow>=2: found subflow=1
                check failed: backup<=0: found backup=1
                check failed: subflows>4: found subflows=4
                check failed: add_addr_accepted<2: found add_addr_accepted=2
                check failed: endpoint=10.0.2.1:subflow: found 10.0.2.1 (id 1) with flags subflow,backup
                check failed: endpoint=10.9.9.9: found no endpoint with address 10.9.9.9

                """, stderr: "mptcpctl: check: 8 of 9 expectation(s) do not hold\n"))
        }
    }

    @Test func jsonResultsAndBadExpectations() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("check -j address==0", output:
                #"[{"netns":"\#(ns.name)","expectation":"address==0","holds":true,"found":"address=0"}]"# + "\n")
            ns.expectFailure("check address=1", status: 2, message: "check: bad operator in 'address=1': use ==, !=, >=, <=, > or <")
            ns.expectFailure("check", status: 2, message: "check: missing EXPECTATION: e.g. 'address>=1' or endpoint=10.0.2.1:address")
        }
    }

    @Test func everyNamespace() throws {
        try TestNamespace.with { a in
            try TestNamespace.with { b in
                // Without address endpoints: refused, and a subflow endpoint to check for instead.
                let flag = a.expectEndpointAdded("10.0.2.1 address") ? "address" : "subflow"
                if flag == "subflow" { a.expectSuccess("endpoint add 10.0.2.1 subflow") }
                let result = Shell.run(Shell.mptcpctl, ["check", "--all-netns", "\(flag)==1"])
                #expect(result.status == 5)
                #expect(result.stdout.contains("check failed in \(b.name): \(flag)==1: found \(flag)=0\n"))
                #expect(!result.stdout.contains("in \(a.name):"))
            }
        }
    }
}
