/// Which connection has which subflows, kept up to date from the path manager's events
/// between two readings of the sockets: what healing knows of the connections on each
/// path without dumping them all at every change (a thousand connections cost nothing
/// while nothing fails).
public struct SubflowTable: Sendable, Equatable {
    /// One subflow: its two ends (addresses in their plain form).
    public struct Entry: Sendable, Hashable {
        public var path: NetworkPath
        public var localPort: UInt16
        public var remotePort: UInt16

        public init(path: NetworkPath, localPort: UInt16, remotePort: UInt16) {
            self.path = path
            self.localPort = localPort
            self.remotePort = remotePort
        }
    }

    /// What an event did to the table.
    public enum Change: Sendable, Equatable {
        case opened(token: UInt32, Entry)
        /// A subflow closed; `error` is the kernel's (MPTCP_ATTR_ERROR: 110 timed out,
        /// 104 reset, …; nil or 0 for an orderly close).
        case closed(token: UInt32, Entry, error: UInt8?)
        case connectionClosed(token: UInt32, [Entry])
    }

    /// Each connection (by its token at this end) and its subflows.
    public private(set) var connections: [UInt32: Set<Entry>] = [:]

    public init() {}

    /// Everything again from a reading of the sockets (at start, after events were lost).
    public mutating func replace(with connections: [Connection]) {
        self.connections = [:]
        for connection in connections where !connection.isListening {
            self.connections[connection.token] = Set(connection.subflows.compactMap { subflow in
                subflow.isClosing ? nil : Entry(path: NetworkPath(local: subflow.local, remote: subflow.remote),
                                                localPort: subflow.localPort, remotePort: subflow.remotePort)
            })
        }
    }

    /// Applies one event; returns what it changed (nil: nothing the table keeps).
    @discardableResult
    public mutating func apply(_ event: PathManagerEvent) -> Change? {
        guard let token = event.token else { return nil }
        switch event.kind {
        case .created, .established, .subflowEstablished:
            guard let entry = Self.entry(event) else {
                if connections[token] == nil { connections[token] = [] }
                return nil
            }
            guard connections[token, default: []].insert(entry).inserted else { return nil }
            return .opened(token: token, entry)
        case .subflowClosed:
            guard let entry = Self.entry(event), connections[token]?.remove(entry) != nil else { return nil }
            return .closed(token: token, entry, error: event.error)
        case .closed:
            guard let entries = connections.removeValue(forKey: token) else { return nil }
            return .connectionClosed(token: token, Array(entries))
        default:
            return nil
        }
    }

    static func entry(_ event: PathManagerEvent) -> Entry? {
        guard let saddr = event.saddr, let daddr = event.daddr else { return nil }
        return Entry(path: NetworkPath(local: saddr, remote: daddr), localPort: event.sport ?? 0, remotePort: event.dport ?? 0)
    }

    /// The connections with a subflow on `path`.
    public func tokens(on path: NetworkPath) -> Set<UInt32> {
        var found: Set<UInt32> = []
        for (token, entries) in connections where entries.contains(where: { $0.path == path }) { found.insert(token) }
        return found
    }

    /// The peers that subflows from `local` go to, each with how many subflows.
    public func peers(of local: IPAddress) -> [IPAddress: Int] {
        let local = local.unmapped
        var found: [IPAddress: Int] = [:]
        for entries in connections.values {
            for entry in entries where entry.path.local == local { found[entry.path.remote, default: 0] += 1 }
        }
        return found
    }
}

extension Subflow {
    /// Past its life: FIN_WAIT1 (4) and after, all but ESTABLISHED, SYN_SENT, SYN_RECV.
    public var isClosing: Bool { !(1...3).contains(state) }
}
