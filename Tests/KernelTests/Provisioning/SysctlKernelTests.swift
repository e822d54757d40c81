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

    /// The same file with `pm_type`, the only name of the setting before Linux 6.15.
    static let userspaceByPmType = userspace.replacingOccurrences(of: "path_manager: userspace", with: "pm_type: 1")

    /// `path_manager` (Linux 6.15); before it, the kernel's own `pm_type`: a file that
    /// names `path_manager` there is refused with the kernel's keys, nothing changed.
    @Test func applyDryRunExportAndApplyAgain() throws {
        try TestNamespace.with { ns in
            var text = Self.userspace
            if !RunningKernel.hasPathManagerSysctl {
                let file = try ApplyKernelTests.write(text)
                defer { try? FileManager.default.removeItem(atPath: file) }
                let before = ns.exec(["sysctl", "net.mptcp"]).stdout
                ns.expectFailure("apply \(file)", status: 2, message: "\(file):2:3: unknown sysctl 'path_manager': the kernel of "
                    + "namespace \(ns.name) has \(RunningKernel.writableSysctls.joined(separator: ", "))\nmptcpctl: apply: 1 problem(s) "
                    + "in \(file): nothing was changed")
                #expect(ns.exec(["sysctl", "net.mptcp"]).stdout == before)
                text = Self.userspaceByPmType
            }
            let (key, from, to) = RunningKernel.hasPathManagerSysctl ? ("path_manager", "kernel", "userspace") : ("pm_type", "0", "1")
            let file = try ApplyKernelTests.write(text)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let dry = ns.mptcpctl("apply --dry-run \(file)")
            #expect(dry.status == 6, "\(dry)")
            #expect(dry.stdout == """
                \(ns.name): set sysctl \(key) \(from) -> \(to)
                \(ns.name): set sysctl add_addr_timeout 120 -> 60
                \(ns.name): add 10.0.2.1 id 1 subflow

                """)
            #expect(sysctl(ns, key) == from)

            ns.expectSuccess("apply \(file)", output: dry.stdout)
            if RunningKernel.hasPathManagerSysctl { #expect(sysctl(ns, "path_manager") == "userspace") }
            #expect(sysctl(ns, "pm_type") == "1")
            #expect(sysctl(ns, "add_addr_timeout") == "60")

            // Only what differs from a new namespace, path_manager standing for pm_type.
            let exported = ns.mptcpctl("export")
            #expect(exported.status == 0)
            #expect(exported.stdout.hasSuffix("""
                sysctl:
                  add_addr_timeout: "60"
                  \(key): \(RunningKernel.hasPathManagerSysctl ? "userspace" : "\"1\"")

                """), "\(exported)")
            let again = try ApplyKernelTests.write(exported.stdout)
            defer { try? FileManager.default.removeItem(atPath: again) }
            ns.expectSuccess("apply \(again)", output: "\(ns.name): no changes\n")
            let all = ns.mptcpctl("export --all").stdout
            // `scheduler` since Linux 6.6; pm_type only where no path_manager stands for it.
            #expect(all.contains("  enabled: \"1\"\n") && all.contains("  scheduler: default\n") == RunningKernel.hasScheduler
                && all.contains("pm_type") == !RunningKernel.hasPathManagerSysctl, "\(all)")
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
            let keys = RunningKernel.writableSysctls.joined(separator: ", ")
            // Every release has these (7.2 adds add_addr_v6_port_drop_ts between the first two).
            #expect(keys.hasPrefix("add_addr_timeout, ") && keys.contains(" allow_join_initial_addr_port, ") && keys.contains(" enabled, ")
                && !keys.contains("available_"), "\(keys)")
            let unknown = { (position: String, key: String) in
                "mptcpctl: \(file):\(position): unknown sysctl '\(key)': the kernel of namespace \(ns.name) has \(keys)"
            }
            // available_schedulers: reported by the kernel since Linux 6.10, unknown before;
            // path_manager: Linux 6.15, unknown before (pm_type is its name there).
            var expected = [unknown("2:3", "enabeld"),
                            RunningKernel.hasAvailableSchedulers
                                ? "mptcpctl: \(file):3:3: sysctl 'available_schedulers' cannot be set (the kernel only reports it)"
                                : unknown("3:3", "available_schedulers")]
            if !RunningKernel.hasPathManagerSysctl { expected.append(unknown("5:3", "path_manager")) }
            expected.append("mptcpctl: \(file):5:3: give one of path_manager and pm_type: they are one setting")
            expected.append("mptcpctl: apply: \(expected.count) problem(s) in \(file): nothing was changed")
            #expect(lines == expected, "\(result)")
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
            waitUntil(seconds: 10, every: 0.02) { sysctl(ns, "add_addr_timeout") == "77" }
            #expect(sysctl(ns, "add_addr_timeout") == "77", "\(sync.text(.stdout))\(sync.text(.stderr))")
            #expect(sync.text(.stdout).contains("set sysctl add_addr_timeout 120 -> 77"))
        }
    }
}
