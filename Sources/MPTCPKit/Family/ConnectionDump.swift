import Glibc
import Netlink

/// One namespace's sock_diag replies made into connections as they arrive, each reply
/// decoded in place: first the MPTCP sockets (`addMPTCP`), then the TCP sockets
/// (`addTCP`) of the families `subflowFamilies` names; `connections` joins them. A
/// malformed reply is kept, the first one, and `connections` throws it: a count of
/// connections or subflows is never made of part of a dump.
public struct ConnectionDump {
    private var sockets: [Connection] = []
    private var subflows: [UInt32: [Subflow]] = [:]
    private var wantsSubflows = false, wantsIPv6Subflows = false
    /// The first reply that did not read as the uapi says.
    public private(set) var malformed: MalformedAttribute?

    public init() {}

    /// An MPTCP socket (the reply of a dump of MPTCP sockets); other replies are left out.
    public mutating func addMPTCP(_ reply: MessageView) {
        guard let (connection, family) = decoded({ () throws(MalformedAttribute) in try SockDiagAttributes.connection(reply) })
        else { return }
        if Self.hasSubflows(connection) {
            wantsSubflows = true
            if family == UInt8(AF_INET6) { wantsIPv6Subflows = true }
        }
        sockets.append(connection)
    }

    /// A TCP socket: kept when it is an MPTCP subflow.
    public mutating func addTCP(_ reply: MessageView) {
        guard let subflow = decoded({ () throws(MalformedAttribute) in try SockDiagAttributes.subflow(reply) }) else { return }
        subflows[subflow.localToken, default: []].append(subflow)
    }

    /// What `decode` gives; its error, the first, is kept.
    private mutating func decoded<T>(_ decode: () throws(MalformedAttribute) -> T?) -> T? {
        do throws(MalformedAttribute) { return try decode() } catch {
            if malformed == nil { malformed = error }
            return nil
        }
    }

    /// The TCP dumps the MPTCP sockets so far need: none without a connection (only
    /// listeners, or nothing); AF_INET6 only when one of them is an AF_INET6 socket, as
    /// an AF_INET connection's subflows are all AF_INET (an AF_INET6 one may have both).
    /// Each TCP dump walks the whole of the kernel's TCP hash, however few sockets the
    /// namespace has: one left out is time saved.
    public var subflowFamilies: [UInt8] {
        wantsSubflows ? (wantsIPv6Subflows ? [UInt8(AF_INET), UInt8(AF_INET6)] : [UInt8(AF_INET)]) : []
    }

    /// A listener has no subflows, and neither has a socket without `mptcp_info` (no
    /// token to join them by).
    private static func hasSubflows(_ connection: Connection) -> Bool {
        !connection.isListening && connection.info != nil
    }

    /// The MPTCP sockets as connections, in the order the kernel listed them, each with
    /// the subflows whose local token is its token: the initial subflow first, then by
    /// local id, then remote id (the kernel lists sockets in hash order). Subflows whose
    /// connection is not listed (it closed between the two dumps) are left out. The
    /// first malformed reply is the error. The dump is emptied: its sockets and subflows
    /// are moved into the connections, not copied, so that each array has one owner
    /// and the caller changes them in place (ten thousand subflows are 3 MB).
    public mutating func connections() throws(MalformedAttribute) -> [Connection] {
        if let malformed { throw malformed }
        var joined = sockets
        sockets = []
        for index in joined.indices where Self.hasSubflows(joined[index]) {
            if let found = subflows[joined[index].token] { joined[index].subflows = Self.ordered(found) }
        }
        subflows = [:]
        return joined
    }

    private static func ordered(_ subflows: [Subflow]) -> [Subflow] {
        guard subflows.count > 1 else { return subflows }
        return subflows.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            return (x.isInitial ? 0 : 1, x.localID, x.remoteID, a.offset) < (y.isInitial ? 0 : 1, y.localID, y.remoteID, b.offset)
        }.map(\.element)
    }
}
