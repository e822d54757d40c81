/// What `sync` follows and how.
package struct SyncOptions: Sendable, Equatable {
    /// The state file (not standard input: it is read again on SIGHUP).
    package var file: String
    /// Seconds between full checks that repair what someone else changed.
    package var interval: Double = 30
    /// Start even when another manager of endpoints runs in the namespace.
    package var ignoreManagers = false

    package init(file: String, interval: Double = 30, ignoreManagers: Bool = false) {
        self.file = file
        self.interval = interval
        self.ignoreManagers = ignoreManagers
    }
}
