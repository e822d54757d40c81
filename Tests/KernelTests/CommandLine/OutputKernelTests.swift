import Foundation
import Testing

/// A write of standard output that fails is never taken for success: on a full disk
/// (/dev/full) the command says so in one line and exits 3; when the reader has gone
/// (`| head -c1`) it ends quietly with 141, whether SIGPIPE ends it (its default) or
/// is ignored and the write fails with EPIPE; the commands that stream (`top`, `sync`,
/// `monitor`) end too, rather than run on writing to no one.
struct OutputKernelTests {
    static let full = "cannot write standard output: ENOSPC (No space left on device)\n"

    /// `LINE > /dev/full` in the namespace, through a shell as a user types it.
    static func toFull(_ ns: TestNamespace, _ line: String) -> CommandResult {
        Shell.run("bash", ["-c", "exec \"$0\" -n \"$1\" \(line) > /dev/full", Shell.mptcpctl, ns.name])
    }

    @Test(arguments: [("export", "export"), ("-j export", "export"), ("endpoint show", "endpoint show"),
                      ("-j endpoint show", "endpoint show"), ("-j limits show", "limits show"), ("counters", "counters"),
                      ("-j connections", "connections"), ("apply --dry-run", "apply"), ("-j apply --dry-run", "apply")])
    func aFullDiskIsAnError(line: String, command: String) throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            let directory = try ScratchDirectory(mode: 0o755)
            let file = try directory.write("state.yaml", "endpoints: [{address: 10.0.2.1, flags: [subflow]}]\n")
            let result = Self.toFull(ns, line.hasSuffix("apply --dry-run") ? line + " " + file : line)
            #expect(result == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: \(command): \(Self.full)"), "\(line)")
        }
    }

    /// What the shell said of `LINE | head -c1`: mptcpctl's status and what it wrote on
    /// standard error; with `ignoringSIGPIPE`, SIGPIPE is ignored (as a parent may leave
    /// it), so the write fails with EPIPE instead of SIGPIPE ending mptcpctl.
    static func toHead(_ ns: TestNamespace, _ line: String, ignoringSIGPIPE: Bool) throws -> Background {
        try Background(["bash", "-c", (ignoringSIGPIPE ? "trap '' PIPE; " : "")
                            + "\"$0\" -n \"$1\" \(line) | head -c1 >/dev/null; echo \"status ${PIPESTATUS[0]}\"",
                        Shell.mptcpctl, ns.name])
    }

    /// Stops `background` if it has not ended in `seconds` (SIGKILL: the tests' children
    /// have SIGTERM blocked), and returns what it printed.
    static func ended(_ background: Background, seconds: Double) -> CommandResult? {
        if let result = background.waitForExit(seconds: seconds) { return result }
        Shell.run("pkill", ["-KILL", "-P", String(background.process.processIdentifier)])
        _ = background.stop()
        return nil
    }

    /// `top -j` writes a line per sample: once `head` has its byte and is gone, the next
    /// write finds no reader, and top ends.
    @Test(arguments: [false, true])
    func topEndsQuietlyWhenItsReaderGoes(ignoringSIGPIPE: Bool) throws {
        try TestNamespace.with { ns in
            let pipeline = try Self.toHead(ns, "-j top --delay 0.05", ignoringSIGPIPE: ignoringSIGPIPE)
            let result = Self.ended(pipeline, seconds: 10)
            #expect(result == CommandResult(status: 0, stdout: "status 141\n", stderr: ""), "SIGPIPE ignored: \(ignoringSIGPIPE)")
        }
    }

    /// `sync -j` writes a line per step: the first step's line goes to `head`, the
    /// second step's write finds no reader, and sync ends (no rule left half applied:
    /// its steps were carried out before they were written).
    @Test func syncEndsQuietlyWhenItsReaderGoes() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.2.100/24")
            let rules = try ScratchDirectory(mode: 0o755)
            let file = try rules.write("sync.yaml", "interfaces:\n  - name: v0\n    flags: [subflow]\n")
            let pipeline = try Self.toHead(ns, "-j sync \(file)", ignoringSIGPIPE: true)
            var result: CommandResult?
            for number in 1...20 where result == nil {
                ns.ip("address add 10.0.2.\(number)/24 dev v0")
                result = pipeline.waitForExit(seconds: 0.5)
            }
            result = result ?? Self.ended(pipeline, seconds: 2)
            #expect(result?.stdout == "status 141\n")
            // Only sync's own notes: no error for the closed pipe.
            #expect(result?.stderr.contains("cannot write") == false, "\(String(describing: result))")
        }
    }

    /// `monitor` writes a line per event: a listener made and closed gives two.
    @Test func monitorEndsQuietlyWhenItsReaderGoes() throws {
        try TestNamespace.with { ns in
            ns.ip("link set lo up")
            let pipeline = try Self.toHead(ns, "monitor", ignoringSIGPIPE: true)
            #expect(pipeline.waitFor("listening for MPTCP path-manager events", on: .stderr, seconds: 5))
            var result: CommandResult?
            for _ in 1...10 where result == nil {
                let listener = try Background(["ip", "netns", "exec", ns.name, Topology.peer, "server", "127.0.0.1", "8080",
                                               "--connections", "1"], readyOn: .stdout, line: "listening")
                kill(listener.process.processIdentifier, SIGKILL)
                _ = listener.stop()
                result = pipeline.waitForExit(seconds: 0.5)
            }
            result = result ?? Self.ended(pipeline, seconds: 2)
            #expect(result?.stdout == "status 141\n")
            #expect(result?.stderr == "mptcpctl: listening for MPTCP path-manager events in namespace \(ns.name)\n")
        }
    }

    /// A one-shot listing whose reader has already gone (standard output a pipe with
    /// no read end left, so the first write fails): SIGPIPE ends it as it ends ip; with
    /// SIGPIPE ignored, EPIPE ends it all the same, quietly, with 141.
    @Test(arguments: [false, true])
    func aListingToAGoneReaderEndsQuietly(ignoringSIGPIPE: Bool) throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 subflow")
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            close(ends[0])
            let process = Process(), errors = Pipe()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", (ignoringSIGPIPE ? "trap '' PIPE; " : "") + "exec \"$0\" -n \"$1\" -j endpoint show",
                                 Shell.mptcpctl, ns.name]
            process.standardOutput = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
            process.standardError = errors
            try process.run()
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if ignoringSIGPIPE {
                #expect(process.terminationReason == .exit && process.terminationStatus == 141)
            } else {
                #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE)
            }
            #expect(stderr == "")
        }
    }

    /// `counters --output FILE` writes a temporary file and renames it: on a full file
    /// system the old file stays whole, no temporary file is left, and the error is
    /// said (exit 3).
    @Test func outputFileIsReplacedWholeOrNotAtAll() throws {
        try TestNamespace.with { ns in
            let directory = try ScratchDirectory(mode: 0o755)
            // A tmpfs of 8 KiB of its own, in a mount namespace of its own (nothing to unmount).
            let script = """
                mount -t tmpfs -o size=8k tmpfs "$2" || exit 9
                printf 'old\\n' > "$2/metrics.prom"
                head -c 8192 /dev/zero > "$2/filler" 2>/dev/null
                "$0" -n "$1" counters --format prometheus --output "$2/metrics.prom"
                echo "status $?"
                cat "$2/metrics.prom"
                ls -A "$2"
                """
            let result = Shell.run("unshare", ["-m", "--propagation", "private", "bash", "-c", script, Shell.mptcpctl, ns.name,
                                               directory.path])
            #expect(result.stdout == "status 3\nold\nfiller\nmetrics.prom\n", "\(result)")
            #expect(result.stderr == "mptcpctl: cannot write '\(directory.path)/metrics.prom': ENOSPC (No space left on device)\n")
        }
    }
}
