import ArgumentParser
import Glibc
import MPTCPKit

/// The program: reads the command line, runs it, exits with a documented code.
public enum CommandLineTool {
    public static func main(_ arguments: [String] = CommandLine.arguments) -> Never {
        do throws(any Error) {
            let invocation = try Invocation.parse(Array(arguments.dropFirst()))
            if ApplyFile.reader == nil, ApplyFile.needsReader(invocation) { try ApplyFile.handOver(arguments) }
            switch invocation.mode {
            case let .passthrough(raw):
                Mptcpctl.main(raw)
                exit(MPTCPKit.ExitCode.success.rawValue)
            case .version:
                Output.line("mptcpctl \(Mptcpctl.version)")
            case let .batch(file):
                let code = try BatchRun(file: file, netns: invocation.netns, force: invocation.force).run()
                exit(code.rawValue)
            case .help:
                Output.line(Mptcpctl.helpMessage(for: command(at: invocation.path)))
            case .run:
                // Invocation has read the line already; building swift-argument-parser's
                // tree again would cost more than the command itself. The tree serves
                // help, completions and the manual, and a test keeps the two in step.
                try Runner.run(invocation)
            }
            exit(MPTCPKit.ExitCode.success.rawValue)
        } catch let error as MPTCPError {
            Diagnostics.error(error.message)
            exit(error.exitCode.rawValue)
        } catch {
            // swift-argument-parser's own complaints: keep them to one line.
            let text = Mptcpctl.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Diagnostics.error(text)
            exit(MPTCPKit.ExitCode.usage.rawValue)
        }
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
