import Foundation
import Testing

/// The module boundaries the brief and Docs/architecture.md draw, read from the sources:
/// the C modules are imported by Netlink (netlink's) and Launch (starting programs')
/// only; Netlink starts no program; only Launch (and its C module) forks, execs, spawns
/// or speaks seccomp; only the command line imports Launch, and it never imports Netlink;
/// the socket rule and IPPROTO_MPTCP's number are written once.
struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")

    /// Each source file under Sources ("Module/Folder/File.swift", C too) with its text.
    static func files(_ endings: [String] = [".swift", ".c", ".h"]) throws -> [(file: String, text: String)] {
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { file in endings.contains { file.hasSuffix($0) } }.sorted()
        return try files.map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
    }

    /// Each Swift file under Sources with the modules it imports.
    static func imports() throws -> [(file: String, modules: [String])] {
        try files([".swift"]).map { file, text in
            let modules = text.split(separator: "\n").compactMap { line -> String? in
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), words[..<index].allSatisfy({ $0.hasPrefix("@") || $0 == "package" || $0 == "public" }),
                      index + 1 < words.count else { return nil }
                return String(words[index + 1])
            }
            return (file, modules)
        }
    }

    /// `text` without its comments and string literals (roughly: enough to tell a call
    /// from a word in prose).
    static func code(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var kept = "", inString = false, previous: Character = " "
            for character in line {
                if !inString, previous == "/", character == "/" { kept.removeLast(); break }
                if character == "\"", previous != "\\" { inString.toggle(); previous = character; continue }
                if !inString { kept.append(character) }
                previous = character
            }
            return kept
        }.joined(separator: "\n")
    }

    static let cModules = ["CLibNL", "CLinux", "CLaunch"]

    @Test func onlyNetlinkAndLaunchImportTheCModules() throws {
        let all = try Self.imports()
        #expect(all.count > 100)
        let offenders = all.filter { entry in
            let allowed = entry.file.hasPrefix("Netlink/") ? ["CLibNL", "CLinux"] : entry.file.hasPrefix("Launch/") ? ["CLaunch"] : []
            return entry.modules.contains { Self.cModules.contains($0) && !allowed.contains($0) }
        }
        #expect(offenders.map(\.file) == [])
        #expect(all.contains { $0.file.hasPrefix("Netlink/") && $0.modules.contains("CLinux") })
        #expect(all.contains { $0.file.hasPrefix("Launch/") && $0.modules.contains("CLaunch") })
    }

    @Test func theCommandLineAndTheStateFileReaderDoNotImportNetlink() throws {
        let offenders = try Self.imports().filter { entry in
            ["MPTCPCtlCLI/", "MPTCPCtlHelp/", "StateFile/", "mptcpctl/", "mptcpctl-apply/", "Launch/"].contains { entry.file.hasPrefix($0) }
                && entry.modules.contains("Netlink")
        }
        #expect(offenders.map(\.file) == [])
    }

    /// Launch sits between the library and the command line: the library (what a daemon
    /// embeds) never starts programs, and nothing but the command line (and the tests'
    /// stand-ins) reaches Launch.
    @Test func onlyTheCommandLineImportsLaunch() throws {
        let importers = Set(try Self.imports().filter { $0.modules.contains("Launch") }.map { String($0.file.prefix { $0 != "/" }) })
        #expect(importers == ["MPTCPCtlCLI", "LaunchTesting"])
    }

    /// Netlink (and its C module) is netlink only: no fork, exec, spawn or seccomp, not
    /// even in a comment.
    @Test func netlinkStartsNoProgram() throws {
        let words = try Regex(#"\b(v?fork|exec(ve|vp|vpe|v|l|lp|le)|fexecve|posix_spawn\w*|seccomp\w*|SECCOMP\w*|clone3?)\b"#)
        let offenders = try Self.files().filter { ($0.file.hasPrefix("Netlink/") || $0.file.hasPrefix("CLinux/")) && $0.text.contains(words) }
        #expect(offenders.map(\.file) == [])
    }

    /// Only Launch and its C module start programs or speak to seccomp.
    @Test func onlyLaunchStartsPrograms() throws {
        let calls = try Regex(#"\b(v?fork|exec(ve|vp|vpe|v|l|lp|le)|fexecve|posix_spawnp?|waitpid|SYS_seccomp|SECCOMP_\w+)\s*\("#)
        let found = try Self.files().filter { Self.code($0.text).contains(calls) }.map { String($0.file.prefix { $0 != "/" }) }
        #expect(Set(found) == ["Launch", "CLaunch"])
    }

    /// The rule by which a TCP socket() becomes MPTCP stands in one header, which the
    /// preload library and the filter include; IPPROTO_MPTCP's number stands once.
    @Test func theSocketRuleIsWrittenOnce() throws {
        let all = try Self.files()
        let number = try Regex(#"\b262\b"#)
        #expect(all.filter { $0.text.contains(number) }.map(\.file) == ["CLaunch/include/mptcp_socket_rule.h"])
        let includers = all.filter { $0.text.contains("#include \"mptcp_socket_rule.h\"") }.map(\.file)
        #expect(includers == ["CLaunch/include/CLaunch.h", "mptcpwrap/mptcpwrap.c"])
        let filter = try #require(all.first { $0.file == "CLaunch/filter.c" }?.text)
        #expect(filter.contains("mptcp_rule_families") && filter.contains("mptcp_rule_protocols") && filter.contains("MPTCP_RULE_TYPE_MASK"))
        let wrap = try #require(all.first { $0.file == "mptcpwrap/mptcpwrap.c" }?.text)
        #expect(wrap.contains("mptcp_rule_applies(") && wrap.contains("mptcp_rule_falls_back("))
        #expect(!Self.code(wrap).contains("AF_INET") && !Self.code(wrap).contains("ENOPROTOOPT"))
    }
}
