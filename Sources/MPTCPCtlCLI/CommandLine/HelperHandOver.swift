import Glibc
import Launch
import MPTCPKit

/// `mptcpctl` starts lean: it links neither Yams and Foundation (for state files) nor
/// swift-argument-parser (for help, the manual's dump and completion scripts). A line
/// that needs them is handed, as it is, to `mptcpctl-apply`, the helper binary that
/// links them, installed beside it.
enum HelperHandOver {
    /// Whether `context` lacks what this command line needs.
    static func needed(for invocation: Invocation, in context: Context) -> Bool {
        switch invocation.mode {
        case .batch: return context.stateFileReader == nil
        case .help, .passthrough: return context.help == nil
        case .run(.apply), .run(.sync): return context.stateFileReader == nil
        case .run, .version, .complete, .superviseSockets: return false
        }
    }

    /// Replaces this process with `mptcpctl-apply` and the same arguments.
    static func exec(_ arguments: [String]) throws(CLIError) -> Never {
        let candidates = ["mptcpctl-apply", "../libexec/mptcpctl/mptcpctl-apply"].map { directory + "/" + $0 }
        guard let helper = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw .environment("apply, sync, -b and help need mptcpctl-apply beside mptcpctl (looked for \(candidates.joined(separator: ", "))); "
                + "reinstall with 'make install'")
        }
        let code = ProcessImage.replace(path: helper, arguments: [helper] + arguments.dropFirst(), environment: nil)
        throw .environment("cannot run \(helper): \(String(cString: strerror(code.rawValue)))")
    }

    /// The directory of this binary (the build tree, or where it is installed).
    static var directory: String { SystemLauncher().binaryDirectory }
}
