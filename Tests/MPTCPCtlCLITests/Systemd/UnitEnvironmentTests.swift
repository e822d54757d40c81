@testable import MPTCPCtlCLI
import Testing

/// The drop-in `enable` writes: the unit's own LD_PRELOAD and GODEBUG carried, ours
/// added, byte for byte, and read back through systemd's syntax as the values meant.
struct UnitEnvironmentTests {
    @Test func theDropInIsWrittenByteForByte() {
        let header = "# Written by mptcpctl enable: TCP sockets of this service are MPTCP (mptcpctl disable foo.service removes it).\n"
        #expect(UnitEnvironment.dropIn(unit: "foo.service", library: "/usr/local/lib/mptcpctl/libmptcpwrap.so", fallback: true, inherited: [:])
            == header + "[Service]\nEnvironment=\"LD_PRELOAD=/usr/local/lib/mptcpctl/libmptcpwrap.so\" \"GODEBUG=multipathtcp=1\"\n")
        // Theirs first, ours after; a literal '%' of ours doubled, theirs kept in specifier
        // form; '"' and '\' escaped inside the quotes.
        let merged = UnitEnvironment.dropIn(unit: "foo.service", library: "/opt/100%/lib.so", fallback: false, inherited: [
            "LD_PRELOAD": ("/x.so /%i/y.so", "/etc/systemd/system/foo.service"),
            "GODEBUG": ("a=\"q\\", "/usr/lib/systemd/system/foo.service.d/10-go.conf"),
        ])
        #expect(merged == header
            + "# Merged with the unit's own LD_PRELOAD from /etc/systemd/system/foo.service, GODEBUG from "
            + "/usr/lib/systemd/system/foo.service.d/10-go.conf: re-run enable after the unit changes.\n"
            + "[Service]\nEnvironment=\"LD_PRELOAD=/x.so /%i/y.so /opt/100%%/lib.so\" \"GODEBUG=a=\\\"q\\\\,multipathtcp=1\" "
            + "\"MPTCPCTL_NO_FALLBACK=1\"\n")
        // Already there: not twice; a GODEBUG that sets multipathtcp is left as it is.
        let again = UnitEnvironment.dropIn(unit: "foo.service", library: "/l.so", fallback: true, inherited: [
            "LD_PRELOAD": ("/l.so", "/etc/systemd/system/foo.service"), "GODEBUG": ("multipathtcp=0", "/etc/systemd/system/foo.service"),
        ])
        #expect(again.hasSuffix("# Merged with the unit's own LD_PRELOAD and GODEBUG from /etc/systemd/system/foo.service: "
            + "re-run enable after the unit changes.\n[Service]\nEnvironment=\"LD_PRELOAD=/l.so\" \"GODEBUG=multipathtcp=0\"\n"))
    }

    /// What the drop-in writes reads back, through systemd's syntax, as the values meant.
    @Test func theDropInReadsBackAsWritten() throws {
        let text = UnitEnvironment.dropIn(unit: "a.service", library: "/p%q/l.so", fallback: false, inherited: [
            "GODEBUG": ("x=\"1\" \\ y", "/etc/systemd/system/a.service"),
        ])
        let file = try UnitFile(parsing: text)
        #expect(file.value(of: "LD_PRELOAD") == "/p%%q/l.so")
        #expect(file.value(of: "GODEBUG") == "x=\"1\" \\ y,multipathtcp=1")
        #expect(file.value(of: "MPTCPCTL_NO_FALLBACK") == "1")
    }
}
