/// How fast each connection, subflow and interface sent and received over the interval
/// between two readings (a `TrafficSampler`'s answer to one reading).
public struct TrafficSample: Sendable, Equatable {
    /// The reading's time, in seconds on the monotonic clock.
    public var time: Double
    /// Seconds since the previous reading; nil for the first reading, which has no rates.
    public var interval: Double?
    /// Every connection of the reading, in its order.
    public var connections: [ConnectionTraffic]
    /// The subflows' rates summed per interface, by namespace and name (the current
    /// namespace first, an unknown interface last in its namespace).
    public var interfaces: [InterfaceTraffic]

    public init(time: Double, interval: Double?, connections: [ConnectionTraffic], interfaces: [InterfaceTraffic]) {
        self.time = time
        self.interval = interval
        self.connections = connections
        self.interfaces = interfaces
    }

    /// One socket from one reading to the next: a connection or one of its subflows,
    /// by namespace, token and both ends (what rates and a view's history follow).
    public struct SocketKey: Hashable, Sendable {
        var netns: String?
        var token: UInt32
        var isSubflow: Bool
        var local: Address
        var localPort: UInt16
        var remote: Address
        var remotePort: UInt16

        /// An address as two words and its family: compared and copied as plain
        /// values (an `IPAddress` holds an array, which every copy of a key in a
        /// dictionary's lookups would retain and release).
        struct Address: Hashable, Sendable {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var isIPv6 = false

            init(_ address: IPAddress) {
                switch address {
                case let .v4(bytes):
                    for byte in bytes { low = low << 8 | UInt64(byte) }
                case let .v6(bytes):
                    isIPv6 = true
                    for (index, byte) in bytes.enumerated() {
                        if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
                    }
                }
            }
        }

        /// A connection read in `netns`.
        public init(netns: String?, connection: Connection) {
            self.netns = netns
            token = connection.token
            isSubflow = false
            local = Address(connection.local)
            localPort = connection.localPort
            remote = Address(connection.remote)
            remotePort = connection.remotePort
        }

        /// A subflow of the connection with `token`, read in `netns`.
        public init(netns: String?, token: UInt32, subflow: Subflow) {
            self.netns = netns
            self.token = token
            isSubflow = true
            local = Address(subflow.local)
            localPort = subflow.localPort
            remote = Address(subflow.remote)
            remotePort = subflow.remotePort
        }

        /// The token and ports alone, one word: they tell a namespace's sockets apart
        /// nearly always (equality still compares everything), and hashing the
        /// addresses and the namespace's name cost more than the rest of a sample of
        /// 1,000 connections.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(token) << 32 | UInt64(localPort) << 16 | UInt64(remotePort) ^ (isSubflow ? 1 << 63 : 0))
        }
    }

    /// Bytes per second over the interval. Sending counts bytes the peer acknowledged
    /// (what got through); receiving, bytes received. nil where the kernel reports no
    /// counter, and in the first reading.
    public struct Rates: Sendable, Equatable {
        public var send: Double?
        public var receive: Double?

        public init(send: Double?, receive: Double?) {
            self.send = send
            self.receive = receive
        }
    }

    public struct ConnectionTraffic: Sendable, Equatable {
        /// The namespace it was read in (nil: the current one).
        public var netns: String?
        public var connection: Connection
        /// What its paths carried: the sum of its subflows' rates, plus, when a subflow
        /// closed during the interval, what the connection-level counters counted beyond
        /// the remaining subflows (the closed one's last bytes, which its gone tcp_info
        /// no longer tells).
        public var rates: Rates
        /// The connection-level rates from `mptcp_info` (each byte once, however many
        /// subflows carried it; what the application's data moved at); nil without its
        /// counters (before Linux 6.x).
        public var dataRates: Rates?
        /// Its subflows, in the connection's order.
        public var subflows: [SubflowTraffic]

        public init(netns: String?, connection: Connection, rates: Rates, dataRates: Rates? = nil, subflows: [SubflowTraffic]) {
            self.netns = netns
            self.connection = connection
            self.rates = rates
            self.dataRates = dataRates
            self.subflows = subflows
        }
    }

    public struct SubflowTraffic: Sendable, Equatable {
        public var subflow: Subflow
        /// From its `tcp_info` counters.
        public var rates: Rates

        public init(subflow: Subflow, rates: Rates) {
            self.subflow = subflow
            self.rates = rates
        }
    }

    public struct InterfaceTraffic: Sendable, Equatable {
        /// The namespace it was read in (nil: the current one): every container has its
        /// own `eth0`.
        public var netns: String?
        /// The subflows' interface (`Subflow.interfaceName`); nil when not known.
        public var name: String?
        /// How many subflows leave by it.
        public var subflows: Int
        /// The sums of its subflows' rates (nil rates left out).
        public var rates: Rates

        public init(netns: String? = nil, name: String?, subflows: Int, rates: Rates) {
            self.netns = netns
            self.name = name
            self.subflows = subflows
            self.rates = rates
        }
    }
}
