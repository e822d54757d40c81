import MPTCPKit

/// What `SocketSupervisor` asks of the system, call by call: the seccomp listener and
/// the threads that call (`SeccompListener`, the kernel's), or a stand-in that records
/// the answers, so the supervisor's decisions are tested without a filter or root.
public protocol SupervisorSystem {
    /// The supervisor's own file ids, groups and cgroups.
    func ownIdentity() throws(Errno) -> TaskIdentity
    /// The next call; nil once the last task under the filter has gone (the listener
    /// hangs up).
    func nextCall() throws(Errno) -> SocketCall?
    /// What the calling thread is now: its network namespace, held until `release`, and
    /// its identity; each nil when it cannot be read.
    func caller(_ thread: Int32) -> SocketCaller
    func release(_ caller: SocketCaller)
    /// Whether the call still waits: only then do the reads of its caller speak for it
    /// (a thread id is reused once its task has died).
    func isWaiting(_ call: SocketCall) -> Bool
    /// Moves this thread into the caller's network namespace, unless it is there.
    func enterNamespace(of caller: SocketCaller) throws(Errno)
    /// Takes `identity`'s fsuid, fsgid and groups on this thread (not the process).
    func takeFileIDs(_ identity: TaskIdentity) throws(Errno)
    /// socket(2) here, close-on-exec: a descriptor or the kernel's errno.
    func makeSocket(family: Int32, type: Int32, protocol: Int32) -> Result<Int32, Errno>
    /// Installs `socket` in the caller, whose socket() returns it; the copy here is
    /// closed either way.
    func install(_ socket: Int32, answering call: SocketCall) throws(Errno)
    /// Lets the call run as the caller made it.
    func proceed(_ call: SocketCall)
    /// Fails the call with `code`.
    func fail(_ call: SocketCall, with code: Errno)
}

/// A calling thread as the supervisor read it.
public struct SocketCaller: Sendable, Equatable {
    /// Its network namespace, open; nil when it could not be opened.
    public var namespace: Int32?
    /// Its ids and cgroups; nil when its /proc files could not be read whole.
    public var identity: TaskIdentity?

    public init(namespace: Int32?, identity: TaskIdentity?) { (self.namespace, self.identity) = (namespace, identity) }
}
