import Launch
import MPTCPKit

/// A stand-in for the kernel's side of `SocketSupervisor`: callers and the kernel's
/// answers as scripted, every effect recorded in order, so the supervisor's decisions
/// are tested in-process, without a filter, a listener or root.
public final class RecordingSupervisor: SupervisorSystem {
    public enum Event: Equatable, Sendable {
        case entered(thread: Int32)
        case tookIDs(TaskIdentity)
        case made(family: Int32, type: Int32, protocol: Int32)
        case installed(socket: Int32, call: UInt64)
        case proceeded(call: UInt64)
        case failed(call: UInt64, Errno)
        case released(thread: Int32)
    }

    /// The supervisor's own identity.
    public var own = TaskIdentity(fsuid: 0, fsgid: 0, groups: [0], cgroups: "0::/user.slice/run.scope")
    /// The calls it receives, in order.
    public var calls: [SocketCall] = []
    /// The callers by thread; a thread not here reads as the supervisor's own identity.
    public var callers: [Int32: SocketCaller] = [:]
    /// The calls whose caller went away before the supervisor's reads were vouched for.
    public var gone: Set<UInt64> = []
    public var namespaceRefusal: Errno?
    /// The refusal of the caller's ids (the supervisor's own are always taken back).
    public var identityRefusal: Errno?
    /// What the kernel answers socket(IPPROTO_MPTCP): a descriptor or its errno.
    public var socketAnswer: Result<Int32, Errno> = .success(100)
    public var installRefusal: Errno?
    public private(set) var events: [Event] = []
    private var entered: Int32?

    public init() {}

    public func ownIdentity() throws(Errno) -> TaskIdentity { own }

    public func nextCall() throws(Errno) -> SocketCall? {
        calls.isEmpty ? nil : calls.removeFirst()
    }

    public func caller(_ thread: Int32) -> SocketCaller {
        callers[thread] ?? SocketCaller(namespace: 1000 + thread, identity: own)
    }

    public func release(_ caller: SocketCaller) {
        if let namespace = caller.namespace { events.append(.released(thread: namespace - 1000)) }
    }

    public func isWaiting(_ call: SocketCall) -> Bool { !gone.contains(call.id) }

    public func enterNamespace(of caller: SocketCaller) throws(Errno) {
        if let namespaceRefusal { throw namespaceRefusal }
        guard let namespace = caller.namespace, namespace != entered else { return }
        entered = namespace
        events.append(.entered(thread: namespace - 1000))
    }

    public func takeFileIDs(_ identity: TaskIdentity) throws(Errno) {
        if identity != own, let identityRefusal { throw identityRefusal }
        events.append(.tookIDs(identity))
    }

    public func makeSocket(family: Int32, type: Int32, protocol: Int32) -> Result<Int32, Errno> {
        events.append(.made(family: family, type: type, protocol: `protocol`))
        return socketAnswer
    }

    public func install(_ socket: Int32, answering call: SocketCall) throws(Errno) {
        if let installRefusal { throw installRefusal }
        events.append(.installed(socket: socket, call: call.id))
    }

    public func proceed(_ call: SocketCall) { events.append(.proceeded(call: call.id)) }

    public func fail(_ call: SocketCall, with code: Errno) { events.append(.failed(call: call.id, code)) }
}
