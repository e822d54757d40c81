import Glibc
import MPTCPKit

/// The program: reads the command line, runs it, exits with a documented code.
public enum CommandLineTool {
    package static let version = "0.1.0"

    /// `mptcpctl`: the commands, lean; state files and help are handed to `mptcpctl-apply`.
    public static func main(_ arguments: [String] = CommandLine.arguments) -> Never {
        main(arguments, context: .system(stateFileReader: nil, help: nil))
    }

    /// `mptcpctl-apply`: the same program with a state-file reader and help.
    package static func main(_ arguments: [String] = CommandLine.arguments,
                             stateFileReader: @escaping StateFileReader, help: HelpText) -> Never {
        main(arguments, context: .system(stateFileReader: stateFileReader, help: help))
    }

    static func main(_ arguments: [String], context: Context) -> Never {
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
        if HelperHandOver.needed(for: invocation, in: context) { try HelperHandOver.exec(arguments) }
        var context = context
        context.console.command = invocation.path
        switch invocation.mode {
        case let .passthrough(raw):
            context.help?.passthrough(raw)
        case let .complete(words):
            for candidate in Completion(sources: context.completionSources).candidates(words) { context.console.line(candidate) }
        case let .superviseSockets(fallback):
            return SupervisorRunner(context: context).run(fallback: fallback)
        case .version:
            context.console.line("mptcpctl \(version)")
        case let .batch(file):
            return try BatchRunner(context: context, file: file, netns: invocation.netns, format: invocation.format,
                               force: invocation.force).run()
        case .help:
            if let help = context.help { context.console.line(help.render(invocation.path)) }
        case .run:
            // Invocation has read the line already: nothing else parses it again.
            try Runner(context: context).run(invocation)
        }
        return .success
    }
}
