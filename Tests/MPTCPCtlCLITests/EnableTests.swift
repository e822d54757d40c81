import Foundation
import Launch
import MPTCPKit
import Testing
@testable import MPTCPCtlCLI

/// `enable` and `disable`: their lines, the unit files they read, the drop-in they write.
struct EnableTests {
    @Test func theLinesReadAsTyped() throws {
        #expect(try Invocation.parse(["enable", "nginx"]).command == .enable(UnitOptions(unit: "nginx.service")))
        #expect(try Invocation.parse(["enable", "--root", "/mnt/", "--no-fallback", "getty@tty1.service"]).command
            == .enable(UnitOptions(unit: "getty@tty1.service", root: "/mnt", fallback: false)))
        #expect(try Invocation.parse(["enable", "--root=/", "dbus-org.freedesktop.network1"]).command
            == .enable(UnitOptions(unit: "dbus-org.freedesktop.network1.service")))
        #expect(try Invocation.parse(["-j", "enable", "--list"]).command == .enableList(root: nil))
        #expect(try Invocation.parse(["enable", "--list", "--root", "/mnt"]).command == .enableList(root: "/mnt"))
        #expect(try Invocation.parse(["disable", "--root", "r", "foo@.service"]).command
            == .disable(UnitOptions(unit: "foo@.service", root: "r")))
        let line = try Invocation.parse(["enable", "--no-fallback", "--root", "/r", "a"])
        #expect(line.argumentParserArguments == ["enable", "--root=/r", "--no-fallback", "--", "a"])
        #expect(try Invocation.parse(["enable", "--help"]).mode == .help)
    }

    @Test(arguments: [
        (["enable"], "enable: missing UNIT: e.g. 'mptcpctl enable nginx' or 'mptcpctl enable --list'"),
        (["disable"], "disable: missing UNIT: e.g. 'mptcpctl disable nginx'"),
        (["enable", "a", "b"], "enable: unexpected word 'b': enable takes one UNIT"),
        (["enable", ""], "enable: bad UNIT '': a unit's name is not empty"),
        (["enable", ".."], "enable: bad UNIT '..': not a unit's name"),
        (["enable", "."], "enable: bad UNIT '.': not a unit's name"),
        (["enable", "/etc/systemd/system/foo.service"], "enable: bad UNIT '/etc/systemd/system/foo.service': a unit's name has no '/' (name the service, not its file)"),
        (["disable", "../x"], "disable: bad UNIT '../x': a unit's name has no '/' (name the service, not its file)"),
        (["enable", "foo.socket"], "enable: 'foo.socket' is a socket unit: enable changes a service (name its .service unit)"),
        (["disable", "multi-user.target"], "disable: 'multi-user.target' is a target unit: disable changes a service (name its .service unit)"),
        (["enable", "a b"], "enable: bad UNIT 'a b': a unit's name has letters, digits and ':', '-', '_', '.', '\\', '@' only"),
        (["enable", "a$"], "enable: bad UNIT 'a$': a unit's name has letters, digits and ':', '-', '_', '.', '\\', '@' only"),
        (["enable", ".service"], "enable: bad UNIT '.service': a unit's name has letters, digits and ':', '-', '_', '.', '\\', '@' only"),
        (["enable", "@x"], "enable: bad UNIT '@x': a unit's name has at most one '@', after its prefix ('getty@tty1', 'getty@')"),
        (["enable", "a@b@c"], "enable: bad UNIT 'a@b@c': a unit's name has at most one '@', after its prefix ('getty@tty1', 'getty@')"),
        (["enable", String(repeating: "a", count: 250)], "enable: bad UNIT '\(String(repeating: "a", count: 250))': longer than 255 bytes"),
        (["enable", "--list", "foo"], "enable --list: unexpected word 'foo': --list takes no UNIT"),
        (["enable", "--list", "--no-fallback"], "enable --list: --no-fallback goes with 'enable UNIT' only"),
        (["-j", "enable", "foo"], "enable: -j and -p work with 'enable --list' only: enable prints what it changed"),
        (["-j", "disable", "foo"], "disable: -j and -p work with 'enable --list' only: disable prints what it changed"),
        (["enable", "--root", "", "foo"], "enable: bad --root '': a directory, e.g. /mnt or an image's root"),
        (["enable", "--root"], "'--root' needs a directory"),
        (["disable", "--no-fallback", "foo"], "'--no-fallback' works with run and enable only"),
        (["disable", "--list"], "'--list' works with enable only"),
        (["run", "--root", "/", "id"], "'--root' works with enable and disable only"),
    ])
    func badLinesAreRefused(line: [String], message: String) {
        #expect(throws: CLIError.usage(message)) { try Invocation.parse(line) }
    }

    @Test func enableAndDisableAreNotBatchLines() throws {
        let program = InProcess()
        var context = program.context
        context.readFile = { _, _ throws(CLIError) in "enable foo --root /nonexistent\ndisable foo\n" }
        let status = try BatchRunner(context: context, file: "f", netns: nil, force: true).run()
        #expect(status == .usage)
        #expect(program.errors == """
            mptcpctl: f:1: enable changes systemd's configuration, not a namespace's, so it cannot be a line of -b FILE: run it on its own
            mptcpctl: f:2: disable changes systemd's configuration, not a namespace's, so it cannot be a line of -b FILE: run it on its own
            mptcpctl: f: 2 of 2 line(s) failed

            """)
    }

    /// A root for `enable --root`, with `web.service`; removed when the test ends.
    final class Image {
        let path = NSTemporaryDirectory() + "mptcpctl-enable-unit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        static let dropIn = "/etc/systemd/system/web.service.d/50-mptcp.conf"

        init(unit: String = "[Service]\nExecStart=/bin/true\n") throws {
            try write("/etc/systemd/system/web.service", unit)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ file: String, _ text: String) throws {
            try FileManager.default.createDirectory(atPath: path + (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + file))
        }

        func read(_ file: String) -> String? { try? String(contentsOfFile: path + file, encoding: .utf8) }

        func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: path + file) }

        /// `enable --root` of this image, in-process: its status, and its last line on
        /// standard error (warnings before it aside).
        func enable(_ unit: String = "web") -> (status: Int32, error: String) {
            let program = InProcess()
            program.files = LibraryTrusted()
            let result = program.result("enable --root \(path) \(unit)")
            return (result.status, String(result.errors.split(separator: "\n").last ?? ""))
        }
    }

    /// The system's file system, but for the trust of the build's preload library: these
    /// tests judge the unit files, wherever the checkout is (one under /tmp holds a
    /// library `enable` rightly refuses: PreloadTrustTests and EnableKernelTests judge that).
    struct LibraryTrusted: FileSystem {
        let system = SystemFileSystem()
        func status(_ path: String) -> FileStatus? { system.status(path) }
        func canAccess(_ path: String, _ access: FileAccess) -> Bool { system.canAccess(path, access) }
        func canonicalPath(_ path: String) throws(Errno) -> String { try system.canonicalPath(path) }
        func checkRootOnly(_ path: String) throws(FileTrust.Problem) {}
        func openRoot(_ path: String) throws(Errno) -> any FileTree { try system.openRoot(path) }
    }

    /// Only a regular file is read, and only up to 64 MiB − 1, the most systemd reads of
    /// a file in one go (READ_FULL_BYTES_MAX): a drop-in that is a FIFO (which blocked
    /// mptcpctl), a device (the image's /dev/zero, which never ends), a directory, or a
    /// file over the limit is refused by name, before it is opened for reading, and
    /// nothing is written (issue 29, item 4).
    @Test func onlyRegularFilesOfBoundedSizeAreRead() throws {
        let image = try Image()
        let folder = image.path + "/etc/systemd/system/web.service.d"
        try image.write("/dev/.keep", "")
        try image.write("/etc/systemd/system/web.service.d/.keep", "")
        #expect(mkfifo(folder + "/10-fifo.conf", 0o644) == 0)
        #expect(image.enable() == (3, "mptcpctl: enable: \(folder)/10-fifo.conf is a FIFO, not a regular file: not read"))
        #expect(unlink(folder + "/10-fifo.conf") == 0)
        #expect(mknod(image.path + "/dev/zero", S_IFCHR | 0o666, dev_t(1 << 8 | 5)) == 0)
        #expect(symlink("/dev/zero", folder + "/10-zero.conf") == 0)
        #expect(image.enable() == (3, "mptcpctl: enable: \(folder)/10-zero.conf is a character device (1:5), not a regular file: not read"))
        #expect(unlink(folder + "/10-zero.conf") == 0)
        #expect(mkdir(folder + "/10-folder.conf", 0o755) == 0)
        #expect(image.enable() == (3, "mptcpctl: enable: \(folder)/10-folder.conf is a directory, not a regular file: not read"))
        #expect(rmdir(folder + "/10-folder.conf") == 0)
        // Sparse: over the limit by one byte, and never read.
        let large = open(folder + "/10-large.conf", O_WRONLY | O_CREAT, 0o644)
        #expect(large >= 0 && ftruncate(large, off_t(64 * 1024 * 1024)) == 0 && close(large) == 0)
        #expect(image.enable() == (3, "mptcpctl: enable: \(folder)/10-large.conf is larger than 67108863 bytes: not read"))
        #expect(!image.exists(Image.dropIn))
        #expect(unlink(folder + "/10-large.conf") == 0)
        #expect(image.enable().status == 0)
        #expect(image.read(Image.dropIn)?.contains("GODEBUG=multipathtcp=1") == true)
    }

    /// Nothing written holds a control character (issue 29, item 3). systemd ends a line
    /// at NUL, '\n' and '\r': a value the unit decodes to one (`\x00`, a raw NUL) would
    /// add a directive to the service if written back, so it is refused, naming the
    /// file; a file name with one is escaped in the drop-in's comment and in messages.
    @Test func noControlCharacterIsWrittenBack() throws {
        let library = try #require(MPTCPPreload.library(besideBinaryIn: HelperHandOver.directory))
        // An escaped NUL, and an escaped ESC in a drop-in.
        let image = try Image(unit: "[Service]\nExecStart=/bin/true\nEnvironment=\"LD_PRELOAD=/a.so\\x00ExecStartPre=/bin/x\\x00#\"\n")
        #expect(image.enable() == (3, "mptcpctl: enable: \(image.path)/etc/systemd/system/web.service sets LD_PRELOAD to a value with a "
            + "control character (\\x00), which systemd would read as the end of a line or worse: not written back; fix the unit first"))
        try image.write("/etc/systemd/system/web.service", "[Service]\nExecStart=/bin/true\n")
        try image.write("/etc/systemd/system/web.service.d/10-go.conf", "[Service]\nEnvironment=GODEBUG=a=\\x1b[2J\n")
        #expect(image.enable() == (3, "mptcpctl: enable: \(image.path)/etc/systemd/system/web.service.d/10-go.conf sets GODEBUG to a "
            + "value with a control character (\\x1b), which systemd would read as the end of a line or worse: not written back; "
            + "fix the unit first"))
        #expect(!image.exists(Image.dropIn))

        // Raw NUL and '\r' end lines, as systemd reads them: two assignments each, not one
        // value holding the rest.
        try image.write("/etc/systemd/system/web.service.d/10-go.conf",
                        "[Service]\nEnvironment=GODEBUG=x=1\u{0}Environment=LD_PRELOAD=/nul.so\rEnvironment=GODEBUG=y=2\n")
        #expect(image.enable().status == 0)
        #expect(image.read(Image.dropIn)?.hasSuffix("[Service]\nEnvironment=\"LD_PRELOAD=/nul.so \(library)\" \"GODEBUG=y=2,multipathtcp=1\"\n") == true)
        // A line ending in an escaped backslash does not go on with the next.
        try image.write("/etc/systemd/system/web.service.d/10-go.conf", "[Service]\nEnvironment=LD_PRELOAD=/a\\\\\nEnvironment=GODEBUG=z=3\n")
        #expect(image.enable().status == 0)
        #expect(image.read(Image.dropIn)?.hasSuffix("[Service]\nEnvironment=\"LD_PRELOAD=/a\\\\ \(library)\" \"GODEBUG=z=3,multipathtcp=1\"\n") == true)

        // A drop-in's name with a newline: one line of comment still, and in messages.
        try FileManager.default.removeItem(atPath: image.path + "/etc/systemd/system/web.service.d/10-go.conf")
        try image.write("/etc/systemd/system/web.service.d/10-a\n[Service]\nExecStartPre=touch pwned\n#.conf", "[Service]\nEnvironment=GODEBUG=x=1\n")
        try image.write("/etc/systemd/system/web.service.d/99-\u{1b}[2J.conf", "[Service]\nEnvironment=LD_PRELOAD=/late.so\n")
        let program = InProcess()
        program.files = LibraryTrusted()
        let result = program.result("enable --root \(image.path) web")
        #expect(result.status == 0)
        #expect(result.errors.contains("mptcpctl: warning: enable: /etc/systemd/system/web.service.d/99-\\x1b[2J.conf sorts after "))
        let written = try #require(image.read(Image.dropIn))
        #expect(written == "# Written by mptcpctl enable: TCP sockets of this service are MPTCP (mptcpctl disable web.service removes it).\n"
            + "# Merged with the unit's own GODEBUG from /etc/systemd/system/web.service.d/10-a\\n[Service]\\nExecStartPre=touch pwned"
            + "\\n#.conf: re-run enable after the unit changes.\n"
            + "[Service]\nEnvironment=\"LD_PRELOAD=\(library)\" \"GODEBUG=x=1,multipathtcp=1\"\n")
        #expect(!written.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F })

        // `enable --list` lists services by their names only: a folder whose name is none is not one.
        try image.write("/etc/systemd/system/x\ny.service.d/50-mptcp.conf", written)
        #expect(InProcess().result("enable --list --root \(image.path)").output == "web.service\n")
    }

    /// A line systemd refuses, 1 MiB or longer (LONG_LINE_MAX, continuation lines joined),
    /// makes the unit fail to load: enable says so rather than write a drop-in for it.
    @Test func aLineSystemdRefusesIsRefused() throws {
        let long = String(repeating: "x", count: 1024 * 1024)
        let image = try Image(unit: "[Service]\nExecStart=/bin/true\nEnvironment=A=\(long)\n")
        #expect(image.enable() == (3, "mptcpctl: enable: \(image.path)/etc/systemd/system/web.service: line 3 is 1 MiB or longer "
            + "(continuation lines joined), which systemd refuses: the unit does not load; fix it first"))
        let half = String(repeating: "x", count: 600 * 1024)
        try image.write("/etc/systemd/system/web.service", "[Service]\nEnvironment=A=\(half) \\\n# a comment\n  B=\(half)\n")
        #expect(image.enable().error.hasSuffix("/etc/systemd/system/web.service: line 4 is 1 MiB or longer (continuation lines joined), "
            + "which systemd refuses: the unit does not load; fix it first"))
        #expect(!image.exists(Image.dropIn))
        try image.write("/etc/systemd/system/web.service", "[Service]\nEnvironment=A=\(half)\nEnvironment=B=\(half)\n")
        #expect(image.enable().status == 0)
    }
}
