import Foundation
import Glibc
@testable import Launch
import LaunchTesting
import MPTCPKit
import Testing

/// The TCP → MPTCP socket rule is one table (`mptcp_socket_rule.h`), applied three ways:
/// by the preload library, by `run --intercept`'s seccomp filter and by its supervisor.
/// The same cases go to all three, and the three must answer alike: the library under
/// LD_PRELOAD in a driver program whose syscall() plays the kernel, the filter installed
/// over the driver with this test as its listener, the supervisor over a recording
/// stand-in of the kernel. None of it needs root or MPTCP.
struct SocketRuleTests {
    static let families = [AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, AF_PACKET]
    static let types = [Int32(SOCK_STREAM.rawValue), Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue),
                        Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue),
                        Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue),
                        // A flag the kernel does not know: the type is still SOCK_STREAM.
                        Int32(SOCK_STREAM.rawValue) | 0x10,
                        Int32(SOCK_DGRAM.rawValue), Int32(SOCK_SEQPACKET.rawValue), Int32(SOCK_RAW.rawValue)]
    static let protocols = [0, Int32(IPPROTO_TCP), Int32(IPPROTO_MPTCP), Int32(IPPROTO_UDP)]
    static let cases: [(family: Int32, type: Int32, protocol: Int32)] = families.flatMap { family in
        types.flatMap { type in protocols.map { (family, type, $0) } }
    }
    /// What the kernel answers socket(IPPROTO_MPTCP): a socket, or an errno (the three
    /// refusals of MPTCP, and others that are the caller's answer).
    static let answers: [Errno?] = [nil, Errno(rawValue: ENOPROTOOPT), Errno(rawValue: EPROTONOSUPPORT), .invalidArgument,
                                    .notPermitted, .noMemory, .permissionDenied]

    /// The driver, built once from Tests/SocketRule by the C compiler.
    static let driver: String? = {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("SocketRule/socket-rule-driver.c").path
        let binary = FileManager.default.temporaryDirectory.appendingPathComponent("socket-rule-driver-\(getpid())").path
        let built = run(["/usr/bin/env", "cc", "-O1", "-Wall", "-Wextra", "-Werror", "-rdynamic", "-o", binary, source], environment: [:])
        return built == 0 ? binary : nil
    }()

    static func run(_ words: [String], environment: [String: String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: words[0])
        process.arguments = Array(words.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    static var caseWords: [String] { cases.map { "\($0.family),\($0.type),\($0.protocol)" } }

    static func lines(_ path: String) throws -> [String] {
        defer { unlink(path) }
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func output() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("socket-rule-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
    }

    /// The preload library's answer to each case: "1" when it asked for MPTCP, then
    /// "mptcp", "asked" (the call as made) or "fails ERRNO".
    static func preload(kernel answer: Errno?, fallback: Bool) throws -> [String] {
        let driver = try #require(driver, "the driver did not build (cc)")
        let library = try #require(MPTCPPreload.library(besideBinaryIn: SystemLauncher().binaryDirectory),
                                   "no libmptcpwrap.so beside the tests: make wrap, then install it into .build/debug")
        let file = output()
        var environment = ["LD_PRELOAD": library, "MPTCP_ANSWER": String(answer?.rawValue ?? 0)]
        if !fallback { environment["MPTCPCTL_NO_FALLBACK"] = "1" }
        try #require(run([driver, "preload", file] + caseWords, environment: environment) == 0)
        return try lines(file)
    }

    /// The supervisor's answer to each case, in the driver's words.
    static func supervisor(kernel answer: Errno?, fallback: Bool) throws -> [String] {
        try cases.enumerated().map { index, rule in
            let system = RecordingSupervisor()
            system.socketAnswer = answer.map { .failure($0) } ?? .success(100)
            let call = SocketCall(id: UInt64(index), thread: 4242, family: rule.family, type: rule.type, protocol: rule.protocol)
            let supervisor = try SocketSupervisor(system: system, fallback: fallback)
            #expect(supervisor.answer(call) == nil)
            let asked = system.events.contains { if case .made = $0 { return true } else { return false } }
            let answers: [String] = system.events.compactMap { event in
                switch event {
                case .installed: return "mptcp"
                case .proceeded: return "asked"
                case let .failed(_, code): return "fails \(code.rawValue)"
                default: return nil
                }
            }
            return (asked ? "1 " : "0 ") + answers.joined(separator: ", ")
        }
    }

    @Test(arguments: answers, [true, false])
    func thePreloadLibraryAndTheSupervisorAnswerAlike(kernel answer: Errno?, fallback: Bool) throws {
        let library = try Self.preload(kernel: answer, fallback: fallback)
        let supervisor = try Self.supervisor(kernel: answer, fallback: fallback)
        #expect(library.count == Self.cases.count)
        let differing = zip(Self.caseWords, zip(library, supervisor)).filter { $1.0 != $1.1 }
        #expect(differing.isEmpty, "family,type,protocol: (library, supervisor): \(differing.prefix(5))")
    }

    /// The filter hands over exactly the calls for which the library asks for MPTCP:
    /// the driver runs under it, and this test, its listener, fails each call it is
    /// handed with EXDEV, which the driver reports.
    @Test func theFilterHandsOverTheCallsTheLibraryMakesMPTCP() throws {
        let driver = try #require(Self.driver, "the driver did not build (cc)")
        let file = Self.output()
        let child = try LaunchCalls.spawnIntercepted(path: driver, arguments: [driver, "filter", file] + Self.caseWords,
                                                     environment: ["PATH=/usr/bin:/bin"], identity: nil, newSession: false)
        defer { close(child.control) }
        let listener = try #require(child.listener, "the filter was refused: \(String(describing: child.failure))")
        defer { close(listener) }
        try LaunchCalls.letGo(child.control)
        #expect(try LaunchCalls.failure(child.control) == nil)
        let kernel = try SeccompListener(listener: listener)
        var handed: [String] = []
        while let call = try kernel.nextCall() {
            handed.append("\(call.family),\(call.type),\(call.protocol)")
            kernel.fail(call, with: Errno(rawValue: EXDEV))
        }
        #expect(try ChildProcess.wait(child.pid) == .exited(0))
        let filter = try Self.lines(file)
        let library = try Self.preload(kernel: nil, fallback: true)
        #expect(filter.count == Self.cases.count)
        let differing = zip(Self.caseWords, zip(filter, library)).filter { ($1.0 == "intercepted") != $1.1.hasPrefix("1 ") }
        #expect(differing.isEmpty, "family,type,protocol: (filter, library): \(differing.prefix(5))")
        #expect(handed == zip(Self.caseWords, filter).filter { $1 == "intercepted" }.map(\.0))
    }

    /// The rule as the issue and the library's header state it, so the three cannot
    /// agree on something else.
    @Test func theRuleIsTCPOverIPv4AndIPv6() {
        let stream = Int32(SOCK_STREAM.rawValue)
        for family in [AF_INET, AF_INET6] {
            for proto in [0, Int32(IPPROTO_TCP)] {
                #expect(SocketRule.applies(family: family, type: stream | Int32(SOCK_NONBLOCK.rawValue), protocol: proto))
            }
            #expect(!SocketRule.applies(family: family, type: stream, protocol: Int32(IPPROTO_MPTCP)))
            #expect(!SocketRule.applies(family: family, type: Int32(SOCK_DGRAM.rawValue), protocol: 0))
        }
        #expect(!SocketRule.applies(family: AF_UNIX, type: stream, protocol: 0))
        #expect(Self.cases.filter { SocketRule.applies(family: $0.family, type: $0.type, protocol: $0.protocol) }.count == 2 * 5 * 2)
        #expect(Self.answers.compactMap { $0 }.filter(SocketRule.fallsBack).map(\.rawValue) == [ENOPROTOOPT, EPROTONOSUPPORT, EINVAL])
        #expect(SocketRule.mptcpProtocol == Int32(IPPROTO_MPTCP))
    }
}
