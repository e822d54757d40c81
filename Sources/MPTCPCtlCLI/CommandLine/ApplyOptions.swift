/// What `apply` reads and how it changes the namespaces.
package struct ApplyOptions: Sendable, Equatable {
    /// YAML or JSON; `-` for standard input.
    package var file: String
    /// `--dry-run`: print the plan, change nothing.
    package var dryRun = false
    /// `--keep-unlisted`: leave endpoints the file does not list.
    package var keepUnlisted = false

    package init(file: String, dryRun: Bool = false, keepUnlisted: Bool = false) {
        self.file = file
        self.dryRun = dryRun
        self.keepUnlisted = keepUnlisted
    }

    init(_ given: CommandTable.Given) throws(CLIError) {
        guard given.words.count == 1, let file = given.words.first else {
            throw .usage("apply: expected one FILE (YAML or JSON, '-' for standard input)")
        }
        self.init(file: file, dryRun: given.has(CommandTable.dryRun), keepUnlisted: given.has(CommandTable.keepUnlisted))
    }

    var arguments: [String] { (dryRun ? ["--dry-run"] : []) + (keepUnlisted ? ["--keep-unlisted"] : []) }
}
