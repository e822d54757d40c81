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
}
