import Glibc
import MPTCPKit

/// `userspace`: drives the userspace path manager of a namespace, one connection at a
/// time; `listen` holds a listening MPTCP socket until SIGINT or SIGTERM (exit 0).
struct UserspaceRunner {
    let context: Context

    func run(_ command: UserspaceCommand, _ line: LineOptions) throws(CLIError) {
        if case let .listen(address) = command { return try listen(address, netns: line.netns) }
        let manager = try CLIError.worded(as: "opening the MPTCP path manager") { () throws(PathManagerError) in
            try UserspacePathManager.open(netns: line.netns, features: context.features)
        }
        try CLIError.worded(as: line.operation) { () throws(PathManagerError) in
            switch command {
            case let .announce(token, spec): try manager.announce(token: token, spec)
            case let .remove(token, id): try manager.remove(token: token, id: id)
            case let .create(token, local, remote): try manager.createSubflow(token: token, local: local, remote: remote)
            case let .destroy(token, local, remote): try manager.destroySubflow(token: token, local: local, remote: remote)
            case let .change(token, local, remote, backup): try manager.setBackup(token: token, local: local, remote: remote, backup: backup)
            case let .show(token):
                let view = EndpointView(interfaceName: { manager.interfaceName(index: $0) })
                let endpoints = try manager.addresses(token: token)
                let format = line.format
                context.console.line(format.json ? JSON.array(endpoints.map(view.json)).rendered(pretty: format.pretty)
                                                 : (endpoints.isEmpty ? "no addresses" : view.table(endpoints)))
            case .listen: break
            }
        }
    }

    private func listen(_ address: SocketAddress, netns: String?) throws(CLIError) {
        let stop: SignalDescriptor
        do throws(Errno) {
            stop = try SignalDescriptor([SIGINT, SIGTERM])
        } catch {
            throw .environment("userspace listen: cannot catch SIGINT and SIGTERM: \(error)")
        }
        let port = address.port ?? 0
        let listener = try CLIError.worded(as: "userspace listen \(address.address) port \(port)") { () throws(PathManagerError) in
            try MPTCPListener.open(netns: netns, address.address, port: port)
        }
        context.console.note("listening for MPTCP joins on \(address.address) port \(port) in namespace \(netns ?? "(current)")")
        var poller = pollfd(fd: stop.fileDescriptor, events: Int16(POLLIN), revents: 0)
        _ = try? Errno.retryOnInterrupt { poll(&poller, 1, -1) }
        withExtendedLifetime(listener) {}
    }
}
