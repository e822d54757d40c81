import Glibc
import Launch
import LaunchTesting
@testable import MPTCPCtlCLI
import MPTCPKit
import Testing

/// `run` in-process: what it would start, with what environment, as whom and where, and
/// what it refuses, over a launcher that starts nothing and files in memory. None of it
/// needs root; RunKernelTests and InterceptKernelTests run the programs for real.
struct ProgramRunnerTests {
    static let library = "/usr/local/sbin/libmptcpwrap.so"

    /// `mptcpctl` in /usr/local/sbin with the library beside it, and a few programs.
    static func program() -> (InProcess, MemoryFileSystem) {
        let program = InProcess()
        let files = MemoryFileSystem()
        files.add(library, mode: 0o644)
        files.add("/usr/bin/curl")
        files.add("/usr/bin/id")
        files.add("/bin/notes", mode: 0o644)
        files.add("/usr/bin/sudo", mode: 0o4755)
        files.add("/usr/bin/wall", mode: 0o2755)
        program.files = files
        program.launcher.binaryDirectory = "/usr/local/sbin"
        program.launcher.environment = ["PATH": "/usr/bin:/bin", "HOME": "/root", "LD_PRELOAD": "/opt/mine.so"]
        return (program, files)
    }

    /// The environment CMD gets from the launcher's.
    static func launched(_ extra: KeyValuePairs<String, String> = [:], fallback: Bool = true) -> EnvironmentVariables {
        var environment: EnvironmentVariables = ["PATH": "/usr/bin:/bin", "HOME": "/root", "LD_PRELOAD": "/opt/mine.so \(library)",
                                                 "GODEBUG": "multipathtcp=1"]
        if !fallback { environment["MPTCPCTL_NO_FALLBACK"] = "1" }
        for (name, value) in extra { environment[name] = value }
        return environment
    }

    @Test func runBecomesCMDWithThePreloadLibrary() {
        let (program, _) = Self.program()
        let result = program.result("run curl -s http://a/")
        #expect(result.status == 0 && result.output == "" && result.errors == "")
        #expect(program.launcher.events == [.replaced(
            Program(path: "/usr/bin/curl", arguments: ["curl", "-s", "http://a/"], environment: Self.launched()),
            account: nil, readable: Self.library)])
        let (other, _) = Self.program()
        #expect(other.result("-n blue run --no-fallback /usr/bin/curl").status == 0)
        #expect(other.launcher.events == [.replaced(
            Program(path: "/usr/bin/curl", arguments: ["/usr/bin/curl"], environment: Self.launched(fallback: false), netns: "blue"),
            account: nil, readable: Self.library)])
    }

    @Test(arguments: [
        ("run nosuch", Int32(127), "run: nosuch: command not found"),
        ("run /opt/nosuch", 127, "run: /opt/nosuch: no such file"),
        ("run notes", 126, "run: /bin/notes: permission denied (not executable)"),
        ("run sudo id", 3, "run: /usr/bin/sudo is set-user-ID: the loader ignores LD_PRELOAD for it, and run never starts a program "
            + "with rights the caller lacks; run it without mptcpctl"),
        ("run wall", 3, "run: /usr/bin/wall is set-group-ID: the loader ignores LD_PRELOAD for it, and run never starts a program "
            + "with rights the caller lacks; run it without mptcpctl"),
        ("--all-netns run id", 2, "--all-netns works with counters, check, doctor, export, connections and top"),
        ("run --user ghost id", 2, "run: unknown --user 'ghost': no such user in the password database"),
    ])
    func whatCannotRunIsRefusedBeforeAnythingStarts(line: String, status: Int32, message: String) {
        let (program, _) = Self.program()
        #expect(program.result(line) == (status, "", "mptcpctl: \(message)\n"))
        #expect(program.launcher.events == [])
    }

    @Test func aMissingLibraryOrUserDatabaseIsRefused() {
        let (program, files) = Self.program()
        files.files[Self.library] = nil
        #expect(program.result("run id").errors == "mptcpctl: run: the preload library libmptcpwrap.so is missing (looked for "
            + "/usr/local/sbin/libmptcpwrap.so, /usr/local/sbin/../lib/mptcpctl/libmptcpwrap.so); reinstall with 'make install'\n")
        let (asking, _) = Self.program()
        asking.launcher.accountFailure = .noSuchFileOrDirectory
        #expect(asking.result("run --user nobody id") == (3, "", "mptcpctl: run: --user nobody: cannot ask getent for the user: "
            + "\(Errno.noSuchFileOrDirectory)\n"))
        let (user, _) = Self.program()
        user.launcher.effectiveUserID = 1000
        #expect(user.result("run --user nobody id").errors == "mptcpctl: run: --user nobody: only root can run a program as another user\n")
        #expect(asking.launcher.events == [] && user.launcher.events == [])
    }

    /// What the launcher says went wrong, in run's words and exit codes.
    @Test(arguments: [
        (ProcessImage.Failure.cannotExecute(.noSuchFileOrDirectory), Int32(127), "run: cannot run /usr/bin/id: \(Errno.noSuchFileOrDirectory)"),
        (.cannotExecute(.permissionDenied), 126, "run: cannot run /usr/bin/id: \(Errno.permissionDenied)"),
        (.cannotTakeIdentity(call: "setgid", .notPermitted), 3, "run: --user root: setgid failed: \(Errno.notPermitted)"),
        (.cannotRead(.permissionDenied), 3, "run: --user root: the user cannot read the preload library \(library) "
            + "(\(Errno.permissionDenied)); install it where every user can ('make install')"),
        (.namespace(.namespace(.missing("blue"))), 3, "network namespace 'blue' does not exist (no /run/netns/blue); "
            + "list them with 'ip netns list', create one with 'ip netns add blue'"),
    ])
    func aFailedExecIsWorded(failure: ProcessImage.Failure, status: Int32, message: String) {
        let (program, _) = Self.program()
        program.launcher.replaceFailure = failure
        #expect(program.result("run --user root id") == (status, "", "mptcpctl: \(message)\n"))
    }

    /// As the caller's own user, `--user` still takes its ids (root's groups), and CMD
    /// replaces run; as another, CMD is a child in a session of its own that run follows
    /// and ends as.
    @Test func anotherUsersCMDIsAChildInASessionOfItsOwn() {
        let (program, _) = Self.program()
        #expect(program.result("run --user root id").status == 0)
        #expect(program.launcher.events == [.replaced(
            Program(path: "/usr/bin/id", arguments: ["id"], environment: Self.launched(["USER": "root", "LOGNAME": "root"])),
            account: "root", readable: Self.library)])
        let (other, _) = Self.program()
        other.launcher.termination = .signaled(SIGTERM)
        #expect(other.result("-n blue run --user 65534 id -u").status == 0)
        let environment = Self.launched(["HOME": "/nonexistent", "USER": "nobody", "LOGNAME": "nobody"])
        #expect(other.launcher.events == [
            .started(Program(path: "/usr/bin/id", arguments: ["id", "-u"], environment: environment, netns: "blue"),
                     identity: ProgramIdentity(uid: 65534, gid: 65534, groups: [65534]), newSession: true, readable: Self.library),
            .followed(pid: 4242, session: true), .ended(.signaled(SIGTERM)),
        ])
    }

    @Test(arguments: [
        (ChildProcess.StartFailure.cannotStart(.noMemory), Int32(3), "run: cannot start /usr/bin/id: \(Errno.noMemory)"),
        (.cannotTakeIdentity(.notPermitted), 3, "run: --user nobody: cannot take the user's ids: \(Errno.notPermitted)"),
        (.cannotRead(.permissionDenied), 3, "run: --user nobody: the user cannot read the preload library \(library) "
            + "(\(Errno.permissionDenied)); install it where every user can ('make install')"),
        (.cannotExecute(.noSuchFileOrDirectory), 127, "run: cannot run /usr/bin/id: \(Errno.noSuchFileOrDirectory)"),
    ])
    func aChildThatDidNotStartIsWorded(failure: ChildProcess.StartFailure, status: Int32, message: String) {
        let (program, _) = Self.program()
        program.launcher.startFailure = failure
        #expect(program.result("run --user nobody id") == (status, "", "mptcpctl: \(message)\n"))
        #expect(program.launcher.events.count == 1)
    }

    @Test func aChildThatCannotBeWaitedForIsSaid() {
        let (program, _) = Self.program()
        program.launcher.waitFailure = Errno(rawValue: ECHILD)
        #expect(program.result("run --user nobody id").errors
            == "mptcpctl: run: cannot wait for /usr/bin/id (pid 4242): \(Errno(rawValue: ECHILD))\n")
    }

    /// `--intercept`: CMD under the filter, with its supervisor (this binary, hidden
    /// line, the caller's own environment), followed; as another user, in a session of
    /// its own, with the user's groups when run is root.
    @Test func interceptStartsCMDWithItsSupervisor() {
        let (program, _) = Self.program()
        program.launcher.termination = .exited(3)
        #expect(program.result("run --intercept --no-fallback curl").status == 0)
        let original = ["PATH=/usr/bin:/bin", "HOME=/root", "LD_PRELOAD=/opt/mine.so"]
        #expect(program.launcher.events == [
            .startedIntercepted(Program(path: "/usr/bin/curl", arguments: ["curl"], environment: Self.launched(fallback: false)),
                                identity: nil, newSession: false,
                                supervisor: .init(path: "/proc/self/exe", arguments: ["mptcpctl", "__supervise-sockets", "--no-fallback"],
                                                  environment: original)),
            .followed(pid: 4242, session: false), .ended(.exited(3)),
        ])
        let (other, _) = Self.program()
        #expect(other.result("run --intercept --user nobody id").status == 0)
        guard case let .startedIntercepted(_, identity, newSession, supervisor)? = other.launcher.events.first else {
            Issue.record("not started: \(other.launcher.events)")
            return
        }
        #expect(identity == ProgramIdentity(uid: 65534, gid: 65534, groups: [65534]) && newSession)
        #expect(supervisor.arguments == ["mptcpctl", "__supervise-sockets"])
        #expect(other.launcher.events.dropFirst() == [.followed(pid: 4242, session: true), .ended(.exited(0))])
    }

    @Test(arguments: [
        (InterceptedLaunch.Failure.filterRefused(.resourceBusy), Int32(3), "run --intercept: the kernel refused the seccomp filter (EBUSY): "
            + "mptcpctl already runs under a seccomp listener (a container runtime's, or another 'run --intercept'); run without --intercept"),
        (.filterRefused(Errno(rawValue: ENOSYS)), 4, "run --intercept: the kernel refused the seccomp filter (ENOSYS): it needs "
            + "seccomp user notification (CONFIG_SECCOMP_FILTER); run without --intercept"),
        (.noInstallAndAnswer, 4, "run --intercept: this kernel cannot hand a socket over and answer at once "
            + "(SECCOMP_ADDFD_FLAG_SEND, Linux 5.14): run without --intercept"),
        (.supervisorFailed(nil), 3, "run --intercept: the supervisor did not start"),
        (.supervisorFailed(.noMemory), 3, "run --intercept: the supervisor did not start: \(Errno.noMemory)"),
        (.cannotStart(.noMemory), 3, "run --intercept: cannot start /usr/bin/id: \(Errno.noMemory)"),
        (.cannotExecute(.permissionDenied), 126, "run: cannot run /usr/bin/id: \(Errno.permissionDenied)"),
    ])
    func aLaunchUnderTheFilterThatFailedIsWorded(failure: InterceptedLaunch.Failure, status: Int32, message: String) {
        let (program, _) = Self.program()
        program.launcher.interceptFailure = failure
        #expect(program.result("run --intercept id") == (status, "", "mptcpctl: \(message)\n"))
        #expect(program.launcher.events.count == 1)
    }
}

/// `__supervise-sockets`, the supervisor `run --intercept` starts, in-process over a
/// recording stand-in of the kernel: a warning once for each reason a socket stays TCP.
struct SupervisorRunnerTests {
    @Test func eachReasonIsWarnedOnce() {
        let program = InProcess()
        let system = RecordingSupervisor()
        let stream = Int32(SOCK_STREAM.rawValue)
        system.callers[5] = SocketCaller(namespace: 1005, identity: nil)
        system.callers[6] = SocketCaller(namespace: 1006, identity: nil)
        system.callers[8] = SocketCaller(namespace: 1008, identity: TaskIdentity(fsuid: 0, fsgid: 0, groups: [0], cgroups: "0::/other"))
        system.calls = [5, 6, 8, 0, 4242].enumerated().map { SocketCall(id: UInt64($0), thread: $1, family: AF_INET, type: stream, protocol: 0) }
        program.launcher.supervisorSystem = system
        let result = program.result("__supervise-sockets --no-fallback")
        #expect(result.status == 0 && result.output == "")
        #expect(result.errors == """
            mptcpctl: warning: run --intercept: a socket of thread 5 failed (EPERM, --no-fallback): its /proc files could not be read
            mptcpctl: warning: run --intercept: a socket of thread 8 failed (EPERM, --no-fallback): the thread moved to another cgroup, \
            and a socket made by the supervisor would carry the supervisor's
            mptcpctl: warning: run --intercept: a socket of a thread outside this pid namespace failed (EPERM, --no-fallback): its \
            identity cannot be read

            """)
        #expect(system.events.filter { if case .installed = $0 { return true } else { return false } } == [.installed(socket: 100, call: 4)])
    }

    @Test func aListenerThatCannotBeReadEndsTheSupervisor() {
        let program = InProcess()
        program.launcher.supervisorFailure = Errno(rawValue: EBADF)
        #expect(program.result("__supervise-sockets") == (3, "", "mptcpctl: run --intercept: the supervisor cannot read its listener: "
            + "\(Errno(rawValue: EBADF))\n"))
    }
}
