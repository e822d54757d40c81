import Foundation
import Testing

/// Docs/mptcpctl.8 and Docs/completions/ are generated from the command definitions
/// (`make man`, `make completions`) and committed: these fail when the built mptcpctl
/// no longer matches them.
struct GeneratedDocsTests {
    static let docs = ReadmeKernelTests.readme.deletingLastPathComponent().appendingPathComponent("Docs")

    @Test(arguments: [("bash", "mptcpctl.bash"), ("zsh", "_mptcpctl"), ("fish", "mptcpctl.fish")])
    func theCompletionsAreCurrent(shell: String, file: String) throws {
        let committed = try String(contentsOf: Self.docs.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        let generated = Shell.run(Shell.mptcpctl, ["--generate-completion-script", shell])
        #expect(generated.status == 0)
        #expect(generated.stdout == committed, "Docs/completions/\(file) is stale: run 'make completions'")
    }

    /// The page carries the hash of the `--experimental-dump-help` it was generated from.
    @Test func theManPageIsCurrent() throws {
        let page = try String(contentsOf: Self.docs.appendingPathComponent("mptcpctl.8"), encoding: .utf8)
        let dump = Shell.run(Shell.mptcpctl, ["--experimental-dump-help"])
        #expect(dump.status == 0)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mptcpctl-dump-help-\(getpid()).json")
        try Data(dump.stdout.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let hash = try #require(Shell.run("sha256sum", [file.path]).stdout.split(separator: " ").first)
        #expect(page.contains(".\\\" dump-help sha256 \(hash)\n"), "Docs/mptcpctl.8 is stale: run 'make man'")
        #expect(page.contains(".Dt MPTCPCTL 8\n"))
    }
}
