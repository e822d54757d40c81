import Foundation
import Glibc
import MPTCPKitTesting
@testable import Netlink
import Synchronization
import Testing

/// The one wait of the subscriptions (events, interface changes), over a Unix datagram
/// socket pair standing in for the kernel's side: what each end of a wait returns.
/// Not root.
struct SubscriptionTests {
    /// A connected pair of datagram sockets: [0] is waited on, [1] sends.
    final class Pair {
        let ends: [Int32]
        init() throws {
            var fds: [Int32] = [-1, -1]
            try #require(socketpair(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
            ends = fds
        }
        deinit { ends.forEach { close($0) } }
        func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(ends[1], $0.baseAddress, $0.count, 0) } }
    }

    @Test func aDatagramIsReadWhole() throws {
        let pair = try Pair()
        pair.send([1, 2, 3])
        #expect(try Subscription.receive(on: pair.ends[0], timeout: 60_000, wake: []) == .datagram([1, 2, 3]))
        #expect(try Subscription.receive(on: pair.ends[0], timeout: 0, wake: []) == .timedOut)
    }

    @Test func aReadableWakeDescriptorComesFirst() throws {
        let pair = try Pair(), wake = try Pair()
        pair.send([1])
        wake.send([9])
        #expect(try Subscription.receive(on: pair.ends[0], timeout: 60_000, wake: [wake.ends[0]]) == .woken(wake.ends[0]))
    }

    @Test func aFailedWaitIsThrownNotTakenForSilence() throws {
        let pair = try Pair()
        let closed = dup(pair.ends[0])
        close(closed)
        #expect(throws: NetlinkError.system(Errno(rawValue: EBADF), operation: "recv")) {
            try Subscription.receive(on: closed, timeout: 60_000, wake: [])
        }
    }

    /// Signals caught while the wait sleeps (as a SIGCHLD or SIGWINCH handler would
    /// catch them) interrupt poll with EINTR: the wait goes on and returns what comes,
    /// not "timed out". The signals are sent only while the waiting thread sleeps in
    /// poll (its /proc state 'S'), so each one interrupts it; the thread is one of the
    /// test's own, with the signal unblocked (the test runner's threads block most).
    @Test func aSignalDoesNotEndTheWait() throws {
        var action = sigaction(), previous = sigaction()
        action.__sigaction_handler.sa_handler = { _ in interruptions.add(1, ordering: .relaxed) }
        sigemptyset(&action.sa_mask)
        try #require(sigaction(SIGURG, &action, &previous) == 0)
        defer { sigaction(SIGURG, &previous, nil) }
        let pair = try Pair()
        final class Waiter: @unchecked Sendable {
            var thread = pthread_t(), id = "", result: Result<Subscription.Received, NetlinkError>?
            let started = DispatchSemaphore(value: 0), ended = DispatchSemaphore(value: 0)
        }
        let waiter = Waiter(), before = interruptions.load(ordering: .relaxed)
        Thread { [fd = pair.ends[0]] in
            var urgent = sigset_t()
            sigemptyset(&urgent)
            sigaddset(&urgent, SIGURG)
            pthread_sigmask(SIG_UNBLOCK, &urgent, nil)
            waiter.thread = pthread_self()
            waiter.id = (try? Self.threadID()) ?? ""
            waiter.started.signal()
            waiter.result = Result { () throws(NetlinkError) in try Subscription.receive(on: fd, timeout: 60_000, wake: []) }
            waiter.ended.signal()
        }.start()
        waiter.started.wait()
        let stat = "/proc/self/task/\(waiter.id)/stat"
        for _ in 0..<3 {
            try #require(Self.waitUntilSleeping(stat))
            pthread_kill(waiter.thread, SIGURG)
            usleep(20_000)
        }
        pair.send([7, 7])
        waiter.ended.wait()
        #expect(interruptions.load(ordering: .relaxed) - before == 3)
        #expect(try waiter.result?.get() == .datagram([7, 7]))
    }

    /// This thread's id, from /proc/thread-self ("PID/task/TID").
    static func threadID() throws -> String {
        var link = [CChar](repeating: 0, count: 64)
        let count = readlink("/proc/thread-self", &link, link.count - 1)
        try #require(count > 0)
        return String(decoding: link.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self).split(separator: "/").last.map(String.init) ?? ""
    }

    /// Waits (up to 10 s) until the thread whose stat file is `path` sleeps; false
    /// at once when it has ended.
    static func waitUntilSleeping(_ path: String) -> Bool {
        for _ in 0..<10_000 {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return false }
            if let close = text.lastIndex(of: ")"), text[text.index(close, offsetBy: 2)] == "S" { return true }
            usleep(1000)
        }
        return false
    }
}

private let interruptions = Atomic<Int>(0)

/// libnl's walk over a datagram's messages: each one whole, a truncated tail left out.
struct MessageWalkTests {
    @Test func eachWholeMessageIsHandedOverWithWhatRemains() {
        func message(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
            le32(UInt32(16 + payload.count)) + le16(type) + le16(0) + le32(0) + le32(0) + payload
        }
        // 21 bytes: padded to 24 before the next.
        let datagram = message(20, [1, 2, 3, 4, 5]) + [0, 0, 0] + message(21, []) + le32(200) + le16(22) + le16(0)
        var seen: [(UInt16, Int32)] = []
        let types = AlignedBytes.messages(in: datagram) { header, remaining -> UInt16? in
            seen.append((header.pointee.nlmsg_type, remaining))
            return header.pointee.nlmsg_type == 21 ? nil : header.pointee.nlmsg_type
        }
        #expect(types == [20])
        #expect(seen.map(\.0) == [20, 21] && seen.map(\.1) == [Int32(datagram.count), Int32(datagram.count - 24)])
        #expect(NetlinkMessage.messages(inDatagram: datagram).map(\.type) == [20, 21])
        #expect(NetlinkMessage.messages(inDatagram: datagram).first?.payload == [1, 2, 3, 4, 5])
        #expect(AlignedBytes.messages(in: Array(datagram.prefix(15))) { _, _ in 1 }.isEmpty)
    }
}
