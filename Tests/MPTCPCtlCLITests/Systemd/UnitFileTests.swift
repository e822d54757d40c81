@testable import MPTCPCtlCLI
import Testing

/// What `enable` reads of a unit file or drop-in, as systemd reads it: sections,
/// comments, continuation lines, line ends, quoting and escapes (systemd.syntax(7)).
struct UnitFileTests {
    @Test func environmentLinesAreReadAsSystemdReadsThem() throws {
        let file = try UnitFile(parsing: """
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

    /// systemd's read_line: '\n', '\r' and NUL each end a line, a run of them one end
    /// while no kind comes twice and no NUL came ("\r\n" one, "\n\n" two); a BOM is
    /// dropped; a line that is not UTF-8, or a word that is not once undone, is ignored.
    @Test func linesEndWhereSystemdEndsThem() throws {
        let lines = UnitFile.physicalLines(Array("a\r\nb\n\nc\n\r\u{0}d\u{0}\u{0}e\r".utf8))
        #expect(lines.map { String(decoding: $0, as: UTF8.self) } == ["a", "b", "", "c", "d", "", "e"])
        #expect(try UnitFile(parsing: "\u{FEFF}[Service]\r\nEnvironment=A=1 \\\r\n  B=2\r\n").environment
            == [.set(name: "A", value: "1"), .set(name: "B", value: "2")])
        #expect(try UnitFile(parsing: Array("[Service]\nEnvironment=A=1\nEnvironment=B=".utf8) + [0xFF]
            + Array("\nEnvironment=C=\\xff D=2\n".utf8)).environment == [.set(name: "A", value: "1"), .set(name: "D", value: "2")])
        // Only an empty value resets.
        #expect(try UnitFile(parsing: "[Service]\nEnvironment=A=1\nEnvironment=\"\"\n").environment == [.set(name: "A", value: "1")])
    }

    @Test func anEmptyEnvironmentLineForgetsWhatCameBefore() throws {
        let file = try UnitFile(parsing: "[Service]\nEnvironment=LD_PRELOAD=/a.so GODEBUG=x=1\nEnvironment=\nEnvironment=GODEBUG=y=2 GODEBUG=z=3\n"
            + "EnvironmentFile=-/etc/default/foo\nPassEnvironment=LD_PRELOAD HOME\n")
        #expect(file.value(of: "LD_PRELOAD") == nil)
        #expect(file.value(of: "GODEBUG") == "z=3")
        #expect(file.changes("LD_PRELOAD"))
        #expect(file.environmentFiles == ["-/etc/default/foo"])
        #expect(file.passedEnvironment == ["LD_PRELOAD", "HOME"])
        #expect(try !UnitFile(parsing: "[Service]\nEnvironment=GODEBUG=1\n").changes("LD_PRELOAD"))
        #expect(UnitFile.words("  a   b\t'c d'  ") == ["a", "b", "c d"])
        #expect(UnitFile.words("\"\"") == [""])
    }
}
