import MPTCPKit

/// What `monitor` prints and when it stops.
struct MonitorOptions: Sendable, Equatable {
    /// Event kinds to print; empty: all.
    var events: [PathManagerEvent.Kind] = []
    /// Stop after this many printed events.
    var count: Int?
    /// Give up after this many seconds.
    var timeout: Double?
}
