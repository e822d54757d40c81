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
