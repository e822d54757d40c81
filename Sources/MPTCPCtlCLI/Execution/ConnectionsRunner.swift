import MPTCPKit

/// `connections`: one namespace, or every namespace in one process.
struct ConnectionsRunner {
    let context: Context
    let line: LineOptions

    func run(listening: Bool, processes: Bool) throws(CLIError) {
        let (read, failed) = try read(listening: listening, operation: "connections")
        // One scan of /proc for every namespace read: socket inodes are the kernel's.
        let owners = processes ? context.socketOwners(Self.inodes(of: read)) : nil
        let view = ConnectionsView(showNetns: line.allNetns, owners: owners)
        let format = line.format
        // The listing is written as it is rendered, a piece at a time, never held whole.
        if format.json {
            view.writeJSON(read, pretty: format.pretty) { context.console.write($0) }
        } else {
            view.writeText(read) { context.console.write($0) }
        }
        if !failed.isEmpty {
            throw CLIError(.environment, "\(failed.count) namespace(s) could not be read: " + failed.joined(separator: "; "))
        }
    }

    /// The inodes of the sockets a program may hold (0: none does).
    static func inodes(of read: [(netns: String?, connections: [Connection])]) -> Set<UInt64> {
        var inodes = Set<UInt64>()
        for (_, connections) in read {
            for connection in connections where connection.inode != 0 { inodes.insert(UInt64(connection.inode)) }
        }
        return inodes
    }

    /// The connections of the line's namespace, or of every namespace with
    /// `--all-netns`, where one that cannot be read is named in `failed` ("NAME:
    /// message") instead of ending the command; a failure of the one namespace throws.
    func read(listening: Bool, operation: String) throws(CLIError)
        -> (read: [(netns: String?, connections: [Connection])], failed: [String]) {
        let targets: [String?] = line.allNetns ? [nil] + context.namespaces().map { Optional($0) } : [line.netns]
        var read: [(netns: String?, connections: [Connection])] = [], failed: [String] = []
        for netns in targets {
            do throws(PathManagerError) {
                read.append((netns, try context.connections(netns, listening)))
            } catch {
                // A namespace deleted since it was listed is no failure.
                if line.allNetns, let netns, !context.namespaceExists(netns) { continue }
                let failure = CLIError(error, operation: "\(operation): reading namespace \(CountersView.label(netns))")
                guard line.allNetns else { throw failure }
                failed.append("\(CountersView.label(netns)): \(failure.message)")
            }
        }
        return (read, failed)
    }
}
