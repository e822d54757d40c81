/// Help, the manual's dump and completion scripts, from swift-argument-parser's tree,
/// which only the helper binary `mptcpctl-apply` links (module MPTCPCtlHelp).
package struct HelpText {
    /// The help of the command at `path` ([] for the whole tool, ["endpoint", "add"]).
    package var render: ([String]) -> String
    /// Lets swift-argument-parser answer `--generate-completion-script` and
    /// `--experimental-dump-help` itself; it prints and exits.
    package var passthrough: ([String]) -> Never

    package init(render: @escaping ([String]) -> String, passthrough: @escaping ([String]) -> Never) {
        self.render = render
        self.passthrough = passthrough
    }
}
