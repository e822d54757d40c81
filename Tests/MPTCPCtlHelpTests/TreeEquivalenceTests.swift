import Testing
@testable import MPTCPCtlCLI
@testable import MPTCPCtlHelp

/// The tree that makes help, the manual and completions, and `Invocation`, which the
/// program runs, read every line the same way.
struct TreeEquivalenceTests {
    func parse(_ line: String) throws -> Invocation {
        try Invocation.parse(line.split(separator: " ").map(String.init))
    }

    /// The program runs what Invocation reads; help, completions and the manual come
    /// from swift-argument-parser's tree. Both must read every line the same way.
    @Test(arguments: [
        "endpoint add 10.0.2.1 dev eth1 id 4 subflow backup", "-n ns1 -j endpoint show", "e d id 3",
        "endpoint change 10.0.2.1 port 80 nofullmesh", "endpoint flush", "limits set subflows 4 add_addr_accepted 4",
        "limits -j -p", "monitor -j --event created --event closed --count 2 --timeout 0.5", "-n x monitor",
        "--format ip -j -p monitor -ts --token 0711c4a7 --event SF_CLOSED", "-t --format ip monitor --count 1", "--format ip m -t -ts",
        "counters --all-netns -j", "check address>=1 endpoint=10.0.2.1:address", "doctor -n ns1",
        "apply --dry-run --keep-unlisted state.yaml", "export --all-netns",
        "top --all-netns -j --delay 0.5 --iterations 3 --token 146475a --port 8080 --dev ca --sort rtt", "-n x top",
    ])
    func theArgumentParserTreeReadsTheSameLine(line: String) throws {
        let invocation = try parse(line)
        let command = try Mptcpctl.parseAsRoot(invocation.argumentParserArguments)
        #expect((command as? any TreeCommand)?.invocation == invocation)
    }
}
