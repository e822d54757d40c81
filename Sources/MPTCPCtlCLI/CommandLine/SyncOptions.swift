/// What `sync` follows and how.
package struct SyncOptions: Sendable, Equatable {
    /// The state file (not standard input: it is read again on SIGHUP).
    package var file: String
    /// Seconds between full checks that repair what someone else changed.
    package var interval: Double = 30
    /// Leave endpoints the file does not produce.
    package var keepUnlisted = false
    /// Start even when another manager of endpoints runs in the namespace.
    package var ignoreManagers = false
    /// Follow the interfaces only: no healing of paths, whatever the file's `heal:` says.
    package var noHeal = false

    package init(file: String, interval: Double = 30, keepUnlisted: Bool = false, ignoreManagers: Bool = false,
                 noHeal: Bool = false) {
        self.file = file
        self.interval = interval
        self.keepUnlisted = keepUnlisted
        self.ignoreManagers = ignoreManagers
        self.noHeal = noHeal
    }

    init(_ given: CommandTable.Given) throws(CLIError) {
        guard given.words.count == 1, let file = given.words.first, file != "-" else {
            throw .usage("sync: expected one FILE (YAML or JSON; not standard input, as SIGHUP reads it again)")
        }
        self.init(file: file, keepUnlisted: given.has(CommandTable.keepUnlisted),
                  ignoreManagers: given.has(CommandTable.ignoreManagers), noHeal: given.has(CommandTable.noHeal))
        for value in given.values(CommandTable.interval) {
            guard let seconds = Double(value), seconds >= 1, seconds <= 86400 else {
                throw .usage("sync: bad --interval '\(value)': an interval is a number of seconds from 1 to 86400")
            }
            interval = seconds
        }
    }

    var arguments: [String] {
        (keepUnlisted ? ["--keep-unlisted"] : []) + (interval == 30 ? [] : ["--interval=\(Self.seconds(interval))"])
            + (ignoreManagers ? ["--ignore-managers"] : []) + (noHeal ? ["--no-heal"] : [])
    }

    /// "5" for 5.0, "0.5" for 0.5.
    package static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
