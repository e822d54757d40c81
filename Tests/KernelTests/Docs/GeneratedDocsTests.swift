import Foundation
import Testing

/// Docs/completions are thin wrappers over `mptcpctl __complete` (nothing in them can go
/// stale), each driven here by its own shell as a user's shell drives it: bash's function
/// with COMP_WORDS and COMP_CWORD set, zsh's through compsys on a terminal, fish's with
/// `complete -C`. Interface names and endpoint ids come from a throwaway namespace.
struct GeneratedDocsTests {
    static let docs = ReadmeKernelTests.readme.deletingLastPathComponent().appendingPathComponent("Docs")

    @Test(arguments: ["mptcpctl.bash", "_mptcpctl", "mptcpctl.fish"])
    func theScriptsAskTheBinary(file: String) throws {
        let script = try String(contentsOf: Self.docs.appendingPathComponent("completions/\(file)"), encoding: .utf8)
        #expect(script.contains(" __complete "))
        #expect(script.split(separator: "\n").count < 25, "Docs/completions/\(file) should stay a thin wrapper")
    }

    /// A shell whose completion of mptcpctl is tested: the script of Docs/completions run
    /// by the shell itself (Debian's bash, zsh and fish), with mptcpctl on PATH.
    enum CompletionShell: String, CaseIterable, CustomTestStringConvertible {
        case bash, zsh, fish
        var testDescription: String { rawValue }
    }

    /// What `shell` offers after each of `lines` (what a user types after `mptcpctl `;
    /// a line ending in a space completes an empty word), each sorted. One shell process
    /// answers all the lines.
    static func complete(_ shell: CompletionShell, _ lines: [String], in directory: String = "/") -> [[String]] {
        let completions = Self.docs.appendingPathComponent("completions").path
        let program: [String]
        switch shell {
        case .bash:
            // bash calls the function with COMP_WORDS and COMP_CWORD set and reads COMPREPLY.
            program = ["bash", "-c", #"""
                source "$COMPLETIONS/mptcpctl.bash" || exit 9
                for line in "$@"; do
                    read -ra COMP_WORDS <<<"mptcpctl $line"
                    [[ -z $line || $line == *' ' ]] && COMP_WORDS+=("")
                    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
                    COMPREPLY=()
                    _mptcpctl
                    (( ${#COMPREPLY[@]} )) && printf '%s\n' "${COMPREPLY[@]}"
                    printf '\x1e\n'
                done
                """#, "bash"]
        case .zsh:
            // compsys needs the line editor, so an interactive zsh runs on a pseudo-terminal
            // (zpty) with Docs/completions first in fpath and compinit loaded, and each line
            // is typed there with a TAB. compinit reads the first line of every file in fpath
            // (over a thousand: minutes in an emulated guest's 9p root), so zsh's own Base
            // and Unix functions come from the digests Debian ships beside them (Base.zwc,
            // Unix.zwc, what zsh itself loads them from), where compinit does not look. compadd is wrapped to append every match it adds
            // to a file; autolist is off, so nothing is listed and nothing asks. TAB is
            // bound to a widget that completes, empties the line and prints a mark: the next
            // line is typed only once the completion is over (with keys pending, zsh may
            // complete differently).
            program = ["zsh", "-f", "-c", #"""
                zmodload zsh/zpty || exit 9
                export COMPLETION_OUT=$(mktemp) || exit 9
                zpty shell zsh -f -i || exit 9
                zpty -w shell 'PS1= RPS1= PS2=; bindkey -e; unsetopt beep autolist listambiguous'
                zpty -w shell 'base=${fpath[(r)*/Completion/Base]}; if [[ -f $base.zwc && -f ${base:h}/Unix.zwc ]]; then fpath=($COMPLETIONS ${base:h} $base.zwc ${base:h}/Unix.zwc); autoload -Uz -w $base.zwc ${base:h}/Unix.zwc; else fpath=($COMPLETIONS $fpath); fi'
                zpty -w shell 'autoload -Uz compinit && compinit -u -D'
                zpty -w shell 'compadd() { if (( ${@[(I)-[ADO]]} )); then builtin compadd "$@"; else local -a m; builtin compadd -O m "$@"; (( $#m )) && print -rl -- $m >>$COMPLETION_OUT; builtin compadd "$@"; fi }'
                zpty -w shell 'integer completed=0; complete-and-mark() { zle complete-word; BUFFER=; zle -I; print -r -- completed-$(( ++completed + 1000 )) }'
                zpty -w shell 'zle -N complete-and-mark; bindkey "^I" complete-and-mark; print -r -- ready-$((40 + 2))'
                zpty -r -m shell reply '*ready-42*' || exit 8
                integer n=1000
                for line in "$@"; do
                    : >|$COMPLETION_OUT
                    zpty -w -n shell "mptcpctl $line"$'\t'
                    zpty -r -m shell reply "*completed-$(( ++n ))*" || exit 8
                    cat -- $COMPLETION_OUT
                    print -r -- $'\x1e'
                done
                zpty -d shell
                rm -f -- $COMPLETION_OUT
                """#, "zsh"]
        case .fish:
            // `complete -C LINE` prints what fish would offer for LINE, a tab before any description.
            program = ["fish", "-c", #"""
                source $COMPLETIONS/mptcpctl.fish; or exit 9
                for line in $argv
                    complete -C "mptcpctl $line"
                    echo \x1e
                end
                """#, "--"]
        }
        let bin = URL(fileURLWithPath: Shell.mptcpctl).deletingLastPathComponent().path
        let result = Shell.run("timeout", ["120", "env", "-C", directory, "PATH=\(bin):/usr/sbin:/usr/bin:/sbin:/bin",
                                           "COMPLETIONS=\(completions)"] + program + lines)
        #expect(result.status == 0, "\(shell): \(result)")
        var answers = result.stdout.split(separator: "\u{1e}\n", omittingEmptySubsequences: false).dropLast().map { block in
            block.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }.sorted()
        }
        if answers.count != lines.count {
            Issue.record("\(shell) answered \(answers.count) of \(lines.count) lines: \(result)")
            answers = Array(repeating: [], count: lines.count)
        }
        return answers
    }

    /// Expects `shell` to offer `cases[i].offered` after `cases[i].line`.
    static func expect(_ shell: CompletionShell, _ cases: [(line: String, offered: [String])], in directory: String = "/",
                       sourceLocation: SourceLocation = #_sourceLocation) {
        for (expected, answer) in zip(cases, complete(shell, cases.map(\.line), in: directory)) {
            #expect(answer == expected.offered, "\(shell): mptcpctl \(expected.line)<TAB>", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: CompletionShell.allCases)
    func objectsCommandsAndOptions(shell: CompletionShell) {
        Self.expect(shell, [
            ("", ["apply", "check", "connections", "counters", "disable", "doctor", "enable", "endpoint", "export", "limits", "monitor",
                  "run", "sync", "top", "userspace"]),
            ("userspace create token a859c0f3 10.0.2.1 ", ["backup", "dev", "id", "local", "nobackup", "port", "remote", "token"]),
            ("c", ["check", "connections", "counters"]),
            ("e ", ["add", "change", "delete", "flush", "show"]),
            ("--f", ["--force", "--format"]),
            ("--format ", ["ip", "json", "openmetrics", "prometheus", "table"]),
            ("monitor --c", ["--count"]),
            ("--format ip monitor --t", ["--timeout", "--timestamp", "--token", "--tshort"]),
            ("top --sort ", ["recv", "rtt", "send", "token"]),
            ("top --i", ["--iterations"]),
            ("limits set subflows 2 ", ["add_addr_accepted"]),
            ("check add", ["add_addr_accepted", "address"]),
            ("check pro", ["program="]),
            ("connections --p", ["--pretty", "--processes"]),
            ("-j connections --listening --", ["--all-netns", "--format", "--json", "--listening", "--netns", "--pretty", "--processes"]),
            ("monitor --event sub_", ["sub_closed", "sub_established", "sub_priority"]),
            ("monitor --event created,SF_E", ["created,SF_ESTABLISHED"]),
        ])
    }

    @Test(arguments: CompletionShell.allCases)
    func interfacesIdsAndNamespacesComeFromTheNamespace(shell: CompletionShell) throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 id 4 subflow")
            ns.expectSuccess("endpoint add 10.0.2.2 id 17 signal")
            let n = "-n \(ns.name)"
            Self.expect(shell, [
                ("\(n) endpoint add 10.0.2.9 ", ["address", "backup", "dev", "fullmesh", "id", "laminar", "port", "signal", "subflow"]),
                ("\(n) endpoint add 10.0.2.9 subflow dev ", ["lo", "v0", "v1"]),
                ("\(n) endpoint add 10.0.2.9 subflow dev v", ["v0", "v1"]),
                ("\(n) endpoint add 10.0.2.9 subflow dev v0 ", ["address", "backup", "fullmesh", "id", "laminar", "port", "signal"]),
                ("\(n) endpoint delete id ", ["17", "4"]),
                ("\(n) endpoint change id ", ["17", "4"]),
                ("\(n) endpoint show id ", ["17", "4"]),
                ("endpoint show \(n) id 1", ["17"]),
                ("\(n) userspace create dev ", ["lo", "v0", "v1"]),
            ])
            // Other namespaces may share the prefix.
            #expect(Self.complete(shell, ["-n \(ns.name.dropLast(2))"]).first?.contains(ns.name) == true, "\(shell)")
        }
    }

    @Test(arguments: CompletionShell.allCases)
    func fileNamesAfterApplyAndBatch(shell: CompletionShell) throws {
        let directory = NSTemporaryDirectory() + "mptcpctl-completion-\(getpid())-\(shell)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["state.yaml", "setup.batch"] { FileManager.default.createFile(atPath: directory + "/" + name, contents: nil) }
        Self.expect(shell, [
            ("apply st", ["state.yaml"]),
            ("apply --dry-run ", ["setup.batch", "state.yaml"]),
            ("-b se", ["setup.batch"]),
            ("-n x -b ", ["setup.batch", "state.yaml"]),
            // run: CMD and its words are CMD's (file names); before CMD, run's options.
            ("run sta", ["state.yaml"]),
            ("run --user u cat -", []),
            ("run --no", ["--no-fallback"]),
            ("run --i", ["--intercept"]),
            // enable and disable: their options, a directory after --root.
            ("enable --", ["--format", "--json", "--list", "--netns", "--no-fallback", "--pretty", "--root"]),
            ("disable --r", ["--root"]),
            ("enable --root st", ["state.yaml"]),
        ], in: directory)
        // UNIT: the services under --root; for disable, those with the drop-in.
        for folder in ["etc/systemd/system/b.service.d", "usr/lib/systemd/system"] {
            try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
        }
        for file in ["usr/lib/systemd/system/a.service", "usr/lib/systemd/system/t@.service", "usr/lib/systemd/system/a.socket",
                     "etc/systemd/system/b.service", "etc/systemd/system/b.service.d/50-mptcp.conf"] {
            FileManager.default.createFile(atPath: directory + "/" + file, contents: nil)
        }
        Self.expect(shell, [
            ("enable --root \(directory) ", ["a.service", "b.service"]),
            ("enable --root \(directory) b", ["b.service"]),
            ("disable --root \(directory) ", ["b.service"]),
            ("enable --root \(directory) b.service ", []),
        ])
    }
}
