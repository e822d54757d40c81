import Foundation

/// A program running in the background, whose output is collected until it ends.
/// (Sendable by its lock: reader threads fill it.)
final class Background: @unchecked Sendable {
    enum Stream { case stdout, stderr }

    let process = Process()
    private let lock = NSLock()
    private var outData = Data(), errData = Data()
    private let readers = DispatchGroup()

    struct NotReady: Error, CustomStringConvertible { let description: String }

    /// How many times longer than here every wait may last: `make test-kernels` sets
    /// MPTCPCTL_TEST_PATIENCE in its guests, which run emulated, many times slower.
    static let patience = Double(ProcessInfo.processInfo.environment["MPTCPCTL_TEST_PATIENCE"] ?? "") ?? 1

    /// Starts `arguments` and waits (up to 10 s, times the patience) until `line` appears on `stream`.
    convenience init(_ arguments: [String], readyOn stream: Stream, line: String) throws {
        try self.init(arguments)
        guard waitFor(line + "\n", on: stream, seconds: 10) else {
            process.terminate()
            throw NotReady(description: "\(arguments.joined(separator: " ")) never said '\(line)': \(text(.stderr))")
        }
    }

    /// Standard input, when the program was given one to wait on.
    private var input: Pipe?

    /// Starts `arguments`; with `input`, its standard input stays open until `closeInput()`.
    init(_ arguments: [String], input: Bool = false) throws {
        let out = Pipe(), err = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        if input {
            let pipe = Pipe()
            self.input = pipe
            process.standardInput = pipe
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        // One blocking reader per pipe, until end of file.
        for (pipe, target) in [(out, Stream.stdout), (err, Stream.stderr)] {
            let handle = pipe.fileHandleForReading
            DispatchQueue.global().async(group: readers) { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    append(data, to: target)
                }
            }
        }
    }

    /// Waits up to `seconds` until `text` appears on `stream`; false if it did not, or
    /// the program ended without it.
    func waitFor(_ text: String, on stream: Stream, seconds: Double) -> Bool {
        waitUntil(seconds: seconds) { self.text(stream).contains(text) || !process.isRunning }
        return self.text(stream).contains(text)
    }

    deinit { if process.isRunning { process.terminate() } }

    /// Ends the program's standard input (it was started with `input: true`).
    func closeInput() {
        try? input?.fileHandleForWriting.close()
    }

    private func append(_ data: Data, to stream: Stream) {
        lock.lock(); defer { lock.unlock() }
        if stream == .stdout { outData.append(data) } else { errData.append(data) }
    }

    func text(_ stream: Stream) -> String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: stream == .stdout ? outData : errData, as: UTF8.self)
    }

    /// Waits up to `seconds` for the program to end by itself; nil if it did not.
    func waitForExit(seconds: Double) -> CommandResult? {
        waitUntil(seconds: seconds) { !process.isRunning }
        guard !process.isRunning else { return nil }
        return finish()
    }

    /// Sends SIGTERM and collects what it printed and how it exited.
    func stop() -> CommandResult {
        if process.isRunning { process.terminate() }
        return finish()
    }

    private func finish() -> CommandResult {
        process.waitUntilExit()
        _ = readers.wait(timeout: .now() + 5)
        return CommandResult(status: process.terminationStatus, stdout: text(.stdout), stderr: text(.stderr))
    }

    /// Starts `mptcpctl -n NS monitor ARGS…` and waits until it has subscribed.
    static func monitor(_ ns: TestNamespace, _ arguments: [String]) throws -> Background {
        try Background([Shell.mptcpctl, "-n", ns.name, "monitor"] + arguments, readyOn: .stderr,
                       line: "mptcpctl: listening for MPTCP path-manager events in namespace \(ns.name)")
    }
}
