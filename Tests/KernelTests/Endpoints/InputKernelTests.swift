import Foundation
import Testing

/// Input that cannot work gets one clear line, exit 2, and the namespace is untouched;
/// input that can work in another spelling (a zone, blanks in `check`, `laminar`)
/// works; limits are the running kernel's to refuse; an export applies as a no-op even
/// when an endpoint's interface has gone.
struct InputKernelTests {
    @Test(arguments: [
        ("endpoint add 10.0.2.1/24 subflow", "endpoint add: '10.0.2.1/24' has a prefix length (/24): an endpoint is one address; drop '/24' and write 10.0.2.1"),
        ("endpoint add 2001:db8::1/64", "endpoint add: '2001:db8::1/64' has a prefix length (/64): an endpoint is one address; drop '/64' and write 2001:db8::1"),
        ("endpoint add address 10.0.2.1", "endpoint add: 'address' directly before the ADDRESS is almost always a slip: for an address endpoint write 'endpoint add 10.0.2.1 address'"),
        ("endpoint add fe80::1%v0 dev v1 subflow", "endpoint add: the zone of 'fe80::1%v0' says dev v0, but 'dev v1' is given: give one"),
        ("endpoint add dev v1 fe80::1%v0 subflow", "endpoint add: the zone of 'fe80::1%v0' says dev v0, but 'dev v1' is given: give one"),
        ("endpoint add fe80::1% subflow", "endpoint add: 'fe80::1%': nothing after '%': write the interface, or drop '%'"),
        ("limits set subflows -1", "limits set: bad subflows '-1': a limit is a whole number from 0 to 4294967295"),
        ("limits set add_addr_accepted 4294967296", "limits set: bad add_addr_accepted '4294967296': a limit is a whole number from 0 to 4294967295"),
    ])
    func refusedBeforeTheKernel(line: String, message: String) throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.9 id 1 subflow")
            ns.expectFailure(line, status: 2, message: message)
        }
    }

    /// An option's value that starts with a combining mark (U+0301) is that option's
    /// value: a bad one is one line naming it, exit 2, before anything is opened or read.
    @Test func aValueStartingWithACombiningMarkIsThatOptionsValue() {
        #expect(Shell.run(Shell.mptcpctl, ["monitor", "--count", "\u{301}5"]) == CommandResult(status: 2, stdout: "",
            stderr: "mptcpctl: monitor: bad --count '\u{301}5': a count is a whole number, 1 or more\n"))
        #expect(Shell.run(Shell.mptcpctl, ["sync", "--interval", "\u{301}5", "/nonexistent.yaml"]) == CommandResult(status: 2, stdout: "",
            stderr: "mptcpctl: sync: bad --interval '\u{301}5': an interval is a number of seconds from 1 to 86400\n"))
    }

    @Test func aZoneIsTheDevice() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add fe80::1%v0 subflow")
            ns.expectSuccess("endpoint add fe80::2%v0 dev v0 subflow")
            #expect(ns.ip("mptcp endpoint show").stdout == "fe80::1 id 1 subflow dev v0 \nfe80::2 id 2 subflow dev v0 \n")
            ns.expectFailure("endpoint add fe80::3%nosuch0 subflow", status: 2,
                             message: "endpoint add fe80::3%nosuch0 subflow: device 'nosuch0' does not exist in this namespace")
        }
    }

    @Test func checkTakesBlanksAroundTheOperatorAndLaminar() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            // Without address endpoints (before Linux 6.18): refused, a signal endpoint
            // instead, and none to count.
            let address = ns.expectEndpointAdded("10.0.2.2 address")
            if !address { ns.expectSuccess("endpoint add 10.0.2.2 signal") }
            let count = address ? 1 : 0
            let quoted = Shell.run(Shell.mptcpctl, ["-n", ns.name, "check", "endpoints >= 2", "laminar == \(count)", "address==\(count)"])
            #expect(quoted == CommandResult(status: 0, stdout: "", stderr: ""))
            let split = Shell.run(Shell.mptcpctl, ["-n", ns.name, "check", "endpoints", ">=", "3", "laminar", "==\(count)"])
            #expect(split == CommandResult(status: 5, stdout: "check failed: endpoints>=3: found endpoints=2\n",
                                           stderr: "mptcpctl: check: 1 of 2 expectation(s) do not hold\n"))
        }
    }

    /// 8 is Linux 6.18's maximum (64 on 7.2), not mptcpctl's: the value reaches the kernel,
    /// which refuses one above its maximum with its own words and changes nothing.
    @Test func limitsAboveEightAreTheKernelsToRefuse() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("limits set subflows 3 add_addr_accepted 1")
            let max = RunningKernel.limitMax, words = RunningKernel.limitError
            #expect(max >= 8, "the kernel's maximum: \(max)")
            if max >= 64 {
                ns.expectSuccess("limits set subflows 64")
                #expect(ns.ip("mptcp limits show").stdout == "add_addr_accepted 1 subflows 64 \n")
            } else {
                ns.expectFailure("limits set subflows 64", status: 1,
                                 message: "limits set subflows 64: the kernel refused: EINVAL: \(words)")
            }
            // The kernel's own maximum, in its own words.
            #expect(words.hasPrefix("limit greater than maximum"), "\(words)")
            ns.expectSuccess("limits set add_addr_accepted \(max)")
            ns.expectFailure("limits set add_addr_accepted \(max + 1)", status: 1,
                             message: "limits set add_addr_accepted \(max + 1): the kernel refused: EINVAL: \(words)")
            #expect(!ns.mptcpctl("endpoint show").stdout.contains(" of \(max)"))
        }
    }

    @Test func exportThenApplyIsANoOpWhenAnInterfaceHasGone() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 id 3 dev v0 subflow")
            ns.expectSuccess("endpoint add 10.0.2.2 id 4 dev lo subflow")
            ns.ip("link del v0")
            let exported = ns.mptcpctl("export")
            #expect(exported.status == 0)
            #expect(exported.stdout.contains("  - address: 10.0.2.1\n    id: 3\n    ifindex: "), "\(exported)")
            #expect(exported.stdout.contains("  - address: 10.0.2.2\n    id: 4\n    dev: lo\n"))
            let file = NSTemporaryDirectory() + "mptcpctl-export-\(getpid()).yaml"
            try exported.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let before = ns.state
            let dry = ns.mptcpctl("apply --dry-run \(file)")
            #expect(dry.status == 0, "\(dry)")
            #expect(ns.mptcpctl("apply \(file)").status == 0)
            #expect(ns.state == before)
        }
    }
}
