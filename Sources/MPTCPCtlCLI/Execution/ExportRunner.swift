import MPTCPKit

/// `export`: each namespace read once, written in the format `apply` reads.
struct ExportRunner {
    let context: Context
    let managers: ManagerCache

    func run(allSysctls: Bool, _ line: LineOptions) throws(CLIError) {
        let document: JSON
        if line.allNetns {
            var namespaces: [(name: String, state: JSON)] = []
            for name in context.namespaces() {
                namespaces.append((name, try state(of: name, all: allSysctls)))
            }
            document = StateFileWriter.document(namespaces)
        } else {
            document = try state(of: line.netns, all: allSysctls)
        }
        let format = line.format
        context.console.write(format.json ? document.rendered(pretty: format.pretty) + "\n" : StateFileWriter.yaml(document), .output)
    }

    private func state(of netns: String?, all: Bool) throws(CLIError) -> JSON {
        let manager = try managers.opened(netns)
        return try CLIError.worded(as: "export: reading \(CountersView.label(netns))") { () throws(PathManagerError) in
            try StateFileWriter.namespace(of: manager, allSysctls: all)
        }
    }
}
