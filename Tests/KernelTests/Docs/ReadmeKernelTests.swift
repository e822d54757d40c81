import Foundation
import Testing

/// The README's examples, run as written, in a namespace standing in for `demo`.
struct ReadmeKernelTests {
    struct Step {
        var words: [String]
        var output: [String] = []
        var status: Int32 = 0
    }

    static let readme = Repository.root.appendingPathComponent("README.md")

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

    /// On a kernel without address endpoints (before Linux 6.18) an example that adds
    /// one asserts its clean refusal there and stops (what follows shows it); and a
    /// refusal the kernel words differently (6.1: EINVAL, no number) is the running
    /// kernel's words.
    @Test func theExamplesPrintWhatTheReadmeShows() throws {
        let examples = try Self.examples()
        #expect(examples.count == 6)
        let sixEighteen = "too many addresses or duplicate one: -17", duplicate = "the kernel refused: EEXIST: \(sixEighteen) "
        for steps in examples {
            try TestNamespace.with { ns in
                for step in steps {
                    let words = step.words.map { $0 == "demo" ? ns.name : $0 }
                    let command = "mptcpctl \(step.words.joined(separator: " "))"
                    if !RunningKernel.hasAddressEndpoints, step.words.contains("address"),
                       step.words.prefix(4) == ["-n", "demo", "endpoint", "add"] || step.words.prefix(4) == ["-n", "demo", "e", "a"] {
                        ns.expectNoAddressEndpoints(step.words.dropFirst(2).joined(separator: " "))
                        break
                    }
                    let result = Shell.run(Shell.mptcpctl, words)
                    let expected = step.output.isEmpty ? ""
                        : step.output.joined(separator: "\n").replacingOccurrences(of: " demo", with: " \(ns.name)") + "\n"
                    if expected.contains(duplicate), RunningKernel.duplicateAddressError != sixEighteen {
                        let prefix = String(expected[..<expected.range(of: duplicate)!.lowerBound]) + "the kernel refused: "
                        #expect(result.stdout == "" && result.stderr.hasPrefix(prefix)
                            && result.stderr.contains(": \(RunningKernel.duplicateAddressError)"), "\(command)\n\(result)")
                    } else {
                        #expect(result.stdout + result.stderr == expected, "\(command)")
                    }
                    #expect(result.status == step.status, "\(command)")
                }
            }
        }
    }
}
