import Foundation
import Testing

/// What mptcpctl says when the environment is not fit, and the exit code it uses.
struct EnvironmentKernelTests {
    /// Kernel tests must run, never skip: fail loudly where they cannot.
    @Test func thisMachineCanRunTheKernelTests() {
        #expect(geteuid() == 0, "kernel tests need root: run 'make test' as root")
        #expect(FileManager.default.fileExists(atPath: "/proc/sys/net/mptcp/enabled"), "this kernel has no MPTCP")
        #expect(FileManager.default.isExecutableFile(atPath: Shell.mptcpctl), "no binary at \(Shell.mptcpctl)")
        #expect(Shell.run("ip", ["-V"]).status == 0, "iproute2 is missing: run 'make deps'")
    }

    @Test func aNamespaceThatDoesNotExist() {
        let name = "mptcpctl-test-absent-\(getpid())"
        let result = Shell.run(Shell.mptcpctl, ["-n", name, "endpoint", "show"])
        #expect(result == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: network namespace '\(name)' does not exist "
            + "(no /run/netns/\(name)); list them with 'ip netns list', create one with 'ip netns add \(name)'\n"))
    }

    @Test func aFileThatIsNotANamespace() throws {
        let name = "mptcpctl-test-fake-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let path = "/run/netns/\(name)"
        try FileManager.default.createDirectory(atPath: "/run/netns", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = Shell.run(Shell.mptcpctl, ["-n", name, "endpoint", "show"])
        #expect(result == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: \(path) is not a network namespace\n"))
    }

    @Test(arguments: ["../x", "a/b", ".", ".."])
    func namespaceNamesThatCannotBe(name: String) {
        let result = Shell.run(Shell.mptcpctl, ["-n", name, "endpoint", "show"])
        #expect(result == CommandResult(status: 2, stdout: "", stderr:
            "mptcpctl: bad namespace name '\(name)': a name is not empty, not '.' or '..', and has no '/'\n"))
    }

    @Test func withoutPrivilegeReadsWorkAndWritesFailCleanly() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 subflow")
            let before = ns.state
            let drop = ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--", Shell.mptcpctl]
            let entering = Shell.run("setpriv", Array(drop.dropFirst()) + ["-n", ns.name, "endpoint", "show"])
            #expect(entering == CommandResult(status: 3, stdout: "", stderr:
                "mptcpctl: entering network namespace '\(ns.name)' needs CAP_SYS_ADMIN; run as root\n"))
            let read = ns.exec(drop + ["-j", "endpoint", "show"])
            #expect(read == CommandResult(status: 0, stdout:
                #"[{"address":"10.0.2.1","id":1,"subflow":true,"ifindex":0,"flags":["subflow"]}]"# + "\n", stderr: ""))
            let write = ns.exec(drop + ["endpoint", "add", "10.0.2.2"])
            #expect(write == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: endpoint add 10.0.2.2: permission denied (EPERM): "
                + "changing endpoints or limits and listening for events need CAP_NET_ADMIN; run as root\n"))
            #expect(ns.exec(drop + ["limits", "set", "subflows", "1"]).status == 3)
            #expect(ns.exec(drop + ["endpoint", "flush"]).status == 3)
            // The same words and exit code for monitor, never libnl's own.
            let monitor = ns.exec(drop + ["monitor", "--timeout", "1"])
            #expect(monitor == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: monitor: permission denied (EPERM): "
                + "changing endpoints or limits and listening for events need CAP_NET_ADMIN; run as root\n"))
            #expect(ns.state == before)
        }
    }

    @Test func mptcpDisabledInTheNamespaceIsAWarning() throws {
        try TestNamespace.with { ns in
            #expect(ns.exec(["sysctl", "-qw", "net.mptcp.enabled=0"]).status == 0)
            let result = ns.mptcpctl("limits show -j")
            #expect(result == CommandResult(status: 0, stdout: #"{"subflows":2,"add_addr_accepted":0}"# + "\n", stderr:
                "mptcpctl: warning: MPTCP is disabled in this namespace (net.mptcp.enabled = 0): endpoints have no effect "
                + "until 'ip netns exec \(ns.name) sysctl -w net.mptcp.enabled=1'\n"))
        }
    }

    @Test func helpAndVersionNeedNoKernel() {
        let help = Shell.run(Shell.mptcpctl, ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("EXIT CODES\n  0  success\n  1  the kernel refused the request, or no endpoint matched\n"))
        #expect(Shell.run(Shell.mptcpctl, ["endpoint", "add", "--help"]).stdout.contains(
            "USAGE: mptcpctl [-n NAME] [-j] [-p] endpoint add ADDRESS [ dev NAME ] [ id ID ] [ port NR ] [ FLAG... ]"))
        #expect(Shell.run(Shell.mptcpctl, ["--version"]) == CommandResult(status: 0, stdout: "mptcpctl 0.1.0\n", stderr: ""))
    }
}

/// `mptcpctl` hands `apply`, `-b` and help to `mptcpctl-apply`, the one binary with Yams
/// and swift-argument-parser.
struct ApplyHandOverKernelTests {
    @Test func withoutTheHelperApplySaysWhatIsMissing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mptcpctl-test-\(getpid())-lone").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lone = directory + "/mptcpctl"
        try FileManager.default.copyItem(atPath: Shell.mptcpctl, toPath: lone)
        let missing = CommandResult(status: 3, stdout: "", stderr: "mptcpctl: apply, sync, -b and help need mptcpctl-apply beside mptcpctl "
            + "(looked for \(directory)/mptcpctl-apply, \(directory)/../libexec/mptcpctl/mptcpctl-apply); reinstall with 'make install'\n")
        #expect(Shell.run(lone, ["apply", "/nonexistent.yaml"]) == missing)
        #expect(Shell.run(lone, ["endpoint", "add", "--help"]) == missing)
        // Every other command runs without it.
        #expect(Shell.run(lone, ["--version"]) == CommandResult(status: 0, stdout: "mptcpctl 0.1.0\n", stderr: ""))
        #expect(Shell.run(lone, ["endpoint", "frob"]).status == 2)
    }
}
