import ArgumentParser
import Glibc
import MPTCPKit

/// The program: reads the command line, runs it, exits with a documented code.
public enum CommandLineTool {
    /// `stateFileReader` is nil in `mptcpctl` (which hands `apply` and `-b` over to
    /// `mptcpctl-apply`) and the StateFile module's reader in `mptcpctl-apply`.
    public static func main(_ arguments: [String] = CommandLine.arguments,
                            stateFileReader: StateFileReader? = nil) -> Never {
        let context = Context.system(stateFileReader: stateFileReader)
        do throws(CLIError) {
            exit(try run(arguments, context: context).rawValue)
        } catch {
            context.console.error(error.message)
            exit(error.exitCode.rawValue)
        }
    }

    /// Runs one command line in `context`; returns the exit code of a success (batch
    /// files return the first failing line's).
    static func run(_ arguments: [String], context: Context) throws(CLIError) -> ExitCode {
        let invocation = try Invocation.parse(Array(arguments.dropFirst()))
        if context.stateFileReader == nil, ApplyHandOver.needed(for: invocation) { try ApplyHandOver.exec(arguments) }
        switch invocation.mode {
        case let .passthrough(raw):
            // swift-argument-parser prints completion scripts and help dumps itself, and exits.
            Mptcpctl.main(raw)
        case let .complete(words):
            for candidate in Completion(sources: context.completionSources).candidates(words) { context.console.line(candidate) }
        case .version:
            context.console.line("mptcpctl \(Mptcpctl.version)")
        case let .batch(file):
            return try BatchRunner(context: context, file: file, netns: invocation.netns, format: invocation.format,
                               force: invocation.force).run()
        case .help:
            context.console.line(Mptcpctl.helpMessage(for: command(at: invocation.path)))
        case .run:
            // Invocation has read the line already; building swift-argument-parser's
            // tree again would cost more than the command itself.
            try Runner(context: context).run(invocation)
        }
        return .success
    }

    static func command(at path: [String]) -> ParsableCommand.Type {
        var type: ParsableCommand.Type = Mptcpctl.self
        for name in path {
            guard let next = type.configuration.subcommands.first(where: { $0._commandName == name }) else { break }
            type = next
        }
        return type
    }
}
