import Foundation
import Testing

/// `enable`, `disable` and `enable --list` as a user runs them, on a system root of their
/// own (`--root`, no kernel or systemd needed): what they print, their exit status, the
/// files they leave. systemd itself checks the drop-in: `systemd-analyze verify` loads the
/// unit with it and, at debug level, dumps the environment the service would start with.
struct EnableKernelTests {
    /// mptcpctl, its helper and its library as these tests run them: copies in a build
    /// tree of their own under /run, which only root can write (made for this process,
    /// removed when it exits). `enable` refuses a library that anyone but root could
    /// replace, up to `/` (issue 29, item 5): the build's own folders may be anywhere a
    /// checkout is (a clone in /tmp, whose mode is 1777), so the tests cannot run the
    /// build's copy. The folder is named `.build` so `enable` warns, as it does in every
    /// build tree, in every run: here and in the kernels' guests alike.
    static let staged: String = {
        let top = "/run/mptcpctl-enable-tests.\(getpid())"
        let folder = top + "/.build/debug"
        let files = FileManager.default
        try? files.removeItem(atPath: top)
        do {
            try files.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            let built = (Shell.mptcpctl as NSString).deletingLastPathComponent
            for name in ["mptcpctl", "mptcpctl-apply"] { try files.copyItem(atPath: built + "/" + name, toPath: folder + "/" + name) }
            try files.copyItem(atPath: RunKernelTests.library, toPath: folder + "/libmptcpwrap.so")
        } catch {
            fatalError("EnableKernelTests: cannot stage mptcpctl in \(folder): \(error)")
        }
        atexit { try? FileManager.default.removeItem(atPath: "/run/mptcpctl-enable-tests.\(getpid())") }
        return folder
    }()
    /// The staged mptcpctl: what every test here runs.
    static let mptcpctl = staged + "/mptcpctl"
    /// The library as `enable` names it: canonical, links resolved.
    static let library = URL(fileURLWithPath: staged + "/libmptcpwrap.so").resolvingSymlinksInPath().path
    static let header = "# Written by mptcpctl enable: TCP sockets of this service are MPTCP (mptcpctl disable foo.service removes it).\n"
    /// The warning for a library in a build tree (the staged one is in one).
    static let buildTree = "mptcpctl: warning: enable: the preload library is in a build "
        + "tree (\(library)): install mptcpctl ('make install') so the service does not depend on it\n"

    /// A root with `foo.service` (its own LD_PRELOAD, GODEBUG and OTHER), /bin/true for
    /// its ExecStart, and the library at its path, as `make install` would put it there.
    final class Root {
        let path: String
        let unitPath: String
        let unitBytes: Data

        init(unit: String = "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true\nEnvironment=LD_PRELOAD=/x.so GODEBUG=a=1 OTHER=1\n") throws {
            path = NSTemporaryDirectory() + "mptcpctl-enable-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let files = FileManager.default
            try files.createDirectory(atPath: path + "/etc/systemd/system", withIntermediateDirectories: true)
            try files.createDirectory(atPath: path + "/bin", withIntermediateDirectories: true)
            try files.copyItem(atPath: "/bin/true", toPath: path + "/bin/true")
            let libraryFolder = path + (EnableKernelTests.library as NSString).deletingLastPathComponent
            try files.createDirectory(atPath: libraryFolder, withIntermediateDirectories: true)
            try files.copyItem(atPath: EnableKernelTests.library, toPath: path + EnableKernelTests.library)
            unitPath = path + "/etc/systemd/system/foo.service"
            unitBytes = Data(unit.utf8)
            try unitBytes.write(to: URL(fileURLWithPath: unitPath))
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ file: String, _ text: String) throws {
            try FileManager.default.createDirectory(atPath: path + (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path + file, atomically: true, encoding: .utf8)
        }

        func read(_ file: String) -> String? { try? String(contentsOfFile: path + file, encoding: .utf8) }

        func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path + file) }

        /// Every file and folder under the root, for "nothing was written".
        var tree: [String] { (FileManager.default.subpaths(atPath: path) ?? []).sorted() }

        var unitIsUntouched: Bool { (try? Data(contentsOf: URL(fileURLWithPath: unitPath))) == unitBytes }

        func mptcpctl(_ words: String) -> CommandResult { Shell.run(EnableKernelTests.mptcpctl, Shell.words(words) + ["--root", path]) }

        /// `systemd-analyze verify` of the unit under this root.
        func verify(_ unit: String = "foo.service") -> CommandResult {
            Shell.run("systemd-analyze", ["verify", "--man=no", "--root=\(path)", unit])
        }

        /// The environment systemd gives the service, as it dumps the unit it loaded (on
        /// standard output, at debug level).
        func environment(_ unit: String = "foo.service") -> [String: String] {
            let dump = Shell.run("env", ["SYSTEMD_LOG_LEVEL=debug", "systemd-analyze", "verify", "--man=no", "--root=\(path)", unit])
            var environment: [String: String] = [:]
            for line in dump.stdout.split(separator: "\n") where line.hasPrefix("\t\tEnvironment: ") {
                let assignment = line.dropFirst("\t\tEnvironment: ".count)
                guard let equals = assignment.firstIndex(of: "=") else { continue }
                environment[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
            }
            return environment
        }
    }

    static let dropIn = "/etc/systemd/system/foo.service.d/50-mptcp.conf"

    @Test func enableWritesADropInSystemdAcceptsAndDisableTakesItAway() throws {
        let root = try Root()
        let before = root.environment()
        #expect(before == ["LD_PRELOAD": "/x.so", "GODEBUG": "a=1", "OTHER": "1"], "systemd-analyze's dump is read")
        let enabled = root.mptcpctl("enable foo")
        #expect(enabled == CommandResult(status: 0, stdout: "wrote \(root.path)\(Self.dropIn)\n"
            + "to apply: systemctl daemon-reload && systemctl restart foo.service\n", stderr: Self.buildTree))
        #expect(root.read(Self.dropIn) == Self.header
            + "# Merged with the unit's own LD_PRELOAD and GODEBUG from /etc/systemd/system/foo.service: re-run enable after the unit changes.\n"
            + "[Service]\nEnvironment=\"LD_PRELOAD=/x.so \(Self.library)\" \"GODEBUG=a=1,multipathtcp=1\"\n")
        #expect(root.unitIsUntouched)
        #expect(root.verify() == CommandResult(status: 0, stdout: "", stderr: ""))
        #expect(root.environment() == ["LD_PRELOAD": "/x.so \(Self.library)", "GODEBUG": "a=1,multipathtcp=1", "OTHER": "1"])

        // Again: the same bytes.
        let written = root.read(Self.dropIn)
        #expect(root.mptcpctl("enable foo.service") == CommandResult(status: 0, stdout: "unchanged: \(root.path)\(Self.dropIn)\n", stderr: Self.buildTree))
        #expect(root.read(Self.dropIn) == written)

        #expect(root.mptcpctl("enable --list") == CommandResult(status: 0, stdout: "foo.service\n", stderr: ""))
        #expect(root.mptcpctl("-j enable --list").stdout
            == "[{\"unit\":\"foo.service\",\"file\":\"\(root.path)\(Self.dropIn)\",\"no_fallback\":false}]\n")
        #expect(root.mptcpctl("enable --no-fallback foo").status == 0)
        #expect(root.environment()["MPTCPCTL_NO_FALLBACK"] == "1")
        #expect(root.mptcpctl("-j enable --list").stdout.contains("\"no_fallback\":true"))

        #expect(root.mptcpctl("disable foo") == CommandResult(status: 0, stdout: "removed \(root.path)\(Self.dropIn)\n"
            + "to apply: systemctl daemon-reload && systemctl restart foo.service\n", stderr: ""))
        #expect(!root.exists("/etc/systemd/system/foo.service.d"))
        #expect(root.unitIsUntouched)
        #expect(root.environment() == before)
        #expect(root.mptcpctl("disable foo") == CommandResult(status: 0, stdout: "", stderr: "mptcpctl: disable: foo.service has no "
            + "drop-in of mptcpctl (no \(root.path)\(Self.dropIn)): nothing to do\n"))
        #expect(root.mptcpctl("enable --list") == CommandResult(status: 0, stdout: "", stderr: ""))
    }

    /// The verify check above can fail: systemd-analyze warns on standard error, and
    /// still exits 0, for a key it does not know.
    @Test func systemdAnalyzeReportsABadDropInOnStandardError() throws {
        let root = try Root()
        try root.write(Self.dropIn, "[Service]\nEnviroment=A=1\n")
        let result = root.verify()
        #expect(result.status == 0)
        #expect(result.stderr.contains("Unknown key 'Enviroment'"), "\(result)")
    }

    @Test func unknownUnitsAndBadNamesAreRefusedAndNothingIsWritten() throws {
        let root = try Root()
        let tree = root.tree
        #expect(root.mptcpctl("enable bar") == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: enable: unit bar.service not found "
            + "(no bar.service in /etc/systemd/system, /run/systemd/system, /usr/local/lib/systemd/system, /lib/systemd/system, "
            + "/usr/lib/systemd/system under \(root.path)): nothing written\n"))
        #expect(root.mptcpctl("enable foo@x") == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: enable: unit foo@x.service not found "
            + "(no foo@x.service or foo@.service in /etc/systemd/system, /run/systemd/system, /usr/local/lib/systemd/system, "
            + "/lib/systemd/system, /usr/lib/systemd/system under \(root.path)): nothing written\n"))
        for (words, message) in [
            ("enable ../foo", "enable: bad UNIT '../foo': a unit's name has no '/' (name the service, not its file)"),
            ("enable foo.socket", "enable: 'foo.socket' is a socket unit: enable changes a service (name its .service unit)"),
            ("enable fo*o", "enable: bad UNIT 'fo*o': a unit's name has letters, digits and ':', '-', '_', '.', '\\', '@' only"),
            ("disable ..", "disable: bad UNIT '..': not a unit's name"),
        ] {
            #expect(root.mptcpctl(words) == CommandResult(status: 2, stdout: "", stderr: "mptcpctl: \(message)\n"), "\(words)")
        }
        #expect(Shell.run(Self.mptcpctl, ["enable", "foo", "--root", root.path + "/nowhere"])
            == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: enable: --root \(root.path)/nowhere: no such directory\n"))
        #expect(root.mptcpctl("-n x enable foo") == CommandResult(status: 2, stdout: "", stderr: "mptcpctl: enable: -n has no "
            + "meaning here: a service's network namespace is its unit's (NetworkNamespacePath=)\n"))
        #expect(root.tree == tree)
        #expect(root.unitIsUntouched)
    }

    /// The unit's own drop-ins: those that sort before ours are merged in; one that sorts
    /// after and sets LD_PRELOAD wins over ours, which is said. A template's file serves
    /// its instances; quotes, backslashes and specifiers of the unit come through.
    @Test func dropInsTemplatesAndQuotingAsSystemdReadsThem() throws {
        let root = try Root()
        try root.write("/usr/lib/systemd/system/foo.service.d/10-go.conf", "[Service]\nEnvironment=\"GODEBUG=x=\\\"%%y\\\"\" LD_PRELOAD=/opt/%N.so\n")
        #expect(root.mptcpctl("enable foo").status == 0)
        #expect(root.verify() == CommandResult(status: 0, stdout: "", stderr: ""))
        #expect(root.environment() == ["LD_PRELOAD": "/opt/foo.so \(Self.library)", "GODEBUG": "x=\"%y\",multipathtcp=1", "OTHER": "1"])
        #expect(root.read(Self.dropIn)?.contains("# Merged with the unit's own LD_PRELOAD and GODEBUG from "
            + "/usr/lib/systemd/system/foo.service.d/10-go.conf: re-run enable after the unit changes.\n") == true)

        try root.write("/etc/systemd/system/foo.service.d/override.conf", "[Service]\nEnvironment=LD_PRELOAD=/late.so\n")
        try root.write("/etc/systemd/system/foo.socket", "[Socket]\nListenStream=80\n")
        try root.write("/etc/default/foo", "export GODEBUG=z=1\n")
        try root.write("/etc/systemd/system/foo.service.d/60-file.conf", "[Service]\nEnvironmentFile=-/etc/default/foo\n")
        let warned = root.mptcpctl("enable foo")
        #expect(warned.status == 0)
        #expect(warned.stderr == "mptcpctl: warning: enable: /etc/systemd/system/foo.service.d/override.conf sorts after 50-mptcp.conf "
            + "and sets LD_PRELOAD or GODEBUG or resets Environment=: its value replaces mptcpctl's; merge the two or rename it to sort before\n"
            + "mptcpctl: warning: enable: EnvironmentFile=/etc/default/foo sets GODEBUG: it is read after Environment= and replaces the "
            + "drop-in's value; add the preload library there\n"
            + "mptcpctl: warning: enable: /etc/systemd/system/foo.socket exists: the listening socket is made by systemd, not by the "
            + "service, and stays TCP; set SocketProtocol=mptcp in the socket unit (systemd 257 or later)\n" + Self.buildTree)
        #expect(root.environment()["LD_PRELOAD"] == "/late.so")

        try root.write("/lib/systemd/system/tpl@.service", "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true %i\n")
        #expect(root.mptcpctl("enable tpl@one").status == 0)
        #expect(root.exists("/etc/systemd/system/tpl@one.service.d/50-mptcp.conf"))
        #expect(root.verify("tpl@one.service") == CommandResult(status: 0, stdout: "", stderr: ""))
        #expect(root.environment("tpl@one.service")["GODEBUG"] == "multipathtcp=1")
        #expect(root.mptcpctl("enable --list").stdout == "foo.service\ntpl@one.service\n")
    }

    /// A masked unit (`systemctl mask`: a link to /dev/null in /etc hides the vendor's
    /// file) gets its drop-in, with a warning that systemd will not start it and that
    /// enable has to run again once it is unmasked (the vendor's variables were hidden).
    @Test func aMaskedUnitIsSaidToBeMasked() throws {
        let root = try Root()
        try root.write("/lib/systemd/system/bar.service", "[Service]\nExecStart=/bin/true\nEnvironment=LD_PRELOAD=/v.so\n")
        #expect(symlink("/dev/null", root.path + "/etc/systemd/system/bar.service") == 0)
        #expect(root.mptcpctl("enable bar") == CommandResult(status: 0, stdout: "wrote \(root.path)/etc/systemd/system/bar.service.d/50-mptcp.conf\n"
            + "to apply: systemctl daemon-reload && systemctl restart bar.service\n",
            stderr: "mptcpctl: warning: enable: bar.service is masked (/etc/systemd/system/bar.service links to /dev/null): systemd does "
                + "not start it; after 'systemctl unmask bar.service' run enable again, so the drop-in keeps the unit's own LD_PRELOAD "
                + "and GODEBUG\n" + Self.buildTree))
        // Unmasked, enable again: the vendor's LD_PRELOAD is kept, and nothing is said of a mask.
        #expect(unlink(root.path + "/etc/systemd/system/bar.service") == 0)
        let again = root.mptcpctl("enable bar")
        #expect(again.status == 0 && again.stderr == Self.buildTree, "\(again)")
        #expect(root.environment("bar.service")["LD_PRELOAD"] == "/v.so \(Self.library)")
        #expect(root.mptcpctl("disable bar").status == 0 && !root.exists("/etc/systemd/system/bar.service.d"))
    }

    /// Drop-ins of every service (`service.d`) and of a name's prefix (`a-.service.d`)
    /// apply too, as systemd 250 and later read them.
    @Test func topLevelAndPrefixDropInsAreMergedToo() throws {
        let root = try Root()
        try root.write("/etc/systemd/system/a-b.service", "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true\n")
        try root.write("/etc/systemd/system/service.d/10-all.conf", "[Service]\nEnvironment=GODEBUG=all=1\n")
        try root.write("/usr/lib/systemd/system/a-.service.d/20-prefix.conf", "[Service]\nEnvironment=LD_PRELOAD=/prefix.so\n")
        #expect(root.mptcpctl("enable a-b").status == 0)
        #expect(root.read("/etc/systemd/system/a-b.service.d/50-mptcp.conf")?.contains("# Merged with the unit's own LD_PRELOAD from "
            + "/usr/lib/systemd/system/a-.service.d/20-prefix.conf, GODEBUG from /etc/systemd/system/service.d/10-all.conf: ") == true)
        #expect(root.verify("a-b.service") == CommandResult(status: 0, stdout: "", stderr: ""))
        #expect(root.environment("a-b.service") == ["LD_PRELOAD": "/prefix.so \(Self.library)", "GODEBUG": "all=1,multipathtcp=1"])
    }

    /// Without --root, on a system systemd runs (`/run/systemd/system`), systemd is told
    /// (`systemctl daemon-reload`, no shell) and a failure is one. Run in a mount
    /// namespace of its own with tmpfs on /run and /etc/systemd/system and a systemctl
    /// that records its words, so nothing of this system changes.
    @Test func withoutRootSystemdReloads() throws {
        let fake = NSTemporaryDirectory() + "mptcpctl-systemctl-\(getpid())"
        try FileManager.default.createDirectory(atPath: fake, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: fake) }
        try "#!/bin/sh\necho \"$@\" >> \(fake)/calls\nexit ${FAKE_STATUS:-0}\n".write(toFile: fake + "/systemctl", atomically: true, encoding: .utf8)
        chmod(fake + "/systemctl", 0o755)
        // The tmpfs on /run hides the staged mptcpctl: it is reached through /mnt, bound
        // to it first (a folder only root writes, as enable requires of the library's).
        let top = ((Self.staged as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let mptcpctl = "/mnt/" + Self.mptcpctl.dropFirst(top.count + 1)
        let result = Shell.run("unshare", ["--mount", "--propagation", "private", "sh", "-c", """
            mount --bind '\(top)' /mnt && mount -t tmpfs none /run && mkdir -p /run/systemd/system \\
                && mount -t tmpfs none /etc/systemd/system || exit 99
            printf '[Service]\\nExecStart=/bin/true\\n' > /etc/systemd/system/foo.service
            export PATH=\(fake):$PATH
            '\(mptcpctl)' enable foo 2>/dev/null; echo "exit $?"
            FAKE_STATUS=1 '\(mptcpctl)' disable foo 2>&1; echo "exit $?"
            ls -A /etc/systemd/system
            """])
        #expect(result == CommandResult(status: 0, stdout: """
            wrote /etc/systemd/system/foo.service.d/50-mptcp.conf
            systemctl daemon-reload: done; restart foo.service to apply
            exit 0
            removed /etc/systemd/system/foo.service.d/50-mptcp.conf
            mptcpctl: disable: systemctl daemon-reload failed (exit 1): the drop-in is changed; run 'systemctl daemon-reload && systemctl restart foo.service'
            exit 3
            foo.service

            """, stderr: ""))
        #expect((try? String(contentsOfFile: fake + "/calls", encoding: .utf8)) == "daemon-reload\ndaemon-reload\n")
    }

    /// LD_PRELOAD splits at blanks and colons: a library whose path has one is refused.
    @Test func aLibraryPathLDPreloadCannotHoldIsRefused() throws {
        let root = try Root()
        let folder = NSTemporaryDirectory() + "mptcpctl enable:\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.mptcpctl, toPath: folder + "/mptcpctl")
        try FileManager.default.copyItem(atPath: Self.library, toPath: folder + "/libmptcpwrap.so")
        let tree = root.tree
        #expect(Shell.run(folder + "/mptcpctl", ["enable", "foo", "--root", root.path]) == CommandResult(status: 3, stdout: "",
            stderr: "mptcpctl: enable: the preload library's path '\(folder)/libmptcpwrap.so' has a blank, a control character, ':' "
                + "or '\"', which LD_PRELOAD cannot hold; install mptcpctl under a plain path\n"))
        #expect(root.tree == tree)
    }

    /// A folder of this system outside the root, standing for what a hostile image links
    /// to (`/etc/systemd/system/ssh.service.d`); removed when the test ends.
    final class Outside {
        let path = NSTemporaryDirectory() + "mptcpctl-enable-outside-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        init() throws { try FileManager.default.createDirectory(atPath: path + "/ssh.service.d", withIntermediateDirectories: true) }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        /// Every file under it.
        var files: [String] { (FileManager.default.subpaths(atPath: path) ?? []).sorted() }
    }

    /// A link under --root that points out of it, by an absolute path or by '..', is
    /// resolved inside the root, as systemd resolves it there: the drop-in is written
    /// inside the root or not at all, never outside it (issue 29, item 1).
    @Test func linksOutOfTheRootResolveInsideIt() throws {
        let root = try Root()
        let outside = try Outside()
        let folder = root.path + "/etc/systemd/system/foo.service.d"
        let inside = outside.path + "/ssh.service.d/50-mptcp.conf"
        // foo.service.d -> OUTSIDE/ssh.service.d, which the root does not have: nowhere to write.
        #expect(symlink(outside.path + "/ssh.service.d", folder) == 0)
        #expect(root.mptcpctl("enable foo") == CommandResult(status: 3, stdout: "", stderr: Self.buildTree
            + "mptcpctl: enable: cannot create \(folder): ENOENT (No such file or directory)\n"))
        #expect(outside.files == ["ssh.service.d"])
        // The root has it: the drop-in goes there, and systemd finds it through the link.
        try FileManager.default.createDirectory(atPath: root.path + outside.path + "/ssh.service.d", withIntermediateDirectories: true)
        #expect(root.mptcpctl("enable foo") == CommandResult(status: 0, stdout: "wrote \(root.path)\(Self.dropIn)\n"
            + "to apply: systemctl daemon-reload && systemctl restart foo.service\n", stderr: Self.buildTree))
        #expect(root.read(inside)?.hasPrefix(Self.header) == true)
        #expect(root.mptcpctl("enable --list").stdout == "foo.service\n")
        #expect(root.mptcpctl("disable foo").status == 0)
        #expect(!root.exists(inside))
        // By '..', more of them than the root is deep: they stop at the root.
        #expect(unlink(folder) == 0)
        #expect(symlink(String(repeating: "../", count: 40) + outside.path + "/ssh.service.d", folder) == 0)
        #expect(root.mptcpctl("enable foo").status == 0)
        #expect(root.exists(inside))
        #expect(root.mptcpctl("disable foo").status == 0)
        #expect(outside.files == ["ssh.service.d"])

        // The drop-in itself a link out, to a file that looks like ours: neither followed nor
        // replaced nor removed.
        try (Self.header + "[Service]\n").write(toFile: outside.path + "/ssh.service.d/50-mptcp.conf", atomically: true, encoding: .utf8)
        #expect(unlink(folder) == 0)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(symlink(outside.path + "/ssh.service.d/50-mptcp.conf", root.path + Self.dropIn) == 0)
        let notOurs = "\(root.path)\(Self.dropIn) was not written by mptcpctl: left as it is\n"
        #expect(root.mptcpctl("enable foo") == CommandResult(status: 3, stdout: "", stderr: Self.buildTree + "mptcpctl: enable: " + notOurs))
        #expect(root.mptcpctl("disable foo") == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: disable: " + notOurs))
        #expect(root.mptcpctl("enable --list").stdout == "")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root.path + Self.dropIn) == outside.path + "/ssh.service.d/50-mptcp.conf")
        #expect((try? String(contentsOfFile: outside.path + "/ssh.service.d/50-mptcp.conf", encoding: .utf8)) == Self.header + "[Service]\n")

        // The whole administrator's directory a link out: --list and enable look inside the root.
        #expect(unlink(root.path + Self.dropIn) == 0)
        try FileManager.default.createDirectory(atPath: outside.path + "/system/bar.service.d", withIntermediateDirectories: true)
        try (Self.header + "[Service]\n").write(toFile: outside.path + "/system/bar.service.d/50-mptcp.conf", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: root.path + "/etc/systemd/system")
        #expect(symlink(outside.path + "/system", root.path + "/etc/systemd/system") == 0)
        #expect(root.mptcpctl("enable --list") == CommandResult(status: 0, stdout: "", stderr: ""))
        #expect(root.mptcpctl("enable foo").status == 3)
        #expect(outside.files == ["ssh.service.d", "ssh.service.d/50-mptcp.conf", "system", "system/bar.service.d",
                                  "system/bar.service.d/50-mptcp.conf"])
    }

    /// An absolute link inside the image names a file of the image, not this system's
    /// file of that name (issue 29, item 2): the unit file, a link into another unit
    /// directory as `systemctl link` and package managers leave them (which
    /// `systemd-analyze verify --root` resolves inside the root too), and a drop-in, a
    /// link to a file of this system's name. (systemd 252's `systemd-analyze verify
    /// --root` reads a drop-in's link target on this system; the image's own systemd,
    /// booted, reads its own: the drop-in's text is checked for that one.)
    @Test func absoluteLinksInsideTheImageResolveInsideIt() throws {
        let root = try Root()
        let outside = try Outside()
        let unit = "mptcpctl-image-only.service"
        #expect(access("/usr/lib/systemd/system/" + unit, F_OK) != 0, "this system has no file of that name")
        try root.write("/usr/lib/systemd/system/" + unit, "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true\nEnvironment=LD_PRELOAD=/image.so\n")
        #expect(symlink("/usr/lib/systemd/system/" + unit, root.path + "/etc/systemd/system/" + unit) == 0)
        // This system's file of the drop-in's name, which must not be read; the image's own.
        try "[Service]\nEnvironment=GODEBUG=this=system\n".write(toFile: outside.path + "/go.conf", atomically: true, encoding: .utf8)
        try root.write(outside.path + "/go.conf", "[Service]\nEnvironment=GODEBUG=image=1\n")
        try root.write("/etc/systemd/system/\(unit).d/.keep", "")
        #expect(symlink(outside.path + "/go.conf", root.path + "/etc/systemd/system/\(unit).d/10-go.conf") == 0)
        let dropIn = "/etc/systemd/system/\(unit).d/50-mptcp.conf"
        #expect(root.mptcpctl("enable \(unit)") == CommandResult(status: 0, stdout: "wrote \(root.path)\(dropIn)\n"
            + "to apply: systemctl daemon-reload && systemctl restart \(unit)\n", stderr: Self.buildTree))
        #expect(root.read(dropIn) == "# Written by mptcpctl enable: TCP sockets of this service are MPTCP (mptcpctl disable \(unit) removes it).\n"
            + "# Merged with the unit's own LD_PRELOAD from /etc/systemd/system/\(unit), GODEBUG from "
            + "/etc/systemd/system/\(unit).d/10-go.conf: re-run enable after the unit changes.\n"
            + "[Service]\nEnvironment=\"LD_PRELOAD=/image.so \(Self.library)\" \"GODEBUG=image=1,multipathtcp=1\"\n")
        #expect(root.verify(unit) == CommandResult(status: 0, stdout: "", stderr: ""))
        #expect(root.environment(unit)["LD_PRELOAD"] == "/image.so \(Self.library)")
        // A masking link (to /dev/null) is the mask it is, though the image has no /dev/null.
        #expect(unlink(root.path + "/etc/systemd/system/\(unit).d/10-go.conf") == 0)
        #expect(symlink("/dev/null", root.path + "/etc/systemd/system/\(unit).d/10-go.conf") == 0)
        #expect(root.mptcpctl("enable \(unit)").status == 0)
        #expect(root.environment(unit) == ["LD_PRELOAD": "/image.so \(Self.library)", "GODEBUG": "multipathtcp=1"])
    }

    /// The library goes into root's services: a copy of mptcpctl with its library in a
    /// folder anyone may write (mode 0777, under /run, which only root writes) is
    /// refused, the folder and why named, nothing written; made 0755 it serves; a
    /// library anyone may write is refused (issue 29, item 5).
    @Test func aLibraryOthersCouldReplaceIsRefused() throws {
        let root = try Root()
        let folder = "/run/mptcpctl-enable-trust-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: Self.mptcpctl, toPath: folder + "/mptcpctl")
        try FileManager.default.copyItem(atPath: Self.library, toPath: folder + "/libmptcpwrap.so")
        chmod(folder + "/libmptcpwrap.so", 0o644)
        let tree = root.tree
        func enable() -> CommandResult { Shell.run(folder + "/mptcpctl", ["enable", "foo", "--root", root.path]) }
        let tail = ", or install mptcpctl where only root can write ('make install')\n"
        #expect(chmod(folder, 0o777) == 0)
        #expect(enable() == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: enable: the preload library \(folder)/libmptcpwrap.so is "
            + "not safe to preload into root's services: \(folder) is writable by group or others (mode 0777): they could replace the "
            + "library; fix: 'chmod go-w \(folder)'" + tail))
        #expect(root.tree == tree)
        #expect(chmod(folder, 0o755) == 0)
        let taken = enable()
        #expect(taken.status == 0, "\(taken)")
        #expect(root.read(Self.dropIn)?.contains("\"LD_PRELOAD=/x.so \(folder)/libmptcpwrap.so\"") == true)
        #expect(chmod(folder + "/libmptcpwrap.so", 0o666) == 0)
        #expect(enable() == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: enable: the preload library \(folder)/libmptcpwrap.so is "
            + "not safe to preload into root's services: \(folder)/libmptcpwrap.so is writable by group or others (mode 0666): they "
            + "could replace the library; fix: 'chmod go-w \(folder)/libmptcpwrap.so'" + tail))
    }

    /// A 50-mptcp.conf that mptcpctl did not write is neither replaced nor removed.
    @Test func aForeignFileOfTheSameNameIsLeftAlone() throws {
        let root = try Root()
        try root.write(Self.dropIn, "[Service]\nEnvironment=MINE=1\n")
        let message = "\(root.path)\(Self.dropIn) was not written by mptcpctl: left as it is\n"
        #expect(root.mptcpctl("enable foo") == CommandResult(status: 3, stdout: "", stderr: Self.buildTree + "mptcpctl: enable: " + message))
        #expect(root.mptcpctl("disable foo") == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: disable: " + message))
        #expect(root.read(Self.dropIn) == "[Service]\nEnvironment=MINE=1\n")
        #expect(root.mptcpctl("enable --list").stdout == "")
    }
}
