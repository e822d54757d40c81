import MPTCPKit

/// `export`: each namespace read once, written in the format `apply` reads.
struct ExportRunner {
    let context: Context
    let managers: ManagerCache

    func run(_ invocation: Invocation) throws(CLIError) {
        let document: JSON
        if invocation.allNetns {
            var namespaces: [(name: String, state: JSON)] = []
            for name in NetworkNamespace.named() {
                namespaces.append((name, try state(of: name, all: invocation.allSysctls)))
            }
            document = StateFileWriter.document(namespaces)
        } else {
            document = try state(of: invocation.netns, all: invocation.allSysctls)
        }
        let format = invocation.format
        context.console.write(format.json ? document.rendered(pretty: format.pretty) + "\n" : StateFileWriter.yaml(document), .output)
    }

    private func state(of netns: String?, all: Bool) throws(CLIError) -> JSON {
        let manager = try managers.opened(netns)
        return try CLIError.worded(as: "export: reading \(CountersView.label(netns))") { () throws(PathManagerError) in
            try StateFileWriter.namespace(of: manager, allSysctls: all)
        }
    }
}
