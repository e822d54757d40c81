import Foundation
import Testing

/// A throwaway network namespace with a unique name, deleted when the test is done,
/// whether it passed or not.
final class TestNamespace {
    let name: String

    struct CannotCreate: Error, CustomStringConvertible { let description: String }

    init() throws {
        name = "mptcpctl-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let result = Shell.run("ip", ["netns", "add", name])
        guard result.status == 0 else {
            throw CannotCreate(description: "ip netns add \(name) failed (kernel tests need root): \(result.stderr)")
        }
    }

    deinit { Shell.run("ip", ["netns", "delete", name]) }

    /// Runs `body` with a fresh namespace; the namespace is gone afterwards.
    static func with<T>(_ body: (TestNamespace) throws -> T) throws -> T {
        let namespace = try TestNamespace()
        defer { withExtendedLifetime(namespace) {} }
        return try body(namespace)
    }

    /// `mptcpctl -n NAME WORDS…`
    @discardableResult
    func mptcpctl(_ line: String) -> CommandResult {
        Shell.run(Shell.mptcpctl, ["-n", name] + Shell.words(line))
    }

    /// `ip -n NAME WORDS…`: the client we did not write.
    @discardableResult
    func ip(_ line: String) -> CommandResult {
        Shell.run("ip", ["-n", name] + Shell.words(line))
    }

    /// `ip netns exec NAME PROGRAM…`
    @discardableResult
    func exec(_ arguments: [String]) -> CommandResult {
        Shell.run("ip", ["netns", "exec", name] + arguments)
    }

    /// The namespace's endpoints and limits as Debian's `ip` prints them.
    var state: String {
        ip("mptcp endpoint show").stdout + "--\n" + ip("mptcp limits show").stdout
    }

    /// A veth pair v0/v1 inside the namespace, up, with `address` on v0 and lo up.
    func addInterface(address: String) {
        ip("link set lo up")
        ip("link add v0 type veth peer name v1")
        ip("link set v0 up")
        ip("link set v1 up")
        ip("address add \(address) dev v0 nodad")
    }

    /// Asserts that `line` fails with `status` and `message` on stderr, and that the
    /// namespace is exactly as it was.
    func expectFailure(_ line: String, status: Int32, message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let before = state
        let result = mptcpctl(line)
        #expect(result.status == status, "\(line)\n\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr == "mptcpctl: \(message)\n", "\(line)", sourceLocation: sourceLocation)
        #expect(result.stdout == "", sourceLocation: sourceLocation)
        #expect(state == before, "\(line) changed the namespace", sourceLocation: sourceLocation)
    }

    /// The running kernel's text for refusing `ip mptcp LINE` in this namespace as it is
    /// now (what `ip` prints between "Error: " and the final "."): the state is left as
    /// it was, as the kernel refused. "(ip succeeded)" when it did not refuse.
    func ipRefusal(_ line: String) -> String {
        let result = ip("mptcp \(line)")
        guard result.status != 0 else { return "(ip succeeded)" }
        var text = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Asserts the clean refusal of an `address` endpoint on a kernel without them (flag
    /// 0x20 not kept, before Linux 6.18): exit 4, the reason, and nothing changed.
    func expectNoAddressEndpoints(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) {
        expectFailure(line, status: 4, message: "\(line): this kernel lacks address endpoints (it did not keep flag 0x20; "
            + "Linux 6.18 or later has them): the endpoint was removed again, nothing changed", sourceLocation: sourceLocation)
    }

    /// `endpoint add WORDS`: succeeds where the kernel has what WORDS ask for; an
    /// `address` endpoint on a kernel without them is refused cleanly instead. Returns
    /// whether the endpoint was added.
    @discardableResult
    func expectEndpointAdded(_ words: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let line = "endpoint add \(words)"
        if Shell.words(words).contains("address"), !RunningKernel.hasAddressEndpoints {
            expectNoAddressEndpoints(line, sourceLocation: sourceLocation)
            return false
        }
        expectSuccess(line, sourceLocation: sourceLocation)
        return true
    }

    /// Asserts that `line` succeeds and prints `output` (nothing when nil).
    func expectSuccess(_ line: String, output: String = "", sourceLocation: SourceLocation = #_sourceLocation) {
        let result = mptcpctl(line)
        #expect(result == CommandResult(status: 0, stdout: output, stderr: ""), "\(line)", sourceLocation: sourceLocation)
    }
}
