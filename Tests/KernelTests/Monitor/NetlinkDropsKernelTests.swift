import Foundation
import MPTCPKit
import Netlink
import Testing

/// `NetlinkDrops` (how many messages the kernel dropped for a socket: `monitor`'s count
/// of lost events) read by a thread that is in another namespace than the main thread,
/// as every reading in `NetworkNamespace.within` is.
struct NetlinkDropsKernelTests {
    /// An rtnetlink socket with the smallest receive buffer in a throwaway namespace,
    /// made and counted on a thread of its own: addresses added there overrun it, and
    /// the drops counted are its own (the main thread's namespace has no socket of that
    /// inode).
    @Test func aThreadInAnotherNamespaceCountsItsOwnSocketsDrops() throws {
        try TestNamespace.with { ns in
            let name = ns.name
            let counts = try Self.onThreadOfItsOwn { () throws -> [Int?] in
                let (socket, drops) = try NetworkNamespace.within(name) { () throws(PathManagerError) in
                    let socket: RouteSocket
                    do throws(NetlinkError) {
                        socket = try RouteSocket()
                        socket.setReceiveBuffer(bytes: 1)
                        try socket.subscribe()
                    } catch { throw .transport(error) }
                    var info = stat()
                    fstat(socket.fileDescriptor, &info)
                    return (socket, NetlinkDrops(inode: UInt64(info.st_ino)))
                }
                // Back in the thread's own namespace: the counter still reads the socket's.
                guard let drops else { return [] }
                let before = drops.sinceLastCall()
                for number in 1...40 { Shell.run("ip", ["-n", name, "address", "add", "10.9.0.\(number)/32", "dev", "lo"]) }
                let dropped = drops.sinceLastCall(), after = drops.sinceLastCall()
                return withExtendedLifetime(socket) { [before, dropped, after] }
            }
            try #require(counts.count == 3, "/proc/thread-self/net/netlink could not be opened")
            #expect(counts[0] == 0, "before: nothing dropped, and the socket found in the table read")
            let dropped = try #require(counts[1], "the socket is not in the table read")
            #expect(dropped > 0)
            #expect(counts[2] == 0)
        }
    }

    /// `body` on a new thread (never the main one), waited for.
    static func onThreadOfItsOwn<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        nonisolated(unsafe) var result: Result<T, Error>?
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result = Result { try body() }
            done.signal()
        }
        thread.start()
        done.wait()
        return try result!.get()
    }
}
