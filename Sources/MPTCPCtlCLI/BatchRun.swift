import MPTCPKit

/// `mptcpctl -b FILE`: each line runs as a command line would, through the same
/// dispatch, with one path manager (one netlink socket) per namespace for the whole file.
struct BatchRun {
    let file: String
    /// The namespace of lines without `-n` (the `-n` given with `-b`).
    let netns: String?
    let force: Bool

    /// Runs the file; returns the exit code: that of the first failing line, 0 if none.
    func run() throws(MPTCPError) -> ExitCode {
        let name = file == "-" ? "stdin" : file
        let lines = try Batch.lines(try TextFile.read(file), file: name)
        let managers = PathManagers()
        var firstFailure: ExitCode?
        var failures = 0
        for line in lines {
            do throws(MPTCPError) {
                try runLine(line, managers: managers)
            } catch {
                Diagnostics.error("\(name):\(line.number): \(error.message)")
                failures += 1
                if firstFailure == nil { firstFailure = error.exitCode }
                if !force { break }
            }
        }
        if force, failures > 0 {
            Diagnostics.error("\(name): \(failures) of \(lines.count) line(s) failed")
        }
        return firstFailure ?? .success
    }

    private func runLine(_ line: Batch.Line, managers: PathManagers) throws(MPTCPError) {
        var invocation = try Invocation.parse(line.words)
        guard invocation.mode == .run else {
            throw .usage("'\(line.words.joined(separator: " "))': a batch line is a command (no help, version or -b)")
        }
        if invocation.path.first == "monitor" {
            throw .usage("monitor runs until stopped, so it cannot be a line of -b FILE: run it on its own")
        }
        if invocation.netns == nil { invocation.netns = netns }
        try Runner.run(invocation, managers: managers)
    }
}
