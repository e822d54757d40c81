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

    @Test func environmentLinesAreReadAsSystemdReadsThem() {
        let file = UnitFile(parsing: """
            [Unit]
            Environment=NOT=service
            [Service]
            # Environment=COMMENTED=1
            ; Environment=ALSO=1
            Environment=A=1 "B=two words" C="quoted inside" 'D=single "x"'
            Environment = E=\\"escaped\\" F=back\\\\slash G=%i%% H=\\x41
              Environment=I=continued \\
            # a comment inside a continuation is skipped
              J=next-line
            Environment=notanassignment =nope K=

            """)
        #expect(file.environment == [
            .set(name: "A", value: "1"), .set(name: "B", value: "two words"), .set(name: "C", value: "quoted inside"),
            .set(name: "D", value: "single \"x\""),
            .set(name: "E", value: "\"escaped\""), .set(name: "F", value: "back\\slash"), .set(name: "G", value: "%i%%"),
            .set(name: "H", value: "A"),
            .set(name: "I", value: "continued"), .set(name: "J", value: "next-line"),
            .set(name: "K", value: ""),
        ])
        #expect(file.value(of: "NOT") == nil)
        #expect(file.value(of: "B") == "two words")
    }

    @Test func anEmptyEnvironmentLineForgetsWhatCameBefore() {
        let file = UnitFile(parsing: "[Service]\nEnvironment=LD_PRELOAD=/a.so GODEBUG=x=1\nEnvironment=\nEnvironment=GODEBUG=y=2 GODEBUG=z=3\n"
            + "EnvironmentFile=-/etc/default/foo\nPassEnvironment=LD_PRELOAD HOME\n")
        #expect(file.value(of: "LD_PRELOAD") == nil)
        #expect(file.value(of: "GODEBUG") == "z=3")
        #expect(file.changes("LD_PRELOAD"))
        #expect(file.environmentFiles == ["-/etc/default/foo"])
        #expect(file.passedEnvironment == ["LD_PRELOAD", "HOME"])
        #expect(!UnitFile(parsing: "[Service]\nEnvironment=GODEBUG=1\n").changes("LD_PRELOAD"))
        #expect(UnitFile.words("  a   b\t'c d'  ") == ["a", "b", "c d"])
        #expect(UnitFile.words("\"\"") == [""])
    }

    @Test func theDropInIsWrittenByteForByte() {
        let header = "# Written by mptcpctl enable: TCP sockets of this service are MPTCP (mptcpctl disable foo.service removes it).\n"
        #expect(UnitRunner.dropIn(unit: "foo.service", library: "/usr/local/lib/mptcpctl/libmptcpwrap.so", fallback: true, inherited: [:])
            == header + "[Service]\nEnvironment=\"LD_PRELOAD=/usr/local/lib/mptcpctl/libmptcpwrap.so\" \"GODEBUG=multipathtcp=1\"\n")
        // Theirs first, ours after; a literal '%' of ours doubled, theirs kept in specifier
        // form; '"' and '\' escaped inside the quotes.
        let merged = UnitRunner.dropIn(unit: "foo.service", library: "/opt/100%/lib.so", fallback: false, inherited: [
            "LD_PRELOAD": ("/x.so /%i/y.so", "/etc/systemd/system/foo.service"),
            "GODEBUG": ("a=\"q\\", "/usr/lib/systemd/system/foo.service.d/10-go.conf"),
        ])
        #expect(merged == header
            + "# Merged with the unit's own LD_PRELOAD from /etc/systemd/system/foo.service, GODEBUG from "
            + "/usr/lib/systemd/system/foo.service.d/10-go.conf: re-run enable after the unit changes.\n"
            + "[Service]\nEnvironment=\"LD_PRELOAD=/x.so /%i/y.so /opt/100%%/lib.so\" \"GODEBUG=a=\\\"q\\\\,multipathtcp=1\" "
            + "\"MPTCPCTL_NO_FALLBACK=1\"\n")
        // Already there: not twice; a GODEBUG that sets multipathtcp is left as it is.
        let again = UnitRunner.dropIn(unit: "foo.service", library: "/l.so", fallback: true, inherited: [
            "LD_PRELOAD": ("/l.so", "/etc/systemd/system/foo.service"), "GODEBUG": ("multipathtcp=0", "/etc/systemd/system/foo.service"),
        ])
        #expect(again.hasSuffix("# Merged with the unit's own LD_PRELOAD and GODEBUG from /etc/systemd/system/foo.service: "
            + "re-run enable after the unit changes.\n[Service]\nEnvironment=\"LD_PRELOAD=/l.so\" \"GODEBUG=multipathtcp=0\"\n"))
    }

    /// What the drop-in writes reads back, through systemd's syntax, as the values meant.
    @Test func theDropInReadsBackAsWritten() {
        let text = UnitRunner.dropIn(unit: "a.service", library: "/p%q/l.so", fallback: false, inherited: [
            "GODEBUG": ("x=\"1\" \\ y", "/etc/systemd/system/a.service"),
        ])
        let file = UnitFile(parsing: text)
        #expect(file.value(of: "LD_PRELOAD") == "/p%%q/l.so")
        #expect(file.value(of: "GODEBUG") == "x=\"1\" \\ y,multipathtcp=1")
        #expect(file.value(of: "MPTCPCTL_NO_FALLBACK") == "1")
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
}
