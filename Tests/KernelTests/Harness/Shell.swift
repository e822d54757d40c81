import Foundation

/// What a command printed and how it exited: what a user sees.
struct CommandResult: Equatable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(status)\nstdout:\n\(stdout)stderr:\n\(stderr)" }
}

enum Shell {
    /// The mptcpctl built next to this test bundle, or the one $MPTCPCTL names (to run
    /// the kernel tests against the release build: `MPTCPCTL=.build/release/mptcpctl`).
    static let mptcpctl: String = {
        if let path = ProcessInfo.processInfo.environment["MPTCPCTL"], !path.isEmpty {
            return URL(fileURLWithPath: path).standardizedFileURL.path
        }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("mptcpctl").path
    }()

    /// Runs a program (looked up in PATH) and waits for it.
    @discardableResult
    static func run(_ program: String, _ arguments: [String]) -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return CommandResult(status: -1, stdout: "", stderr: "cannot run \(program): \(error)")
        }
        // Read both pipes to the end before waiting, so a chatty child cannot block.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    static func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }
}

/// A directory of its own under the temporary directory, with `mode` (chmod'ed, not
/// masked), removed when the value goes: for files that others could, or could not,
/// replace.
final class ScratchDirectory {
    let path: String

    init(mode: mode_t) throws {
        var template = Array((NSTemporaryDirectory() + "mptcpctl-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.EIO) }
        path = String(cString: made)
        chmod(path, mode)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to NAME in the directory (mode 0644); returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        chmod(file, 0o644)
        return file
    }
}
