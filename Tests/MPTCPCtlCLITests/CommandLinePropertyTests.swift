import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same sequence from the
/// same seed everywhere, so a failing line can be made again.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random command lines from the words of the grammar and words near them: each one
/// either runs, or stops with a usage error that names a word of the line before
/// anything is sent to the kernel. Never a trap.
struct CommandLinePropertyTests {
    static let seed: UInt64 = 0x6d70_7463_7063_746c
    static let lines = 20000

    static let starts = ["endpoint", "e", "endp", "limits", "l", "lim", "check", "ch", "counters", "help", "monitor", "bogus", ""]
    static let verbs = ["add", "a", "change", "c", "delete", "d", "del", "show", "s", "sh", "flush", "f", "set", "se", "help", "x"]
    static let words = [
        // keywords, abbreviated too
        "id", "i", "dev", "d", "port", "p", "po", "subflows", "sub", "add_addr_accepted", "add_a", "a",
        // flags
        "signal", "subflow", "address", "laminar", "backup", "fullmesh", "nobackup", "nofullmesh", "implicit", "Signal",
        // numbers
        "0", "1", "2", "3", "8", "9", "255", "256", "10100", "65535", "65536", "-1", "-0", "+1", "0x10", "0X1f", "0x", "010", "08",
        "1e3", "18446744073709551616", "99999999999999999999999", "٣", "１",
        // addresses
        "10.0.2.1", "10.0.3.1", "2001:db8::1", "::", "::ffff:10.0.2.1", "0.0.0.0", "10.0.2", "256.1.1.1", "1.2.3.4.5",
        "fe80::1%eth1", "[2001:db8::1]", "10.0.2.1/24",
        // interfaces
        "eth1", "eth0", "a/b", "0123456789abcdefg", ".", "..",
        // options and their values
        "-n", "ns1", "-j", "-p", "-jp", "--json", "--all-netns", "-A", "--count", "--count=1", "--event", "--timeout",
        "--dry-run", "--keep-unlisted", "--force", "-b", "--", "-h", "--help", "-V", "--netns=x", "--netns=", "--bogus", "-x", "-",
        // check expectations
        "address>=1", "endpoint=10.0.2.1:subflow", "endpoint=[2001:db8::1]:", "signal==", "bogus<2",
        // garbage
        "", " ", "é", "日本", "'", "\"", "\u{0}", "a\u{0}b", "\u{301}", "-\u{301}",
        String(decoding: [0xff, 0xfe, 0x41], as: UTF8.self), String(decoding: [0x2d, 0xc3], as: UTF8.self),
    ]

    /// A line that starts like a command most of the time, so that most lines reach
    /// the grammar of a command, not only the object's name.
    static func line(_ random: inout SplitMix64) -> [String] {
        var line: [String] = []
        if Int.random(in: 0..<10, using: &random) < 8 {
            line.append(starts.randomElement(using: &random)!)
            if Int.random(in: 0..<10, using: &random) < 8 { line.append(verbs.randomElement(using: &random)!) }
        }
        for _ in 0..<Int.random(in: 0...6, using: &random) { line.append(words.randomElement(using: &random)!) }
        if Int.random(in: 0..<4, using: &random) == 0 {
            line.insert(words.randomElement(using: &random)!, at: Int.random(in: 0...line.count, using: &random))
        }
        return line
    }

    /// Whether a usage message names a word of the line: quoted ('word', or the keyword
    /// it abbreviates); an option as
    /// written, in its long form, or the name or the value of `--option=value`; or, when
    /// a word is missing, the command it is missing from ("endpoint add: missing ADDRESS").
    static func namesAWord(_ message: String, of line: [String]) -> Bool {
        let longForms = ["-A": "--all-netns", "-all-netns": "--all-netns", "-dry-run": "--dry-run",
                         "-keep-unlisted": "--keep-unlisted", "-force": "--force"]
        let named = line.contains { word in
            if message.contains("'\(word)'") { return true }
            // An abbreviated keyword is named in full ('id' for "i").
            if let keyword = Keyword.match(word, in: EndpointWords.keywords + LimitsCommand.keywords),
               message.contains("'\(keyword)'") { return true }
            guard word.hasPrefix("-") else { return false }
            if message.contains(word) || longForms[word].map(message.contains) == true { return true }
            guard let equals = word.firstIndex(of: "=") else { return false }
            return message.contains(word[..<equals]) || message.contains("'\(word[word.index(after: equals)...])'")
        }
        if named { return true }
        if message.hasPrefix("check: missing EXPECTATION") { return line.contains { !$0.isEmpty && "check".hasPrefix($0) } }
        guard let missing = message.firstMatch(of: #/^(endpoint|limits) (\w+): missing /#) else { return false }
        let (object, verb) = (String(missing.1), String(missing.2))
        return line.contains { !$0.isEmpty && object.hasPrefix($0) } && line.contains { !$0.isEmpty && verb.hasPrefix($0) }
    }

    enum Outcome: Hashable { case ran, refusedByKernel, usage, otherObject }

    /// Reads and runs one line as mptcpctl would, against `kernel`: the real parser and
    /// runner, in-process. The property covers the endpoint, limits and check lines;
    /// other objects (whose words are now read when the line is) count as `otherObject`.
    static func run(_ line: [String], kernel: FakeKernel) throws(CLIError) -> Outcome {
        let invocation: Invocation
        do throws(CLIError) {
            invocation = try Invocation.parse(line)
        } catch {
            if let object = object(of: line), !["endpoint", "limits", "check"].contains(object) { return .otherObject }
            throw error
        }
        guard let command = invocation.command else { return .otherObject }
        switch command {
        case .endpoint, .limits:
            let context = Context(console: .discarding, open: { _ in kernel.manager })
            try Runner(context: context).run(invocation)
            return .ran
        default:
            return .otherObject
        }
    }

    /// The object a line names, spelled out, when its first word that is no option names one.
    static func object(of line: [String]) -> String? {
        var index = 0
        while index < line.count {
            let word = line[index]
            if ["-n", "--netns", "-netns", "-b", "--batch", "-batch", "--event", "--count", "--timeout"].contains(word) {
                index += 2
                continue
            }
            if word.hasPrefix("-"), word.count > 1, !word.dropFirst().first!.isNumber { index += 1; continue }
            return Keyword.match(word, in: ["help"] + CommandTable.objects.map(\.name))
        }
        return nil
    }

    @Test func randomCommandLinesRunOrNameTheirFault() {
        var random = SplitMix64(state: Self.seed)
        var outcomes: [Outcome: Int] = [:]
        for number in 1...Self.lines {
            let line = Self.line(&random)
            let kernel = FakeKernel(table: [Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow),
                            Endpoint(id: 2, address: IPAddress("2001:db8::1")!, port: 10100, flags: [.signal, .backup],
                                     interfaceIndex: 3)])
            let outcome: Outcome
            do throws(CLIError) {
                outcome = try Self.run(line, kernel: kernel)
            } catch where error.exitCode == .usage {
                outcome = .usage
                #expect(kernel.requests.isEmpty, "line \(number) \(line): \(error.message) after \(kernel.requests)")
                #expect(Self.namesAWord(error.message, of: line), "line \(number) \(line): \(error.message)")
            } catch {
                outcome = .refusedByKernel
                #expect(error.exitCode == .refused || error.exitCode == .unsupported, "line \(number) \(line): \(error)")
            }
            outcomes[outcome, default: 0] += 1
        }
        // The generator must reach every outcome, or the property says little.
        #expect(outcomes[.ran, default: 0] > 100, "\(outcomes)")
        #expect(outcomes[.usage, default: 0] > 1000, "\(outcomes)")
        #expect(outcomes[.refusedByKernel, default: 0] > 0, "\(outcomes)")
    }
}
