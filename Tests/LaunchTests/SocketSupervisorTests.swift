import Glibc
@testable import Launch
import LaunchTesting
import MPTCPKit
import Testing

/// `run --intercept`'s supervisor decides, for each TCP socket() CMD's tree makes, whether
/// it can make the MPTCP socket in the caller's name, and answers: the socket installed,
/// the call left to TCP, or failed. Its decisions, over a recording stand-in of the
/// kernel, without a filter or root.
struct SocketSupervisorTests {
    static let stream = Int32(SOCK_STREAM.rawValue)
    static func call(_ id: UInt64, thread: Int32 = 4242, family: Int32 = AF_INET, type: Int32 = stream,
                     protocol: Int32 = 0) -> SocketCall {
        SocketCall(id: id, thread: thread, family: family, type: type, protocol: `protocol`)
    }

    static let nobody = TaskIdentity(fsuid: 65534, fsgid: 65534, groups: [65534], cgroups: "0::/user.slice/run.scope")

    /// The calls answered by `system`, and what was reported.
    static func run(_ system: RecordingSupervisor, _ calls: [SocketCall], fallback: Bool = true) throws -> [SocketSupervisor.Report] {
        system.calls = calls
        var reports: [SocketSupervisor.Report] = []
        try SocketSupervisor(system: system, fallback: fallback).run { reports.append($0) }
        return reports
    }

    @Test func aCallOfTheSupervisorsOwnUserGetsAnMPTCPSocketInItsNamespace() throws {
        let system = RecordingSupervisor()
        let type = Self.stream | Int32(SOCK_NONBLOCK.rawValue)
        #expect(try Self.run(system, [Self.call(1, type: type), Self.call(2, family: AF_INET6, protocol: Int32(IPPROTO_TCP))]).isEmpty)
        #expect(system.events == [
            .entered(thread: 4242), .made(family: AF_INET, type: type, protocol: Int32(IPPROTO_MPTCP)),
            .installed(socket: 100, call: 1), .released(thread: 4242),
            // The same namespace: not entered again.
            .made(family: AF_INET6, type: Self.stream, protocol: Int32(IPPROTO_MPTCP)), .installed(socket: 100, call: 2),
            .released(thread: 4242),
        ])
    }

    @Test func anotherUsersSocketIsMadeWithItsIDsAndTheSupervisorsTakenBack() throws {
        let system = RecordingSupervisor()
        system.callers[7] = SocketCaller(namespace: 1007, identity: Self.nobody)
        #expect(try Self.run(system, [Self.call(1, thread: 7)]).isEmpty)
        #expect(system.events == [
            .entered(thread: 7), .tookIDs(Self.nobody), .made(family: AF_INET, type: Self.stream, protocol: Int32(IPPROTO_MPTCP)),
            .tookIDs(system.own), .installed(socket: 100, call: 1), .released(thread: 7),
        ])
    }

    /// When the socket cannot be the caller's own, the call stays TCP (or, without the
    /// fallback, fails with EPERM) and the reason is reported; no socket is made.
    @Test(arguments: [true, false])
    func aSocketThatCannotBeTheCallersOwnIsNotMade(fallback: Bool) throws {
        let system = RecordingSupervisor()
        system.callers[5] = SocketCaller(namespace: nil, identity: system.own)
        system.callers[6] = SocketCaller(namespace: 1006, identity: nil)
        system.callers[8] = SocketCaller(namespace: 1008, identity: TaskIdentity(fsuid: 0, fsgid: 0, groups: [0], cgroups: "0::/other.slice"))
        let reports = try Self.run(system, [Self.call(1, thread: 0), Self.call(2, thread: 5), Self.call(3, thread: 6), Self.call(4, thread: 8)],
                                   fallback: fallback)
        #expect(reports.map(\.reason) == [.notVisible, .unreadable, .unreadable, .otherCgroup])
        #expect(reports.map(\.thread) == [0, 5, 6, 8] && reports.allSatisfy { $0.fellBack == fallback })
        #expect(!system.events.contains { if case .made = $0 { return true } else { return false } })
        let answers = system.events.filter { if case .released = $0 { return false } else { return true } }
        #expect(answers == (1...4).map { fallback ? .proceeded(call: $0) : .failed(call: $0, .notPermitted) })
    }

    @Test func aNamespaceOrIDsThatCannotBeTakenAreReported() throws {
        let system = RecordingSupervisor()
        system.namespaceRefusal = .notPermitted
        #expect(try Self.run(system, [Self.call(1)]).map(\.reason) == [.cannotEnterNamespace(.notPermitted)])
        let other = RecordingSupervisor()
        other.callers[7] = SocketCaller(namespace: 1007, identity: Self.nobody)
        other.identityRefusal = .notPermitted
        #expect(try Self.run(other, [Self.call(1, thread: 7)], fallback: false).map(\.reason) == [.cannotTakeIdentity(.notPermitted)])
        // The supervisor's own ids are taken back before the call is failed.
        #expect(other.events == [.entered(thread: 7), .tookIDs(other.own), .released(thread: 7), .failed(call: 1, .notPermitted)])
    }

    /// The kernel's refusal of MPTCP follows the socket rule: ENOPROTOOPT, EPROTONOSUPPORT
    /// and EINVAL leave the call to TCP (without the fallback, fail with the kernel's
    /// errno); any other error is the caller's answer.
    @Test(arguments: [ENOPROTOOPT, EPROTONOSUPPORT, EINVAL, EACCES, ENOMEM], [true, false])
    func theKernelsRefusalOfMPTCPIsAnsweredByTheRule(code: Int32, fallback: Bool) throws {
        let system = RecordingSupervisor()
        system.socketAnswer = .failure(Errno(rawValue: code))
        #expect(try Self.run(system, [Self.call(1)], fallback: fallback).isEmpty)
        let refusal = [ENOPROTOOPT, EPROTONOSUPPORT, EINVAL].contains(code)
        #expect(system.events.dropLast().last == (refusal && fallback ? .proceeded(call: 1) : .failed(call: 1, Errno(rawValue: code))))
    }

    /// A caller gone before its reads were vouched for gets nothing; one gone before the
    /// socket was installed takes it with it; one whose descriptors are full sees why.
    @Test func aCallerThatWentAwayIsNotAnswered() throws {
        let system = RecordingSupervisor()
        system.gone = [1]
        #expect(try Self.run(system, [Self.call(1)]).isEmpty)
        #expect(system.events == [.released(thread: 4242)])
        let installing = RecordingSupervisor()
        installing.installRefusal = .noSuchFileOrDirectory
        _ = try Self.run(installing, [Self.call(1)])
        #expect(!installing.events.contains { if case .failed = $0 { return true } else { return false } })
        let full = RecordingSupervisor()
        full.installRefusal = Errno(rawValue: EMFILE)
        _ = try Self.run(full, [Self.call(1)])
        #expect(full.events.contains(.failed(call: 1, Errno(rawValue: EMFILE))))
    }

    /// A call that does not ask for TCP (the filter hands over none) runs as made.
    @Test func aCallThatIsNotTCPRunsAsMade() throws {
        let system = RecordingSupervisor()
        #expect(try Self.run(system, [Self.call(1, family: AF_UNIX), Self.call(2, protocol: Int32(IPPROTO_MPTCP))]).isEmpty)
        #expect(system.events == [.proceeded(call: 1), .proceeded(call: 2)])
    }
}
