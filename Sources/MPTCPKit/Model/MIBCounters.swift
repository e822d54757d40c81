/// The kernel's MPTCP MIB of one namespace (the `MPTcpExt` lines of /proc/net/netstat),
/// in the kernel's order and with the kernel's names ("MPCapableSYNRX"). Kept as the
/// kernel prints them, so a counter a newer kernel adds shows up without a release.
public struct MIBCounters: Sendable, Equatable {
    public struct Counter: Sendable, Equatable {
        public var name: String
        public var value: UInt64
        public init(name: String, value: UInt64) {
            self.name = name
            self.value = value
        }
    }

    public var counters: [Counter]

    public init(_ counters: [Counter]) { self.counters = counters }

    /// The counters that are gauges although they sit in the MIB: the kernel raises and
    /// lowers them (MPCurrEstab, the established connections, since Linux 6.10).
    public static let gauges: Set<String> = ["MPCurrEstab"]

    public subscript(name: String) -> UInt64? { counters.first { $0.name == name }?.value }

    /// Decodes /proc/net/netstat: pairs of lines "Prefix: names…" and "Prefix: values…";
    /// only the `MPTcpExt` pair is kept. Empty when the kernel has no MPTCP MIB.
    public init(netstat text: String) {
        var counters: [Counter] = []
        var names: [Substring]?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.first == "MPTcpExt:" else { continue }
            if let header = names {
                for (name, value) in zip(header, fields.dropFirst()) {
                    if let value = UInt64(value) { counters.append(Counter(name: String(name), value: value)) }
                }
                break
            }
            names = Array(fields.dropFirst())
        }
        self.counters = counters
    }
}
