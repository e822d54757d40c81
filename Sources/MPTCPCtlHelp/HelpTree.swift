import ArgumentParser
import Glibc
import MPTCPCtlCLI

/// The help of the command tree, for the helper binary: rendered by
/// swift-argument-parser from the tree's definitions.
package enum HelpTree {
    package static var text: HelpText {
        HelpText(render: { path in Mptcpctl.helpMessage(for: command(at: path)) },
                 passthrough: { arguments in Mptcpctl.main(arguments); exit(0) })
    }

    /// The command at `path` of the tree (as far as the path names one).
    static func command(at path: [String]) -> ParsableCommand.Type {
        var type: ParsableCommand.Type = Mptcpctl.self
        for name in path {
            guard let next = type.configuration.subcommands.first(where: { $0._commandName == name }) else { break }
            type = next
        }
        return type
    }
}
