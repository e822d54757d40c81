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
}
