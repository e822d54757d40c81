import Foundation
import Testing

/// Docs/completions are thin wrappers over `mptcpctl __complete` (nothing in them can go
/// stale), driven here through bash's own completion function as bash calls it: with
/// COMP_WORDS and COMP_CWORD set, reading COMPREPLY.
struct GeneratedDocsTests {
    static let docs = ReadmeKernelTests.readme.deletingLastPathComponent().appendingPathComponent("Docs")

    @Test(arguments: ["mptcpctl.bash", "_mptcpctl", "mptcpctl.fish"])
    func theScriptsAskTheBinary(file: String) throws {
        let script = try String(contentsOf: Self.docs.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(script.contains(" __complete "))
        #expect(script.split(separator: "\n").count < 25, "Docs/completions/\(file) should stay a thin wrapper")
    }

    /// What bash offers for the line `words` (the last word being completed), sorted.
    static func bash(_ words: [String], in directory: String = "/") -> [String] {
        let script = Self.docs.appendingPathComponent("completions/mptcpctl.bash").path
        let quoted = ([Shell.mptcpctl] + words).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let result = Shell.run("bash", ["-c", """
            cd '\(directory)' && source '\(script)' || exit 9
            COMP_WORDS=(\(quoted.joined(separator: " "))); COMP_CWORD=\(words.count)
            _mptcpctl; printf '%s\\n' "${COMPREPLY[@]}"
            """])
        #expect(result.status == 0, "\(result)")
        return result.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test func objectsCommandsAndOptions() {
        #expect(Self.bash([""]) == ["apply", "check", "connections", "counters", "disable", "doctor", "enable", "endpoint", "export", "limits", "monitor", "run", "sync", "top", "userspace"])
        #expect(Self.bash(["userspace", "create", "token", "a859c0f3", "10.0.2.1", ""])
            == ["backup", "dev", "id", "local", "nobackup", "port", "remote", "token"])
        #expect(Self.bash(["c"]) == ["check", "connections", "counters"])
        #expect(Self.bash(["e", ""]) == ["add", "change", "delete", "flush", "show"])
        #expect(Self.bash(["--f"]) == ["--force", "--format"])
        #expect(Self.bash(["--format", ""]) == ["ip", "json", "openmetrics", "prometheus", "table"])
        #expect(Self.bash(["monitor", "--c"]) == ["--count"])
        #expect(Self.bash(["top", "--sort", ""]) == ["recv", "rtt", "send", "token"])
        #expect(Self.bash(["top", "--i"]) == ["--iterations"])
        #expect(Self.bash(["limits", "set", "subflows", "2", ""]) == ["add_addr_accepted"])
        #expect(Self.bash(["check", "add"]) == ["add_addr_accepted", "address"])
        #expect(Self.bash(["check", "pro"]) == ["program="])
        #expect(Self.bash(["connections", "--p"]) == ["--pretty", "--processes"])
        #expect(Self.bash(["-j", "connections", "--listening", "--"]) == ["--all-netns", "--format", "--json", "--listening", "--netns", "--pretty", "--processes"])
        #expect(Self.bash(["monitor", "--event", "sub_"]) == ["sub_closed", "sub_established", "sub_priority"])
        #expect(Self.bash(["monitor", "--event", "created,SF_E"]) == ["created,SF_ESTABLISHED"])
    }

    @Test func interfacesIdsAndNamespacesComeFromTheNamespace() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 id 4 subflow")
            ns.expectSuccess("endpoint add 10.0.2.2 id 17 signal")
            #expect(Self.bash(["-n", ns.name, "endpoint", "add", "10.0.2.9", ""])
                == ["address", "backup", "dev", "fullmesh", "id", "laminar", "port", "signal", "subflow"])
            #expect(Self.bash(["-n", ns.name, "endpoint", "add", "10.0.2.9", "subflow", "dev", ""]) == ["lo", "v0", "v1"])
            #expect(Self.bash(["-n", ns.name, "endpoint", "add", "10.0.2.9", "subflow", "dev", "v0", ""])
                == ["address", "backup", "fullmesh", "id", "laminar", "port", "signal"])
            for verb in ["delete", "change", "show"] {
                #expect(Self.bash(["-n", ns.name, "endpoint", verb, "id", ""]) == ["17", "4"], "\(verb)")
            }
            #expect(Self.bash(["endpoint", "show", "-n", ns.name, "id", "1"]) == ["17"])
            #expect(Self.bash(["-n", String(ns.name.dropLast(2))]).contains(ns.name))
        }
    }

    @Test func fileNamesAfterApplyAndBatch() throws {
        let directory = NSTemporaryDirectory() + "mptcpctl-completion-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["state.yaml", "setup.batch"] { FileManager.default.createFile(atPath: directory + "/" + name, contents: nil) }
        #expect(Self.bash(["apply", "st"], in: directory) == ["state.yaml"])
        #expect(Self.bash(["apply", "--dry-run", ""], in: directory) == ["setup.batch", "state.yaml"])
        #expect(Self.bash(["-b", "se"], in: directory) == ["setup.batch"])
        #expect(Self.bash(["-n", "x", "-b", ""], in: directory) == ["setup.batch", "state.yaml"])
        // run: CMD and its words are CMD's (file names); before CMD, run's options.
        #expect(Self.bash(["run", "sta"], in: directory) == ["state.yaml"])
        #expect(Self.bash(["run", "--user", "u", "cat", "-"], in: directory) == [])
        #expect(Self.bash(["run", "--no"], in: directory) == ["--no-fallback"])
        // enable and disable: their options, a directory after --root.
        #expect(Self.bash(["enable", "--"], in: directory) == ["--format", "--json", "--list", "--netns", "--no-fallback", "--pretty", "--root"])
        #expect(Self.bash(["disable", "--r"], in: directory) == ["--root"])
        #expect(Self.bash(["enable", "--root", "st"], in: directory) == ["state.yaml"])
        // UNIT: the services under --root; for disable, those with the drop-in.
        for folder in ["etc/systemd/system/b.service.d", "usr/lib/systemd/system"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        for file in ["usr/lib/systemd/system/a.service", "usr/lib/systemd/system/t@.service", "usr/lib/systemd/system/a.socket",
                     "etc/systemd/system/b.service", "etc/systemd/system/b.service.d/50-mptcp.conf"] {
            FileManager.default.createFile(atPath: directory + "/" + file, contents: nil)
        }
        #expect(Self.bash(["enable", "--root", directory, ""]) == ["a.service", "b.service"])
        #expect(Self.bash(["enable", "--root", directory, "b"]) == ["b.service"])
        #expect(Self.bash(["disable", "--root", directory, ""]) == ["b.service"])
        #expect(Self.bash(["enable", "--root", directory, "b.service", ""]) == [])
    }
}
