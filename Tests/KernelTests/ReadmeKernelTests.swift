import Foundation
import Testing

/// The README's examples, run as written, in a namespace standing in for `demo`.
struct ReadmeKernelTests {
    struct Step {
        var words: [String]
        var output: [String] = []
        var status: Int32 = 0
    }

    static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// The console blocks that follow an `<!-- example -->` marker.
    static func examples() throws -> [[Step]] {
        let text = try String(contentsOf: readme, encoding: .utf8)
        return text.components(separatedBy: "<!-- example -->").dropFirst().map { chunk in
            let block = chunk.components(separatedBy: "```console\n")[1].components(separatedBy: "```")[0]
            var steps: [Step] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                if line.hasPrefix("$ mptcpctl ") {
                    steps.append(Step(words: Shell.words(String(line.dropFirst("$ mptcpctl ".count)))))
                } else if line.hasPrefix("(exit status "), let code = Int32(line.dropFirst(13).dropLast()) {
                    steps[steps.count - 1].status = code
                } else {
                    steps[steps.count - 1].output.append(String(line))
                }
            }
            return steps
        }
    }

    @Test func theExamplesPrintWhatTheReadmeShows() throws {
        let examples = try Self.examples()
        #expect(examples.count == 4)
        for steps in examples {
            try TestNamespace.with { ns in
                for step in steps {
                    let words = step.words.map { $0 == "demo" ? ns.name : $0 }
                    let result = Shell.run(Shell.mptcpctl, words)
                    let expected = step.output.isEmpty ? ""
                        : step.output.joined(separator: "\n").replacingOccurrences(of: " demo", with: " \(ns.name)") + "\n"
                    #expect(result.stdout + result.stderr == expected, "mptcpctl \(step.words.joined(separator: " "))")
                    #expect(result.status == step.status, "mptcpctl \(step.words.joined(separator: " "))")
                }
            }
        }
    }
}
