import Glibc
import Launch
import LaunchTesting
@testable import MPTCPCtlCLI
import MPTCPKit
import Testing

/// `enable`, `disable` and `enable --list` in-process over an image in memory and a
/// launcher that runs nothing: what they write, remove, warn and refuse, and when they
/// run systemctl. None of it needs root (a device in the image, a full disk, an
/// untrusted library are all the stand-ins'); EnableKernelTests has systemd check the
/// drop-ins for real.
struct UnitRunnerTests {
    static let library = "/usr/local/lib/mptcpctl/libmptcpwrap.so"
    static let dropIn = "/etc/systemd/system/web.service.d/50-mptcp.conf"
    static let header = "# Written by mptcpctl enable: TCP sockets of this service are MPTCP (mptcpctl disable web.service removes it).\n"

    /// mptcpctl installed in /usr/local/sbin, and an image at /img with web.service.
    static func program(_ files: [String: String] = [:]) -> (InProcess, MemoryFileSystem, MemoryFileTree) {
        let program = InProcess()
        let system = MemoryFileSystem()
        let beside = "/usr/local/sbin/../lib/mptcpctl/libmptcpwrap.so"
        system.add(Self.library, mode: 0o644)
        system.links[beside] = Self.library
        let image = MemoryFileTree(["/etc/systemd/system/web.service": "[Service]\nExecStart=/bin/true\n",
                                    Self.library: "\u{7F}ELF"].merging(files) { $1 })
        system.roots["/img"] = image
        program.files = system
        program.launcher.binaryDirectory = "/usr/local/sbin"
        return (program, system, image)
    }

    @Test func enableWritesTheDropInAndDisableRemovesIt() {
        let (program, _, image) = Self.program()
        #expect(program.result("enable --root /img web") == (0, "wrote /img\(Self.dropIn)\n"
            + "to apply: systemctl daemon-reload && systemctl restart web.service\n", ""))
        #expect(image.text(Self.dropIn) == Self.header
            + "[Service]\nEnvironment=\"LD_PRELOAD=\(Self.library)\" \"GODEBUG=multipathtcp=1\"\n")
        #expect(program.result("enable --root /img web") == (0, "unchanged: /img\(Self.dropIn)\n", ""))
        #expect(program.result("enable --list --root /img").output == "web.service\n")
        #expect(program.result("disable --root /img web") == (0, "removed /img\(Self.dropIn)\n"
            + "to apply: systemctl daemon-reload && systemctl restart web.service\n", ""))
        #expect(image.nodes["/etc/systemd/system/web.service.d"] == nil)
        #expect(program.result("disable --root /img web") == (0, "", "mptcpctl: disable: web.service has no drop-in of mptcpctl "
            + "(no /img\(Self.dropIn)): nothing to do\n"))
        #expect(program.launcher.events == [])
    }

    /// On this system (no --root), systemd reloads when it runs here: systemctl, no shell.
    @Test func systemdReloadsWhenItRunsThisSystem() {
        let (program, system, image) = Self.program()
        system.roots["/"] = image
        #expect(program.result("enable web").output == "wrote \(Self.dropIn)\nto apply: systemctl daemon-reload && systemctl restart web.service\n")
        system.add("/run/systemd/system", mode: 0o755)
        #expect(program.result("enable --no-fallback web") == (0, "wrote \(Self.dropIn)\nsystemctl daemon-reload: done; restart web.service to apply\n", ""))
        program.launcher.status = 1
        #expect(program.result("disable web") == (3, "removed \(Self.dropIn)\n", "mptcpctl: disable: systemctl daemon-reload failed (exit 1): "
            + "the drop-in is changed; run 'systemctl daemon-reload && systemctl restart web.service'\n"))
        program.launcher.status = -1
        #expect(program.result("enable web").errors.hasPrefix("mptcpctl: enable: systemctl daemon-reload failed (not run)"))
        #expect(program.launcher.events == [.ran(["systemctl", "daemon-reload"]), .ran(["systemctl", "daemon-reload"]),
                                            .ran(["systemctl", "daemon-reload"])])
    }

    /// Only a regular file is read: a drop-in that is a FIFO, a device or a directory is
    /// refused by name, and nothing is written (the device one needs root on disk).
    @Test(arguments: [
        (MemoryFileTree.Node.fifo, "a FIFO"), (.characterDevice(major: 1, minor: 5), "a character device (1:5)"), (.directory, "a directory"),
    ])
    func onlyRegularFilesAreRead(node: MemoryFileTree.Node, kind: String) {
        let (program, _, image) = Self.program()
        image.add("/etc/systemd/system/web.service.d/10-odd.conf", node)
        #expect(program.result("enable --root /img web") == (3, "", "mptcpctl: enable: /img/etc/systemd/system/web.service.d/10-odd.conf "
            + "is \(kind), not a regular file: not read\n"))
        #expect(image.nodes[Self.dropIn] == nil)
    }

    @Test func whatCannotBeWrittenOrRemovedIsSaid() {
        let (program, _, image) = Self.program()
        image.failures[Self.dropIn] = Errno(rawValue: ENOSPC)
        #expect(program.result("enable --root /img web") == (3, "", "mptcpctl: enable: cannot write /img\(Self.dropIn): "
            + "\(Errno(rawValue: ENOSPC))\n"))
        image.failures = ["/etc/systemd/system/web.service.d": .readOnlyFileSystem]
        #expect(program.result("enable --root /img web").errors == "mptcpctl: enable: cannot create /img/etc/systemd/system/web.service.d: "
            + "\(Errno.readOnlyFileSystem)\n")
        image.failures = [:]
        #expect(program.result("enable --root /img web").status == 0)
        image.failures[Self.dropIn] = .permissionDenied
        #expect(program.result("disable --root /img web").errors == "mptcpctl: disable: cannot remove /img\(Self.dropIn): \(Errno.permissionDenied)\n")
    }

    @Test func aDropInNotWrittenByMptcpctlIsLeftAsItIs() {
        let (program, _, image) = Self.program([Self.dropIn: "[Service]\nEnvironment=MINE=1\n"])
        for object in ["enable", "disable"] {
            #expect(program.result("\(object) --root /img web") == (3, "", "mptcpctl: \(object): /img\(Self.dropIn) was not written by "
                + "mptcpctl: left as it is\n"))
        }
        #expect(image.text(Self.dropIn) == "[Service]\nEnvironment=MINE=1\n")
    }

    /// The unit's own values are carried; what would still replace ours is warned about.
    @Test func theUnitsValuesAreMergedAndWhatReplacesThemWarned() {
        let (program, _, image) = Self.program([
            "/usr/lib/systemd/system/web.service.d/10-go.conf": "[Service]\nEnvironment=GODEBUG=x=1 LD_PRELOAD=/theirs.so\n"
                + "EnvironmentFile=-/etc/default/web\nPassEnvironment=GODEBUG\n",
            "/etc/systemd/system/web.service.d/60-late.conf": "[Service]\nEnvironment=LD_PRELOAD=/late.so\n",
            "/etc/default/web": "export LD_PRELOAD=/env.so\n",
            "/usr/lib/systemd/system/web.socket": "[Socket]\nListenStream=80\n",
        ])
        let result = program.result("enable --root /img web")
        #expect(result.status == 0)
        #expect(result.errors == """
            mptcpctl: warning: enable: /etc/systemd/system/web.service.d/60-late.conf sorts after 50-mptcp.conf and sets LD_PRELOAD or \
            GODEBUG or resets Environment=: its value replaces mptcpctl's; merge the two or rename it to sort before
            mptcpctl: warning: enable: EnvironmentFile=/etc/default/web sets LD_PRELOAD: it is read after Environment= and replaces the \
            drop-in's value; add the preload library there
            mptcpctl: warning: enable: web.service has PassEnvironment=GODEBUG: systemd's own GODEBUG is replaced by the drop-in's
            mptcpctl: warning: enable: /usr/lib/systemd/system/web.socket exists: the listening socket is made by systemd, not by the \
            service, and stays TCP; set SocketProtocol=mptcp in the socket unit (systemd 257 or later)

            """)
        #expect(image.text(Self.dropIn)?.hasSuffix("[Service]\nEnvironment=\"LD_PRELOAD=/theirs.so \(Self.library)\" "
            + "\"GODEBUG=x=1,multipathtcp=1\"\n") == true)
    }

    @Test func aMaskedUnitIsWarnedAboutAndALibraryMissingFromTheImageToo() {
        let (program, _, image) = Self.program()
        image.add("/etc/systemd/system/web.service", .link("/dev/null"))
        try? image.removeFile(Self.library)
        let result = program.result("enable --root /img web")
        #expect(result.status == 0)
        #expect(result.errors == "mptcpctl: warning: enable: web.service is masked (/etc/systemd/system/web.service links to /dev/null): "
            + "systemd does not start it; after 'systemctl unmask web.service' run enable again, so the drop-in keeps the unit's own "
            + "LD_PRELOAD and GODEBUG\n"
            + "mptcpctl: warning: enable: \(Self.library) does not exist under /img: the service would start without it; "
            + "install mptcpctl there too\n")
    }

    @Test func aLibraryOthersCouldReplaceIsRefused() {
        let (program, system, image) = Self.program()
        system.untrusted[Self.library] = .writableByOthers(path: "/usr/local/lib/mptcpctl", mode: 0o775)
        #expect(program.result("enable --root /img web") == (3, "", "mptcpctl: enable: the preload library \(Self.library) is not "
            + "safe to preload into root's services: /usr/local/lib/mptcpctl is writable by group or others (mode 0775): they could "
            + "replace the library; fix: 'chmod go-w /usr/local/lib/mptcpctl', or install mptcpctl where only root can write "
            + "('make install')\n"))
        system.files[Self.library] = nil
        #expect(program.result("enable --root /img web").errors == "mptcpctl: enable: the preload library libmptcpwrap.so is missing "
            + "(looked for /usr/local/sbin/libmptcpwrap.so, /usr/local/sbin/../lib/mptcpctl/libmptcpwrap.so); reinstall with 'make install'\n")
        #expect(image.nodes[Self.dropIn] == nil)
    }

    @Test func aRootOrUnitThatIsNotThereIsSaid() {
        let (program, _, _) = Self.program()
        #expect(program.result("enable --root /elsewhere web") == (3, "", "mptcpctl: enable: --root /elsewhere: no such directory\n"))
        #expect(program.result("enable --root /img db").errors == "mptcpctl: enable: unit db.service not found (no db.service in "
            + "/etc/systemd/system, /run/systemd/system, /usr/local/lib/systemd/system, /lib/systemd/system, /usr/lib/systemd/system "
            + "under /img): nothing written\n")
        #expect(program.result("-n blue enable --root /img web").errors == "mptcpctl: enable: -n has no meaning here: a service's "
            + "network namespace is its unit's (NetworkNamespacePath=)\n")
    }
}
