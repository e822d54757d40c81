/// How many endpoints of each type a namespace holds, counted from a dump.
public struct EndpointCounts: Sendable, Equatable {
    public var total = 0
    public var signal = 0
    public var subflow = 0
    public var address = 0
    public var fullmesh = 0
    public var backup = 0
    public var implicit = 0

    public init(_ endpoints: [Endpoint]) {
        total = endpoints.count
        for flags in endpoints.map(\.flags) {
            if flags.contains(.signal) { signal += 1 }
            if flags.contains(.subflow) { subflow += 1 }
            if flags.contains(.address) { address += 1 }
            if flags.contains(.fullmesh) { fullmesh += 1 }
            if flags.contains(.backup) { backup += 1 }
            if flags.contains(.implicit) { implicit += 1 }
        }
    }

    /// The counters and limits lines printed under `endpoint show`.
    public func summary(limits: Limits) -> String {
        var types = "signal \(signal)  subflow \(subflow)  address \(address)  fullmesh \(fullmesh)  backup \(backup)"
        if implicit > 0 { types += "  implicit \(implicit)" }
        return """
            endpoints  \(total) of \(PathManagerProtocol.maxEndpoints): \(types)
            limits     subflows \(limits.subflows)  add_addr_accepted \(limits.addAddrAccepted)
            """
    }
}
