import Foundation
import Testing

/// `apply` and `export` against the real kernel: plans, idempotence, dry-run, rollback,
/// validation, and the export/apply round trip.
struct ApplyKernelTests {
    static func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "mptcpctl-apply-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let desired = """
        limits:
          subflows: 4
          add_addr_accepted: 2
        endpoints:
          - address: 10.0.2.1
            id: 3
            flags: [subflow]
          - address: 10.0.2.2
            flags: [subflow]
          - address: 10.0.2.5
            id: 5
            flags: [signal]
          - address: "2001:db8::1"
            flags: [address]
        """

    /// A namespace holding one endpoint of each kind of difference from `desired`.
    func prepare(_ ns: TestNamespace) {
        ns.expectSuccess("endpoint add 10.0.2.9 id 4 subflow")
        ns.expectSuccess("endpoint add 10.0.2.2 id 2 subflow backup")
        ns.expectSuccess("endpoint add 10.0.2.5 id 5 subflow")
    }

    static let plan = """
        delete id 4 (10.0.2.9)
        replace id 5 (10.0.2.5) subflow -> signal
        change id 2 (10.0.2.2) backup -> nobackup
        add 10.0.2.1 id 3 subflow
        add 2001:db8::1 address
        set limits subflows 2 -> 4 add_addr_accepted 0 -> 2
        """

    func planLines(_ ns: TestNamespace) -> String {
        Self.plan.split(separator: "\n").map { "\(ns.name): \($0)\n" }.joined()
    }

    @Test func dryRunPrintsThePlanChangesNothingAndExitsSix() throws {
        try TestNamespace.with { ns in
            prepare(ns)
            let file = try Self.write(Self.desired)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let before = ns.state
            let result = ns.mptcpctl("apply --dry-run \(file)")
            #expect(result == CommandResult(status: 6, stdout: planLines(ns),
                                            stderr: "mptcpctl: apply --dry-run: 6 change(s) pending; nothing was changed\n"))
            #expect(ns.state == before)
        }
    }

    @Test func applyCarriesOutThePlanAndASecondApplyChangesNothing() throws {
        try TestNamespace.with { ns in
            prepare(ns)
            var desired = Self.desired, plan = planLines(ns), last = "2001:db8::1 id 6 rawflags 20"
            if !RunningKernel.hasAddressEndpoints {
                // The clean refusal: exit 4 at the address endpoint, everything rolled back.
                let file = try Self.write(desired)
                defer { try? FileManager.default.removeItem(atPath: file) }
                let before = ns.state
                let refused = ns.mptcpctl("apply \(file)")
                #expect(refused.status == 4 && refused.stdout == plan, "\(refused)")
                #expect(refused.stderr == "mptcpctl: apply: \(ns.name): add 2001:db8::1: this kernel lacks address endpoints "
                    + "(it did not keep flag 0x20; Linux 6.18 or later has them); rolled back: \(ns.name) is as it was before apply\n")
                #expect(ns.state == before)
                // The rest with a subflow endpoint in its place.
                desired = desired.replacingOccurrences(of: "flags: [address]", with: "flags: [subflow]")
                plan = plan.replacingOccurrences(of: "add 2001:db8::1 address", with: "add 2001:db8::1 subflow")
                last = "2001:db8::1 id 6 subflow"
            }
            let file = try Self.write(desired)
            defer { try? FileManager.default.removeItem(atPath: file) }
            ns.expectSuccess("apply \(file)", output: plan)
            #expect(ns.state == """
                10.0.2.2 id 2 subflow \n10.0.2.1 id 3 subflow \n10.0.2.5 id 5 signal \n\(last) \n\
                --\nadd_addr_accepted 2 subflows 4 \n
                """)
            let after = ns.state
            ns.expectSuccess("apply \(file)", output: "\(ns.name): no changes\n")
            ns.expectSuccess("apply --dry-run \(file)", output: "\(ns.name): no changes\n")
            #expect(ns.state == after)
            ns.expectSuccess("-j apply --dry-run \(file)", output: #"[{"netns":"\#(ns.name)","steps":[],"outcome":"unchanged","after":{"#
                + #""limits":{"subflows":4,"add_addr_accepted":2},"endpoints":[{"address":"10.0.2.2","id":2,"flags":["subflow"]},"#
                + #"{"address":"10.0.2.1","id":3,"flags":["subflow"]},{"address":"10.0.2.5","id":5,"flags":["signal"]},"#
                + #"{"address":"2001:db8::1","id":6,"flags":["\#(RunningKernel.hasAddressEndpoints ? "address" : "subflow")"]}]}}]"# + "\n")
            // `after` is what export reads.
            let exported = ns.mptcpctl("-j export").stdout.dropLast()
            #expect(ns.mptcpctl("-j apply \(file)").stdout.contains(#""after":\#(exported)}]"#))
        }
    }

    @Test func keepUnlistedLeavesOtherEndpoints() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.9 id 9 signal")
            let file = try Self.write("endpoints:\n  - address: 10.0.2.1\n    flags: [subflow]\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            ns.expectSuccess("apply --keep-unlisted \(file)", output: "\(ns.name): add 10.0.2.1 subflow\n")
            #expect(ns.state == "10.0.2.9 id 9 signal \n10.0.2.1 id 10 subflow \n--\nadd_addr_accepted 0 subflows 2 \n")
            ns.expectSuccess("apply \(file)", output: "\(ns.name): delete id 9 (10.0.2.9)\n")
        }
    }

    @Test func aStepTheKernelRefusesRollsTheNamespaceBack() throws {
        try TestNamespace.with { ns in
            prepare(ns)
            ns.expectSuccess("limits set add_addr_accepted 1")
            // With lo up, a port endpoint needs its address configured: EADDRNOTAVAIL.
            ns.ip("link set lo up")
            let file = try Self.write(Self.desired + "\n  - address: 10.0.9.1\n    port: 10100\n    flags: [signal]\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            let before = ns.state
            let result = ns.mptcpctl("apply \(file)")
            #expect(result.status == 1)
            #expect(result.stdout == planLines(ns).replacingOccurrences(
                of: "\(ns.name): set limits subflows 2 -> 4 add_addr_accepted 1 -> 2\n", with: "")
                .replacingOccurrences(of: "add_addr_accepted 0 -> 2", with: "add_addr_accepted 1 -> 2")
                .replacingOccurrences(of: "\(ns.name): set limits", with: "\(ns.name): add 10.0.9.1 port 10100 signal\n\(ns.name): set limits"))
            #expect(result.stderr == "mptcpctl: apply: \(ns.name): add 10.0.9.1 port 10100 signal: the kernel refused: EADDRNOTAVAIL: "
                + "\(RunningKernel.listenSocketError) (a port endpoint needs its address configured on an interface of the namespace); "
                + "rolled back: \(ns.name) is as it was before apply\n")
            #expect(ns.state == before)
        }
    }

    @Test func aBadFileIsReportedWholeAndChangesNothing() throws {
        try TestNamespace.with { ns in
            prepare(ns)
            let file = try Self.write("""
                limits: {subflows: -1}
                endpoints:
                  - address: 10.0.2.300
                  - address: 10.0.2.2
                    flags: [signal, fullmesh]
                  - address: 10.0.2.2
                    dev: nosuchdev
                """)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let before = ns.state
            let result = ns.mptcpctl("apply \(file)")
            #expect(result == CommandResult(status: 2, stdout: "", stderr: """
                mptcpctl: \(file):1:20: bad subflows '-1': a limit is a whole number from 0 to 4294967295
                mptcpctl: \(file):3:14: bad address '10.0.2.300': expected an IPv4 or IPv6 address
                mptcpctl: \(file):5:12: 'signal' cannot go with 'fullmesh': an endpoint is not both signal and fullmesh
                mptcpctl: \(file):6:5: duplicate address 10.0.2.2: already at \(file):4:5
                mptcpctl: apply: 4 problem(s) in \(file): nothing was changed

                """))
            let devFile = try Self.write("endpoints:\n  - address: 10.0.2.2\n    dev: nosuchdev\n")
            defer { try? FileManager.default.removeItem(atPath: devFile) }
            ns.expectFailure("apply \(devFile)", status: 2, message: "\(devFile):2:5: dev 'nosuchdev' does not exist in namespace \(ns.name)\n"
                + "mptcpctl: apply: 1 problem(s) in \(devFile): nothing was changed")
            #expect(ns.state == before)
        }
    }

    @Test func exportThenApplyIsANoOpAcrossNamespaces() throws {
        try TestNamespace.with { ns in
            try TestNamespace.with { other in
                ns.addInterface(address: "10.0.5.1/24")
                ns.expectSuccess("endpoint add 10.0.5.1 dev v0 id 42 port 10100 signal backup")
                ns.expectSuccess("endpoint add 2001:db8::7 id 7 subflow fullmesh")
                ns.expectSuccess("limits set subflows 3 add_addr_accepted 1")
                ns.expectSuccess("export", output: """
                    limits:
                      subflows: 3
                      add_addr_accepted: 1
                    endpoints:
                      - address: "2001:db8::7"
                        id: 7
                        flags: [subflow, fullmesh]
                      - address: 10.0.5.1
                        id: 42
                        port: 10100
                        dev: v0
                        flags: [signal, backup]

                    """)
                let exported = try Self.write(ns.mptcpctl("export").stdout)
                defer { try? FileManager.default.removeItem(atPath: exported) }
                ns.expectSuccess("apply \(exported)", output: "\(ns.name): no changes\n")
                let json = try Self.write(ns.mptcpctl("-j export").stdout)
                defer { try? FileManager.default.removeItem(atPath: json) }
                ns.expectSuccess("apply \(json)", output: "\(ns.name): no changes\n")

                // Several namespaces in one file: the other namespace gets the endpoint
                // that needs no interface.
                let both = try Self.write("""
                    namespaces:
                      \(other.name):
                        endpoints:
                          - address: "2001:db8::7"
                            id: 7
                            flags: [subflow, fullmesh]
                      \(ns.name):
                        limits: {subflows: 3}
                    """)
                defer { try? FileManager.default.removeItem(atPath: both) }
                let result = Shell.run(Shell.mptcpctl, ["apply", both])
                #expect(result == CommandResult(status: 0, stdout: """
                    \(other.name): add 2001:db8::7 id 7 subflow fullmesh
                    \(ns.name): no changes

                    """, stderr: ""))
                let all = Shell.run(Shell.mptcpctl, ["export", "--all-netns"]).stdout
                #expect(all.contains("  \(other.name):\n    limits:\n      subflows: 2\n      add_addr_accepted: 0\n    endpoints:\n      - address: \"2001:db8::7\"\n"))
            }
        }
    }

    /// `apply` runs as root and its file decides the endpoints: one in a directory
    /// another user owns (who could put another file in its place) is refused (exit 3),
    /// nothing changed.
    @Test func aFileInADirectoryAnotherUserOwnsIsRefused() throws {
        try TestNamespace.with { ns in
            let theirs = try ScratchDirectory(mode: 0o755)
            let file = try theirs.write("state.yaml", "endpoints: [{address: 10.0.2.1, flags: [subflow]}]\n")
            chown(theirs.path, 65534, 65534)
            let before = ns.state
            ns.expectFailure("apply \(file)", status: 3, message: "apply: the directory \(theirs.path) is owned by uid 65534, not "
                + "by root or you: anyone who can write there can put another file in place of the one named and decide this "
                + "host's endpoints; fix: 'chown root \(theirs.path)', or move the file")
            #expect(ns.state == before)
            chown(theirs.path, 0, 0)
            ns.expectSuccess("apply \(file)", output: "\(ns.name): add 10.0.2.1 subflow\n")
        }
    }
}
