/// Turns successive readings of a namespace's connections into rates: each reading is
/// compared with the one before. What a live view (`top`) is built on.
///
/// - The first reading has nothing to compare with: its rates are nil.
/// - A connection or subflow not in the previous reading is new since: its counters
///   count from 0.
/// - A counter lower than before belongs to a socket reset or reused (a token or port
///   pair given again): it counts from 0 too, never as a negative or huge rate.
/// - An interface's totals are its subflows' in one namespace: each container's `eth0`
///   is its own.
/// - A connection's rate is the sum of its subflows'; a subflow that closed between
///   the readings still counts, through the connection-level `mptcp_info` counters
///   where the kernel has them. Those counters also give the connection's data rate.
public struct TrafficSampler: Sendable {
    private typealias Key = TrafficSample.SocketKey

    private struct Counters {
        var sent: UInt64?
        var received: UInt64?
        /// A connection's: how many subflows it had (a count, not their keys: one
        /// dictionary, no array per connection, for a reading of thousands).
        var subflows = 0
    }

    private struct Reading {
        var time: Double
        var counters: [Key: Counters]
    }

    private var previous: Reading?

    public init() {}

    /// Compares `namespaces`' connections, read at `time` (seconds, monotonic clock),
    /// with the previous reading, and keeps them for the next. A time not after the
    /// previous one starts over, as a first reading.
    public mutating func sample(_ namespaces: [(netns: String?, connections: [Connection])], at time: Double) -> TrafficSample {
        let before = previous.flatMap { $0.time < time ? $0 : nil }
        let interval = before.map { time - $0.time }
        var reading = Reading(time: time, counters: [:])
        reading.counters.reserveCapacity(previous?.counters.count ?? 0)
        var connections: [TrafficSample.ConnectionTraffic] = []
        connections.reserveCapacity(namespaces.reduce(0) { $0 + $1.connections.count })
        // A host has few interfaces: found by a look along a short array, where a
        // dictionary would hash the name for each of thousands of subflows.
        var interfaces: [TrafficSample.InterfaceTraffic] = []

        /// Bytes per second since the previous reading, counted from 0 when the socket
        /// was not there or the counter went backwards.
        func rate(_ now: UInt64?, _ then: UInt64?) -> Double? {
            guard let interval, let now else { return nil }
            let bytes = then.map { now >= $0 ? now - $0 : now } ?? now
            return Double(bytes) / interval
        }
        /// The rates, and the socket's counters in the previous reading (nil: it is new).
        func rates(_ key: Key, _ now: Counters) -> (TrafficSample.Rates, then: Counters?) {
            reading.counters[key] = now
            let then = before?.counters[key]
            return (TrafficSample.Rates(send: rate(now.sent, then?.sent), receive: rate(now.received, then?.received)), then)
        }

        for (netns, read) in namespaces {
            for connection in read {
                let key = Key(netns: netns, connection: connection)
                var subflows: [TrafficSample.SubflowTraffic] = []
                subflows.reserveCapacity(connection.subflows.count)
                var stayed = 0
                for subflow in connection.subflows {
                    let subflowKey = Key(netns: netns, token: connection.token, subflow: subflow)
                    let (measured, then) = rates(subflowKey, Counters(sent: subflow.tcpInfo?.bytesAcked,
                                                                      received: subflow.tcpInfo?.bytesReceived))
                    if then != nil { stayed += 1 }
                    subflows.append(TrafficSample.SubflowTraffic(subflow: subflow, rates: measured))
                    let index = interfaces.firstIndex { $0.name == subflow.interfaceName && $0.netns == netns } ?? {
                        interfaces.append(TrafficSample.InterfaceTraffic(netns: netns, name: subflow.interfaceName, subflows: 0,
                                                                         rates: .init(send: nil, receive: nil)))
                        return interfaces.count - 1
                    }()
                    interfaces[index].subflows += 1
                    interfaces[index].rates = Self.sum(interfaces[index].rates, measured)
                }
                let info = connection.info
                let (whole, then) = rates(key, Counters(sent: info?.bytesAcked, received: info?.bytesReceived,
                                                        subflows: connection.subflows.count))
                let data: TrafficSample.Rates? = info == nil ? nil : whole
                var measured = subflows.reduce(TrafficSample.Rates(send: nil, receive: nil)) { Self.sum($0, $1.rates) }
                // A subflow of the previous reading is not among those now: it closed.
                let closed = (then?.subflows ?? 0) > stayed
                if closed, let data {
                    // What the connection counted beyond the remaining subflows: the closed one's last bytes.
                    func withClosed(_ paths: Double?, _ whole: Double?) -> Double? {
                        guard let whole else { return paths }
                        return max(paths ?? 0, whole)
                    }
                    measured = TrafficSample.Rates(send: withClosed(measured.send, data.send),
                                                   receive: withClosed(measured.receive, data.receive))
                }
                let known = data.flatMap { $0.send == nil && $0.receive == nil ? nil : $0 }
                connections.append(TrafficSample.ConnectionTraffic(netns: netns, connection: connection, rates: measured,
                                                                   dataRates: known, subflows: subflows))
            }
        }
        previous = reading
        let byName = interfaces.sorted { a, b in
            if a.netns != b.netns {
                guard let x = a.netns else { return true }
                guard let y = b.netns else { return false }
                return x < y
            }
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
