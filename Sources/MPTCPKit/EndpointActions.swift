import Netlink

/// Carries out the `endpoint` commands against a path manager and renders the result.
public struct EndpointActions {
    let manager: PathManaging
    let format: OutputFormat
    let view: EndpointView

    public init(manager: PathManaging, format: OutputFormat) {
        self.manager = manager
        self.format = format
        self.view = EndpointView(interfaceName: { [manager] in manager.interfaceName(index: $0) })
    }

    /// Runs `command`; `operation` names it in messages ("endpoint add 10.0.2.1").
    /// Returns what to print, nil for nothing.
    public func run(_ command: EndpointCommand, operation: String) throws(MPTCPError) -> String? {
        try MPTCPError.reporting(operation) { () throws -> String? in
            switch command {
            case let .add(request): try add(request, operation: operation)
            case let .delete(request): try delete(request, operation: operation)
            case let .change(request): try change(request, operation: operation)
            case let .show(selector): return try show(selector, operation: operation)
            case .flush: try manager.flush()
            }
            return nil
        }
    }

    private func add(_ request: EndpointCommand.Add, operation: String) throws {
        var index: Int32?
        if let device = request.device {
            guard let found = manager.interfaceIndex(named: device) else {
                throw MPTCPError.usage("\(operation): device '\(device)' does not exist in this namespace")
            }
            index = found
        }
        try manager.add(.init(id: request.id, address: request.address, port: request.port,
                              flags: request.flags.isEmpty ? nil : request.flags, interfaceIndex: index))
        if request.flags.contains(.address) { try confirmAddressFlag(request, operation: operation) }
    }

    /// Kernels before 6.18 drop flag bits they do not know: read the endpoint back,
    /// and if the address bit is gone, take the endpoint away again and say why.
    private func confirmAddressFlag(_ request: EndpointCommand.Add, operation: String) throws {
        let created: Endpoint?
        if let id = request.id {
            created = try manager.endpoint(id: id)
        } else {
            created = try manager.endpoints().first { $0.address == request.address && $0.port == request.port ?? 0 }
        }
        guard let created else {
            throw MPTCPError(.refused, "\(operation): the kernel accepted the endpoint but does not list it")
        }
        guard !created.flags.contains(.address) else { return }
        try manager.delete(.init(id: created.id))
        throw MPTCPError(.unsupported, "\(operation): this kernel lacks address endpoints (it did not keep flag 0x20; "
            + "Linux 6.18 or later has them): the endpoint was removed again, nothing changed")
    }

    private func delete(_ request: EndpointCommand.Delete, operation: String) throws {
        if let id = request.id {
            if id != 0, let address = request.address {
                let current = try manager.endpoint(id: id)
                guard current.address == address else {
                    throw MPTCPError(.refused, "\(operation): endpoint id \(id) has address \(current.address), "
                        + "not \(address): nothing deleted")
                }
                try manager.delete(.init(id: id))
            } else {
                // id 0 with an address is `ip`'s way to remove the address of the
                // connections' initial subflows: pass it on unchanged.
                try manager.delete(.init(id: id, address: request.address))
            }
            return
        }
        let target = try find(request.address!, port: request.port, operation: operation)
        try manager.delete(.init(id: target.id))
    }

    private func change(_ request: EndpointCommand.Change, operation: String) throws {
        let current: Endpoint
        switch request.selector {
        case let .id(id): current = try manager.endpoint(id: id)
        case let .address(address, port): current = try find(address, port: port, operation: operation)
        case .all: throw MPTCPError.usage("\(operation): missing id ID or ADDRESS")
        }
        // Only the flags named change; the kernel would clear an unnamed one.
        let wanted = current.flags.union(request.set).subtracting(request.clear)
        try manager.setFlags(.init(id: current.id, flags: wanted.intersection(EndpointFlags.changeable)))
    }

    private func show(_ selector: EndpointCommand.Selector, operation: String) throws -> String {
        switch selector {
        case .all:
            let endpoints = try manager.endpoints()
            if format.json { return render(endpoints) }
            let limits = try manager.limits()
            let listing = endpoints.isEmpty ? "no endpoints" : view.table(endpoints)
            return listing + "\n\n" + EndpointCounts(endpoints).summary(limits: limits)
        case let .id(id):
            return render([try manager.endpoint(id: id)])
        case let .address(address, port):
            return render([try find(address, port: port, operation: operation)])
        }
    }

    private func render(_ endpoints: [Endpoint]) -> String {
        format.json ? JSON.array(endpoints.map(view.json)).rendered(pretty: format.pretty) : view.table(endpoints)
    }

    /// The one endpoint with this address (and port, when given).
    private func find(_ address: IPAddress, port: UInt16?, operation: String) throws -> Endpoint {
        let matches = try manager.endpoints().filter { $0.address == address && (port == nil || $0.port == port) }
        let which = port.map { "address \(address) port \($0)" } ?? "address \(address)"
        guard let first = matches.first else {
            throw MPTCPError(.refused, "\(operation): no endpoint has \(which); see 'mptcpctl endpoint show'")
        }
        guard matches.count == 1 else {
            let ids = matches.map { String($0.id) }.joined(separator: ", ")
            throw MPTCPError.usage("\(operation): endpoints \(ids) all have \(which): name one with 'id ID' or 'port NR'")
        }
        return first
    }
}
