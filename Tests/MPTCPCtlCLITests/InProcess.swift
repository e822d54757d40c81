import Launch
import LaunchTesting
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting
import StateFile

/// The program run in-process, as `mptcpctl` runs it, over a fake kernel and a launcher
/// that starts nothing: the same parsing, runners and views, with what it prints and
/// what it would have started recorded.
final class InProcess {
    let kernel: FakeKernel
    private(set) var output = ""
    private(set) var errors = ""

    init(_ kernel: FakeKernel = FakeKernel()) { self.kernel = kernel }

    /// What would have started (`run`, `enable`'s systemctl) and the process it speaks for.
    let launcher = RecordingLauncher()
    /// The file system `run` and `enable` ask: the real one unless a test gives its own.
    var files: any FileSystem = SystemFileSystem()

    /// The named namespaces `--all-netns` finds; each is this one fake kernel.
    var namespaces: [String] = []

    /// What each reading of a namespace's connections finds (none by default).
    var connections: (String?) -> [Connection] = { _ in [] }
    /// When set, every reading of connections fails with it instead.
    var connectionsFailure: PathManagerError?

    /// The processes holding sockets (none by default), and the inodes each reading
    /// of them asked for.
    var socketOwners = SocketOwners()
    private(set) var askedInodes: [Set<UInt64>] = []

    var context: Context {
        var context = Context(console: Console { [unowned self] text, stream in
            if stream == .output { output += text } else { errors += text }
        }, stateFileReader: { text, file throws(StateFileError) in try DesiredState.parse(text, file: file) },
           open: { [kernel] _ in kernel.manager })
        context.snapshots = { [kernel] targets, interfaces, _ in
            targets.map { ($0, .success(kernel.snapshot(netns: $0, interfaces: interfaces))) }
        }
        context.metrics = { [kernel] targets, _ in
            targets.map { ($0, .success(NamespaceMetrics(snapshot: kernel.snapshot(netns: $0), connections: ConnectionCounts(connections: 0, subflows: 0),
                                                         mib: MIBCounters([])))) }
        }
        context.connections = { [unowned self] netns, _ throws(PathManagerError) in
            if let connectionsFailure { throw connectionsFailure }
            return connections(netns)
        }
        context.socketOwners = { [unowned self] inodes in
            askedInodes.append(inodes)
            return socketOwners
        }
        context.interfaces = { _ in InterfaceSnapshot() }
        context.namespaces = { [namespaces] in namespaces }
        context.namespaceExists = { [namespaces] in namespaces.contains($0) }
        context.launcher = launcher
        context.files = files
        return context
    }

    /// Runs one command line; returns its exit code and what it printed on each stream,
    /// as a user sees them.
    func result(_ line: String) -> (status: Int32, output: String, errors: String) {
        output = ""
        errors = ""
        do throws(CLIError) {
            let status = try CommandLineTool.run(["mptcpctl"] + line.split(separator: " ").map(String.init), context: context)
            return (status.rawValue, output, errors)
        } catch {
            return (error.exitCode.rawValue, output, errors + "mptcpctl: \(error.message)\n")
        }
    }

    /// Runs one command line (without the program name); returns what it printed.
    @discardableResult
    func run(_ line: String) throws(CLIError) -> String {
        output = ""
        errors = ""
        _ = try CommandLineTool.run(["mptcpctl"] + line.split(separator: " ").map(String.init), context: context)
        return output
    }
}
