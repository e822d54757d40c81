import MPTCPKit

/// What `monitor` prints and when it stops.
package struct MonitorOptions: Sendable, Equatable {
    /// Event kinds to print; empty: all.
    package var events: [PathManagerEvent.Kind] = []
    /// Stop after this many printed events.
    package var count: Int?
    /// Give up after this many seconds.
    package var timeout: Double?
}
