import Foundation
import MPTCPKit
import Testing

/// `sysctl:` in state files: `apply` sets the namespace's `net.mptcp.*` keys first,
/// `--dry-run` shows them, a rollback restores them, `export` writes those that differ
/// from a new namespace's, and `sync` enforces them.
struct SysctlKernelTests {
    func sysctl(_ ns: TestNamespace, _ key: String) -> String {
        ns.exec(["sysctl", "-n", "net.mptcp.\(key)"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static let userspace = """
        sysctl:
          path_manager: userspace
          net.mptcp.add_addr_timeout: 60
        endpoints:
          - {address: 10.0.2.1, id: 1, flags: [subflow]}
        """

    @Test func applyDryRunExportAndApplyAgain() throws {
        try TestNamespace.with { ns in
            let file = try ApplyKernelTests.write(Self.userspace)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let dry = ns.mptcpctl("apply --dry-run \(file)")
            #expect(dry.status == 6, "\(dry)")
            #expect(dry.stdout == """
                \(ns.name): set sysctl path_manager kernel -> userspace
                \(ns.name): set sysctl add_addr_timeout 120 -> 60
                \(ns.name): add 10.0.2.1 id 1 subflow

                """)
            #expect(sysctl(ns, "path_manager") == "kernel")

            ns.expectSuccess("apply \(file)", output: dry.stdout)
            #expect(sysctl(ns, "path_manager") == "userspace")
            #expect(sysctl(ns, "pm_type") == "1")
            #expect(sysctl(ns, "add_addr_timeout") == "60")

            // Only what differs from a new namespace, path_manager standing for pm_type.
            let exported = ns.mptcpctl("export")
            #expect(exported.status == 0)
            #expect(exported.stdout.hasSuffix("""
                sysctl:
                  add_addr_timeout: "60"
                  path_manager: userspace

                """), "\(exported)")
            let again = try ApplyKernelTests.write(exported.stdout)
            defer { try? FileManager.default.removeItem(atPath: again) }
            ns.expectSuccess("apply \(again)", output: "\(ns.name): no changes\n")
            let all = ns.mptcpctl("export --all").stdout
            #expect(all.contains("  enabled: \"1\"\n") && all.contains("  scheduler: default\n") && !all.contains("pm_type"), "\(all)")
            #expect(!all.contains("available_"))

            // The namespace now ignores its endpoints, and doctor says so.
            let doctor = ns.mptcpctl("doctor")
            #expect(doctor.status == 5)
            #expect(doctor.stdout.contains("ERROR userspace-path-manager: the namespace uses the userspace path manager: "
                + "the 1 in-kernel endpoint(s) are inert"), "\(doctor)")
        }
    }

    /// What export leaves out as unchanged is the running kernel's own default, read from
    /// a new namespace, on every release: a new namespace exports no `sysctl:` at all.
    @Test func exportsDefaultsAreTheRunningKernels() throws {
        try TestNamespace.with { ns in
            let listed = ns.exec(["sysctl", "net.mptcp"]).stdout.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, parts[0].hasPrefix("net.mptcp.") else { return nil }
                return (String(parts[0].dropFirst("net.mptcp.".count)), parts[1])
            }
            let fresh = Dictionary(listed, uniquingKeysWith: { first, _ in first })
            #expect(fresh["enabled"] == "1")
            let defaults = try PathManager.open(netns: ns.name).defaultSysctls()
            #expect(defaults == fresh)
            let exported = ns.mptcpctl("export")
            #expect(exported.status == 0 && !exported.stdout.contains("sysctl:"), "\(exported)")
            ns.exec(["sysctl", "-qw", "net.mptcp.add_addr_timeout=61"])
            #expect(ns.mptcpctl("export").stdout.hasSuffix("sysctl:\n  add_addr_timeout: \"61\"\n"))
        }
    }

    @Test func unknownAndReadOnlyKeysAreRefusedWithTheKernelsList() throws {
        try TestNamespace.with { ns in
            let file = try ApplyKernelTests.write("""
                sysctl:
                  enabeld: 1
                  available_schedulers: x
                  pm_type: 0
                  path_manager: kernel
                """)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let before = sysctl(ns, "add_addr_timeout")
            let result = ns.mptcpctl("apply \(file)")
            #expect(result.status == 2)
            let lines = result.stderr.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(result)")
            #expect(lines[0].hasPrefix("mptcpctl: \(file):2:3: unknown sysctl 'enabeld': the kernel of namespace \(ns.name) has "
                + "add_addr_timeout, allow_join_initial_addr_port,"), "\(result)")
            #expect(lines[0].contains(" enabled, ") && !lines[0].contains("available_"))
            #expect(lines[1] == "mptcpctl: \(file):3:3: sysctl 'available_schedulers' cannot be set (the kernel only reports it)")
            #expect(lines[2] == "mptcpctl: \(file):5:3: give one of path_manager and pm_type: they are one setting")
            #expect(lines[3] == "mptcpctl: apply: 3 problem(s) in \(file): nothing was changed")
            #expect(sysctl(ns, "add_addr_timeout") == before)
        }
    }

    @Test func aRefusedStepRestoresTheSysctlsToo() throws {
        try TestNamespace.with { ns in
            ns.ip("link set lo up")
            let file = try ApplyKernelTests.write("""
                sysctl: {add_addr_timeout: 30, checksum_enabled: 1}
                endpoints:
                  - {address: 10.0.9.1, port: 10100, flags: [signal]}
                """)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let result = ns.mptcpctl("apply \(file)")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("EADDRNOTAVAIL") && result.stderr.contains("rolled back: \(ns.name) is as it was before apply"),
                    "\(result)")
            #expect(sysctl(ns, "add_addr_timeout") == "120")
            #expect(sysctl(ns, "checksum_enabled") == "0")
        }
    }

    @Test func syncEnforcesTheSysctls() throws {
        try TestNamespace.with { ns in
            let file = try ApplyKernelTests.write("sysctl: {add_addr_timeout: 77}\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            _ = chmod(file, 0o600)
            let sync = try Background([Shell.mptcpctl, "-n", ns.name, "sync", file], readyOn: .stderr, line: "")
            defer { _ = sync.stop() }
            let deadline = Date().addingTimeInterval(10)
            while sysctl(ns, "add_addr_timeout") != "77", Date() < deadline { usleep(20_000) }
            #expect(sysctl(ns, "add_addr_timeout") == "77", "\(sync.text(.stdout))\(sync.text(.stderr))")
            #expect(sync.text(.stdout).contains("set sysctl add_addr_timeout 120 -> 77"))
        }
    }
}
