import Foundation
import Testing

/// The module boundaries the brief and Docs/architecture.md draw, read from the sources:
/// the C modules are imported by Netlink only, and the command line never imports Netlink.
struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// Each Swift file under Sources (as "Module/Folder/File.swift") with the modules it imports.
    static func imports() throws -> [(file: String, modules: [String])] {
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }.sorted()
        return try files.map { file in
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            let modules = text.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") || $0 == "package" || $0 == "public" }),
                      index + 1 < words.count else { return nil }
                return String(words[index + 1])
            }
            return (file, modules)
        }
    }

    @Test func onlyNetlinkImportsTheCModules() throws {
        let all = try Self.imports()
        #expect(all.count > 100)
        let offenders = all.filter { !$0.file.hasPrefix("Netlink/") && $0.modules.contains { $0 == "CLibNL" || $0 == "CLinux" } }
        #expect(offenders.map(\.file) == [])
        #expect(all.contains { $0.file.hasPrefix("Netlink/") && $0.modules.contains("CLinux") })
    }

    @Test func theCommandLineAndTheStateFileReaderDoNotImportNetlink() throws {
        let offenders = try Self.imports().filter { entry in
            ["MPTCPCtlCLI/", "MPTCPCtlHelp/", "StateFile/", "mptcpctl/", "mptcpctl-apply/"].contains { entry.file.hasPrefix($0) }
                && entry.modules.contains("Netlink")
        }
        #expect(offenders.map(\.file) == [])
    }
}
