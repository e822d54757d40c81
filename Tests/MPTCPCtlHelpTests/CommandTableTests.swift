import Foundation
import Testing
@testable import MPTCPCtlCLI
import MPTCPCtlHelp

/// The command table `Invocation` reads and the swift-argument-parser tree that makes
/// help, the manual and completions describe the same command line: every command and
/// option of one is in the other, read from the tree's own `--experimental-dump-help`.
struct CommandTableTests {
    /// One command of the dump: its name, its options' long names, its subcommands.
    struct TreeNode {
        var name: String
        var options: Set<String>
        var children: [TreeNode]

        init(_ json: [String: Any]) {
            name = json["commandName"] as? String ?? ""
            var options = Set<String>()
            for argument in json["arguments"] as? [[String: Any]] ?? [] {
                guard let kind = argument["kind"] as? String, kind == "option" || kind == "flag" else { continue }
                let names = argument["names"] as? [[String: Any]] ?? []
                if let long = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String {
                    options.insert("--" + long)
                }
            }
            self.options = options
            children = (json["subcommands"] as? [[String: Any]] ?? []).map(TreeNode.init).filter { $0.name != "help" }
        }
    }

    static func tree() throws -> TreeNode {
        let directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let process = Process()
        process.executableURL = directory.appendingPathComponent("mptcpctl")
        process.arguments = ["--experimental-dump-help"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return TreeNode(try #require(root["command"] as? [String: Any]))
    }

    /// What the tree adds itself to every command.
    static let builtIn: Set<String> = ["--help", "--version"]

    @Test func everyObjectVerbAndOptionOfTheTableIsInTheTreeAndBack() throws {
        let root = try Self.tree()
        #expect(root.name == "mptcpctl")
        let global = Set(CommandTable.globalOptions.map(\.long))
        #expect(root.options.subtracting(Self.builtIn) == global.union(["--batch", "--force"]))
        #expect(Set(CommandTable.programOptions.map(\.long)).isSuperset(of: root.options.subtracting(global)))
        #expect(root.children.map(\.name) == CommandTable.objects.map(\.name))
        for object in CommandTable.objects {
            let node = try #require(root.children.first { $0.name == object.name })
            let leaves = object.verbs.isEmpty ? [node] : node.children
            #expect(Set(node.children.map(\.name)) == Set(object.verbs), "\(object.name)")
            for leaf in leaves {
                let options = leaf.options.subtracting(Self.builtIn)
                #expect(options == global.union(object.options.map(\.long)), "\(object.name) \(leaf.name)")
            }
        }
    }

    @Test func everyOptionOfTheTableIsReadByInvocation() throws {
        for object in CommandTable.objects {
            for option in object.options {
                let line = [object.name] + option.names.prefix(1) + (option.takesValue ? ["1"] : [])
                // Read as an option of its object (a bad value is that option's fault, not an unknown option).
                do {
                    _ = try Invocation.parse(line)
                } catch {
                    #expect(!error.message.contains("unknown option"), "\(line): \(error)")
                }
            }
        }
    }
}
