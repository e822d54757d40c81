import ArgumentParser
import MPTCPKit

/// `mptcpctl export`
struct ExportCommand: WordsCommand {
    static let object = "export", verb = ""
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the current limits and endpoints in the format 'apply' reads.",
        usage: "mptcpctl [-n NAME | --all-netns] [-j] [-p] export",
        discussion: """
            YAML by default, JSON with -j. With --all-netns, every named namespace (/run/netns) \
            under 'namespaces:'. Implicit endpoints (the kernel's own) are left out. \
            'mptcpctl export > f; mptcpctl apply f' changes nothing.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("all-netns"), help: "Every named namespace (/run/netns), under 'namespaces:'.")
    var allNetns = false
    @Argument(parsing: .postTerminator, help: ArgumentHelp("(none)", valueName: "words", visibility: .hidden))
    var words: [String] = []
}

/// Reads each namespace once and writes the document.
struct ExportRun {
    let invocation: Invocation
    let managers: PathManagers

    func run() throws(MPTCPError) {
        if let word = invocation.words.first { throw .usage("export: unexpected word '\(word)': export takes no arguments") }
        let document: JSON
        if invocation.allNetns {
            var namespaces: [(name: String, state: JSON)] = []
            for name in NamespaceSnapshot.namedNamespaces() {
                namespaces.append((name, try state(of: name)))
            }
            document = Export.document(namespaces)
        } else {
            document = try state(of: invocation.netns)
        }
        Output.write(invocation.format.json ? document.rendered(pretty: invocation.format.pretty) : Export.yaml(document))
        if invocation.format.json { Output.write("\n") }
    }

    private func state(of netns: String?) throws(MPTCPError) -> JSON {
        try Export.namespace(of: try managers.manager(for: netns), label: CountersView.label(netns))
    }
}
