/// Turns successive readings of a namespace's connections into rates: each reading is
/// compared with the one before. What a live view (`top`) is built on.
///
/// - The first reading has nothing to compare with: its rates are nil.
/// - A connection or subflow not in the previous reading is new since: its counters
///   count from 0.
/// - A counter lower than before belongs to a socket reset or reused (a token or port
///   pair given again): it counts from 0 too, never as a negative or huge rate.
/// - A connection's rates come from its `mptcp_info` counters where the kernel has them
///   (a subflow that closed between the readings still counts), else from its subflows'.
public struct TrafficSampler: Sendable {
    /// One socket of a reading: a connection or one of its subflows.
    private struct Key: Hashable {
        var netns: String?
        var token: UInt32
        var isSubflow: Bool
        var local: IPAddress
        var localPort: UInt16
        var remote: IPAddress
        var remotePort: UInt16
    }

    private struct Counters {
        var sent: UInt64?
        var received: UInt64?
    }

    private var previous: (time: Double, counters: [Key: Counters])?

    public init() {}

    /// Compares `namespaces`' connections, read at `time` (seconds, monotonic clock),
    /// with the previous reading, and keeps them for the next. A time not after the
    /// previous one starts over, as a first reading.
    public mutating func sample(_ namespaces: [(netns: String?, connections: [Connection])], at time: Double) -> TrafficSample {
        let before = previous.flatMap { $0.time < time ? $0 : nil }
        let interval = before.map { time - $0.time }
        var counters: [Key: Counters] = [:]
        var connections: [TrafficSample.ConnectionTraffic] = []
        var interfaces: [String?: TrafficSample.InterfaceTraffic] = [:]

        /// Bytes per second since the previous reading of `key`, counted from 0 when it
        /// was not there or went backwards.
        func rate(_ now: UInt64?, _ then: UInt64?) -> Double? {
            guard let interval, let now else { return nil }
            let bytes = then.map { now >= $0 ? now - $0 : now } ?? now
            return Double(bytes) / interval
        }
        func rates(_ key: Key, _ now: Counters) -> TrafficSample.Rates {
            counters[key] = now
            let then = before?.counters[key]
            return TrafficSample.Rates(send: rate(now.sent, then?.sent), receive: rate(now.received, then?.received))
        }

        for (netns, read) in namespaces {
            for connection in read {
                var subflows: [TrafficSample.SubflowTraffic] = []
                for subflow in connection.subflows {
                    let key = Key(netns: netns, token: connection.token, isSubflow: true, local: subflow.local,
                                  localPort: subflow.localPort, remote: subflow.remote, remotePort: subflow.remotePort)
                    let measured = rates(key, Counters(sent: subflow.tcpInfo?.bytesAcked, received: subflow.tcpInfo?.bytesReceived))
                    subflows.append(TrafficSample.SubflowTraffic(subflow: subflow, rates: measured))
                    var total = interfaces[subflow.interfaceName]
                        ?? TrafficSample.InterfaceTraffic(name: subflow.interfaceName, subflows: 0, rates: .init(send: nil, receive: nil))
                    total.subflows += 1
                    total.rates = Self.sum(total.rates, measured)
                    interfaces[subflow.interfaceName] = total
                }
                let key = Key(netns: netns, token: connection.token, isSubflow: false, local: connection.local,
                              localPort: connection.localPort, remote: connection.remote, remotePort: connection.remotePort)
                var measured = rates(key, Counters(sent: connection.info?.bytesAcked, received: connection.info?.bytesReceived))
                let ofSubflows = subflows.reduce(TrafficSample.Rates(send: nil, receive: nil)) { Self.sum($0, $1.rates) }
                if measured.send == nil { measured.send = ofSubflows.send }
                if measured.receive == nil { measured.receive = ofSubflows.receive }
                connections.append(TrafficSample.ConnectionTraffic(netns: netns, connection: connection, rates: measured, subflows: subflows))
            }
        }
        previous = (time, counters)
        let byName = interfaces.values.sorted { a, b in
            switch (a.name, b.name) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            default: return false
            }
        }
        return TrafficSample(time: time, interval: interval, connections: connections, interfaces: byName)
    }

    /// Each direction summed; nil only where both are.
    private static func sum(_ a: TrafficSample.Rates, _ b: TrafficSample.Rates) -> TrafficSample.Rates {
        func add(_ x: Double?, _ y: Double?) -> Double? { x.map { $0 + (y ?? 0) } ?? y }
        return TrafficSample.Rates(send: add(a.send, b.send), receive: add(a.receive, b.receive))
    }
}
