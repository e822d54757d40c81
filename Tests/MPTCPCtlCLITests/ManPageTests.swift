import Foundation
import Testing
@testable import MPTCPCtlCLI
import MPTCPKit

/// Docs/mptcpctl.8 is written by hand: these keep it in step with the command line
/// (every object, command, option, keyword, flag, counter key, event name, format and
/// exit code the program reads appears in it) and keep it free of mandoc warnings.
struct ManPageTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Docs/mptcpctl.8").path

    /// The page's text with roff escapes of '-' undone, as a reader sees the words.
    static func page() throws -> String {
        try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\\-", with: "-")
    }

    static var words: [String] {
        var words = CommandTable.objects.flatMap { [$0.name] + $0.verbs + $0.options.flatMap(\.names) }
        words += (CommandTable.globalOptions + CommandTable.programOptions).flatMap(\.names)
        words += EndpointWords.keywords + UserspaceWords.keywords + LimitsCommand.keywords + CounterKey.names + OutputFormat.names
        words += EndpointFlags.names.map(\.word) + ["laminar", "nobackup", "nofullmesh"]
        words += PathManagerEvent.Kind.known.map(EventView.name) + PathManagerEvent.Kind.known.map(EventView.ipName)
        words += ["endpoint=", "path=", "program=", "ip-mptcp", "ss", "mptcpize"]
        return words
    }

    @Test func everyWordOfTheCommandLineIsInThePage() throws {
        let page = try Self.page()
        for word in Self.words {
            #expect(page.range(of: word, options: .literal) != nil, "Docs/mptcpctl.8 does not mention '\(word)'")
        }
        for code in ExitCode.allCases {
            #expect(page.contains(".TP\n.B \(code.rawValue)\n"), "Docs/mptcpctl.8: EXIT STATUS lacks \(code.rawValue)")
        }
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "FILES", "EXAMPLES", "SEE ALSO"] {
            #expect(page.contains(".SH \(section)\n"), "Docs/mptcpctl.8 lacks section \(section)")
        }
    }

    /// The test itself fails when a word goes missing (it is not vacuous).
    @Test func aMissingWordIsNoticed() throws {
        let page = try Self.page()
        #expect(!page.contains("nosuchword-\(getpid())"))
        #expect(Self.words.contains("add_addr_accepted") && Self.words.contains("SF_PRIO"))
    }

    @Test func thePageRendersWithoutWarnings() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["mandoc", "-T", "lint", "-W", "warning", Self.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "mandoc -T lint (make deps installs mandoc):\n\(output)")
        #expect(output == "")
    }
}
