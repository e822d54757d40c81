import Foundation
import Testing

/// A terminal for a full-screen program: a detached tmux session on its own server
/// (its socket in a fresh temporary directory, so no user's tmux is touched), of a
/// given size, whose screen is read with capture-pane and typed into with send-keys.
/// The server is killed when the session goes, also when a test fails.
final class TmuxSession {
    private let directory: URL
    private var socket: String { directory.appendingPathComponent("tmux").path }

    /// Starts `command` (run by sh) in a `columns`×`rows` terminal whose environment
    /// adds `environment` (TERM is tmux's own).
    init(_ command: String, columns: Int = 80, rows: Int = 24, environment: [String: String] = [:]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mptcpctl-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = ["new-session", "-d", "-s", "top", "-x", String(columns), "-y", String(rows)]
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(name)=\(value)"] }
        // The server's environment is the tests' own, but for what decides how a
        // program draws: NO_COLOR only where a test sets it.
        let status = Self.spawnAndWait(["env", "-u", "NO_COLOR", "tmux", "-S", socket] + arguments + [command])
        try #require(status == 0, "tmux new-session: wait status \(status)")
    }

    /// Runs `arguments` (looked up in PATH) with /dev/null for its standard streams and
    /// waits for it: its wait status. Not with Foundation's Process: one whose child
    /// starts tmux's server was seen never to notice that child's exit (swift 6.3).
    private static func spawnAndWait(_ arguments: [String]) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // A clean signal mask and default dispositions: the test process blocks signals
        // (SIGTERM, SIGHUP among them) and its children would inherit that, so the
        // server's panes ignored kill-server's SIGHUP and outlived the test.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return status
    }

    deinit {
        _ = tmux(["kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func tmux(_ arguments: [String]) -> CommandResult { Shell.run("tmux", ["-S", socket] + arguments) }

    /// The screen's lines as shown (trailing blanks removed by tmux); with `escapes`,
    /// with the colour and attribute sequences of each cell.
    func screen(escapes: Bool = false) -> [String] {
        let captured = tmux(["capture-pane", "-p"] + (escapes ? ["-e"] : []) + ["-t", "top"]).stdout
        var lines = captured.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Types `keys` (tmux key names or literal text).
    func send(_ keys: String...) { tmux(["send-keys", "-t", "top"] + keys) }

    func resize(columns: Int, rows: Int) { tmux(["resize-window", "-t", "top", "-x", String(columns), "-y", String(rows)]) }

    /// The pid of the first child of the session's shell (the program it runs).
    func programPID() -> Int32? {
        guard let shell = Int32(tmux(["display-message", "-p", "-t", "top", "#{pane_pid}"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        let children = Shell.run("pgrep", ["-P", String(shell)]).stdout.split(separator: "\n")
        return children.first.flatMap { Int32($0) }
    }

    /// Waits up to `seconds` (times the patience) until `condition` holds of the
    /// screen; the last screen seen, and whether it held.
    @discardableResult
    func waitFor(seconds: Double = 10, escapes: Bool = false, _ condition: ([String]) -> Bool) -> (screen: [String], held: Bool) {
        var lines: [String] = []
        let held = waitUntil(seconds: seconds, every: 0.05) {
            lines = screen(escapes: escapes)
            return condition(lines)
        }
        return (lines, held)
    }
}
