import MPTCPKit

/// Carries out the `endpoint` commands and prints their result.
struct EndpointRunner {
    let context: Context
    let managers: ManagerCache

    func run(_ command: EndpointCommand, _ line: LineOptions) throws(CLIError) {
        let manager = try managers.opened(line.netns)
        let operation = line.operation
        let lock = command.writes ? try context.lock(line.netns, operation: operation) : nil
        defer { withExtendedLifetime(lock) {} }
        let output = try CLIError.worded(as: operation) { () throws(PathManagerError) in
            try run(command, on: manager, format: line.format)
        }
        if let output { context.console.line(output) }
        // The kernel took it, as it does from `ip`; say once that it adds no path.
        if case let .add(spec) = command, let reason = spec.address.unusable {
            context.console.warn("\(operation): \(EndpointView.unusable(spec.address, reason))")
        }
    }

    /// Returns what to print, nil for nothing (write commands print nothing, as `ip`).
    func run(_ command: EndpointCommand, on manager: PathManager, format: OutputFormat) throws(PathManagerError) -> String? {
        let view = EndpointView(interfaceName: { manager.interfaceName(index: $0) })
        let ipText = IPTextView(interfaceName: { manager.interfaceName(index: $0) })
        func render(_ endpoints: [Endpoint]) -> String? {
            if format.ip { return ipText.lines(endpoints) }
            return format.json ? JSON.array(endpoints.map(view.json)).rendered(pretty: format.pretty) : view.table(endpoints)
        }
        switch command {
        case let .add(spec):
            try manager.add(spec)
        case let .delete(.id(id)):
            try manager.delete(id: id)
        case let .delete(.idWithAddress(id, address)):
            try manager.delete(id: id, ifAddressIs: address)
        case let .delete(.initialSubflows(address)):
            // `ip`'s way to remove the address of the connections' initial subflows.
            try manager.removeFromInitialSubflows(address)
        case let .delete(.address(address, port)):
            try manager.delete(id: try manager.find(address: address, port: port).id)
        case let .change(change):
            let current: Endpoint
            switch change.selector {
            case .id(0):
                // Id 0 names no endpoint: the kernel answers, as it answers `ip`.
                try manager.setFlags(id: 0, change.set)
                return nil
            case let .id(id): current = try manager.endpoint(id: id)
            case let .address(address, port): current = try manager.find(address: address, port: port)
            case .all: return nil // the grammar never makes this
            }
            try manager.change(current, set: change.set, clear: change.clear)
        case .show(.all):
            let endpoints = try manager.endpoints()
            if format.json || format.ip { return render(endpoints) }
            let limits = try manager.limits()
            let listing = endpoints.isEmpty ? "no endpoints" : view.table(endpoints)
            return listing + "\n\n" + EndpointView.summary(EndpointCounts(endpoints), limits: limits)
        case let .show(.id(id)):
            return render([try manager.endpoint(id: id)])
        case let .show(.address(address, port)):
            return render([try manager.find(address: address, port: port)])
        case .flush:
            try manager.flush()
        }
        return nil
    }
}

extension EndpointCommand {
    /// Whether the command changes the namespace (and so takes its writers' lock).
    var writes: Bool {
        if case .show = self { return false }
        return true
    }
}
