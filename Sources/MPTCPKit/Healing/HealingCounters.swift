/// What healing counted since the daemon started, for a metrics pipeline: paths that
/// failed and are down now, repairs, the paths healed and the seconds it took.
public struct HealingCounters: Sendable, Equatable {
    /// Paths that went down.
    public var pathFailures: UInt64 = 0
    /// Paths down now (a gauge).
    public var pathsDown: UInt64 = 0
    /// Endpoints deleted and added again.
    public var repairs: UInt64 = 0
    /// Repairs the kernel refused.
    public var repairFailures: UInt64 = 0
    /// Connections with working subflows that repairs closed and opened again.
    public var touchedConnections: UInt64 = 0
    /// Paths whose connections carry traffic again after the path came back.
    public var healed: UInt64 = 0
    /// The seconds each of those took, from the path back to healed, summed.
    public var healSeconds: Double = 0
    /// Paths given up on (their connections still lacked them).
    public var gaveUp: UInt64 = 0

    public init() {}

    /// The names of the fields on the wire, in order.
    static let names = ["path_failures", "paths_down", "repairs", "repair_failures", "touched_connections", "healed",
                        "heal_seconds", "gave_up"]

    private var values: [Double] {
        [Double(pathFailures), Double(pathsDown), Double(repairs), Double(repairFailures), Double(touchedConnections),
         Double(healed), healSeconds, Double(gaveUp)]
    }

    /// The counters as a daemon hands them over: one `name value` line each, ASCII.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = []
        for (name, value) in zip(Self.names, values) {
            let number = name == "heal_seconds" ? String(value) : String(UInt64(value))
            bytes += Array("\(name) \(number)\n".utf8)
        }
        return bytes
    }

    /// Reads what `encoded` wrote; unknown names are skipped (a newer daemon), nil when
    /// a line is malformed.
    public init?(decoding bytes: [UInt8]) {
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            let words = line.split(separator: UInt8(ascii: " "))
            guard words.count == 2 else { return nil }
            let name = String(decoding: words[0], as: UTF8.self), text = String(decoding: words[1], as: UTF8.self)
            if name == "heal_seconds" {
                guard let value = Double(text), value >= 0, value.isFinite else { return nil }
                healSeconds = value
                continue
            }
            guard let value = UInt64(text) else { return nil }
            switch name {
            case "path_failures": pathFailures = value
            case "paths_down": pathsDown = value
            case "repairs": repairs = value
            case "repair_failures": repairFailures = value
            case "touched_connections": touchedConnections = value
            case "healed": healed = value
            case "gave_up": gaveUp = value
            default: continue
            }
        }
    }
}
