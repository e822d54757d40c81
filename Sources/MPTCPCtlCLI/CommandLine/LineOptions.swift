/// What a runner needs of its command line besides the command: the namespace it acts
/// in (`-n`, or every one with `--all-netns`), how it prints, and the words messages
/// name it by ("endpoint add 10.0.2.1").
package struct LineOptions: Sendable, Equatable {
    /// nil: the current namespace.
    package var netns: String?
    package var allNetns: Bool
    package var format: OutputFormat
    package var operation: String

    package init(netns: String? = nil, allNetns: Bool = false, format: OutputFormat = OutputFormat(), operation: String = "") {
        self.netns = netns
        self.allNetns = allNetns
        self.format = format
        self.operation = operation
    }
}
