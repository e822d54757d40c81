import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// How a batch file is cut into command lines.
struct BatchTests {
    @Test func commentsAndBlankLinesAreSkippedAndLinesKeepTheirNumbers() throws {
        let lines = try Batch.lines("# set-up\n\nendpoint add 10.0.2.1 subflow\n  # indented comment\n-n ns1 limits set subflows 4 # why\n", file: "f")
        #expect(lines == [
            Batch.Line(number: 3, words: ["endpoint", "add", "10.0.2.1", "subflow"]),
            Batch.Line(number: 5, words: ["-n", "ns1", "limits", "set", "subflows", "4"]),
        ])
    }

    @Test func quotesAndBackslashesKeepBlanksInsideAWord() {
        #expect(Batch.split(#"-n "my ns" endpoint show"#) == ["-n", "my ns", "endpoint", "show"])
        #expect(Batch.split(#"a 'b c' d\ e f#g"#) == ["a", "b c", "d e", "f#g"])
        #expect(Batch.split("a ''") == ["a", ""])
        #expect(Batch.split("a 'b") == nil)
    }

    @Test func anUnterminatedQuoteNamesTheLine() {
        #expect(throws: CLIError.usage("f:2: unterminated quote")) { try Batch.lines("limits show\nendpoint 'x\n", file: "f") }
    }

    /// A line must end for the next one to run: what runs until stopped is refused (exit
    /// 2, the line named), `top --iterations` too (it also reads keys), as `monitor
    /// --count` is; the lines that end around them run.
    @Test func linesThatNeverEndAreRefused() throws {
        let program = InProcess()
        var context = program.context
        context.readFile = { _, _ throws(CLIError) in
            // (A bare `top` line would, before the refusal, run for ever in-process.)
            "monitor\nsync /etc/mptcpctl/sync.yaml\ntop --iterations 1\ntop --delay 5 --iterations 2\n"
                + "userspace listen 10.0.2.1 port 8080\nrun -- true\nmonitor --count 1\nlimits show\n"
        }
        let status = try BatchRunner(context: context, file: "f", netns: nil, force: true).run()
        #expect(status == .usage)
        let never = "runs until stopped, so it cannot be a line of -b FILE: run it on its own"
        let top = "top runs until stopped (or for its --iterations) and reads keys from the terminal, so it cannot be a line of "
            + "-b FILE: run it on its own"
        #expect(program.errors == """
            mptcpctl: f:1: monitor \(never)
            mptcpctl: f:2: sync \(never)
            mptcpctl: f:3: \(top)
            mptcpctl: f:4: \(top)
            mptcpctl: f:5: userspace listen \(never)
            mptcpctl: f:6: run replaces mptcpctl with its program, so it cannot be a line of -b FILE: run it on its own
            mptcpctl: f:7: monitor \(never)
            mptcpctl: f: 7 of 8 line(s) failed

            """)
        #expect(program.output == "LIMIT              VALUE\nsubflows           2\nadd_addr_accepted  0\n")
    }
}
