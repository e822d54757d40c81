import MPTCPKit

/// `mptcpctl -b FILE`: each line runs as a command line would, through the same
/// runner, with one path manager (one netlink socket) per namespace for the whole file.
struct BatchRunner {
    let context: Context
    let file: String
    /// The namespace of lines without `-n` (the `-n` given with `-b`).
    let netns: String?
    /// The format of lines that choose none (the `-j`, `-p` or `--format` given with `-b`).
    var format = OutputFormat()
    let force: Bool

    /// Runs the file; returns the exit code: that of the first failing line, 0 if none.
    func run() throws(CLIError) -> ExitCode {
        let name = file == "-" ? "stdin" : file
        let lines = try Batch.lines(try context.readFile(file, "-b"), file: name)
        let managers = ManagerCache(context: context)
        var firstFailure: ExitCode?
        var failures = 0
        for line in lines {
            do throws(CLIError) {
                try runLine(line, managers: managers)
            } catch {
                context.console.error("\(name):\(line.number): \(error.message)")
                failures += 1
                if firstFailure == nil { firstFailure = error.exitCode }
                if !force { break }
            }
        }
        if force, failures > 0 {
            context.console.error("\(name): \(failures) of \(lines.count) line(s) failed")
        }
        return firstFailure ?? .success
    }

    private func runLine(_ line: Batch.Line, managers: ManagerCache) throws(CLIError) {
        // A file written for `ip -batch` (`mptcp endpoint add …`) reads as it stands:
        // Invocation skips a leading `mptcp`.
        var invocation = try Invocation.parse(line.words)
        guard let command = invocation.command else {
            throw .usage("'\(line.words.joined(separator: " "))': a batch line is a command (no help, version or -b)")
        }
        if let reason = Self.notALine(command) {
            throw .usage("\(invocation.path.joined(separator: " ")) \(reason), so it cannot be a line of -b FILE: run it on its own")
        }
        if invocation.netns == nil { invocation.netns = netns }
        if invocation.format.isDefault { invocation.format = format }
        // A failed write of standard output names the line's command.
        var context = context
        context.console.command = invocation.path
        try Runner(context: context, managers: managers).run(invocation)
    }

    /// Why `command` cannot be a line, nil when it can: a line must end for the next to
    /// run, and acts on namespaces only.
    static func notALine(_ command: Command) -> String? {
        switch command {
        case .monitor, .sync, .userspace(.listen):
            return "runs until stopped"
        case .top:
            return "runs until stopped (or for its --iterations) and reads keys from the terminal"
        case .run:
            return "replaces mptcpctl with its program"
        case .enable, .enableList, .disable:
            return "changes systemd's configuration, not a namespace's"
        case .endpoint, .limits, .counters, .check, .doctor, .apply, .export, .connections, .userspace:
            return nil
        }
    }
}
