@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting
import StateFile

/// The program run in-process, as `mptcpctl` runs it, over a fake kernel: the same
/// parsing, runners and views, with what it prints recorded.
final class InProcess {
    let kernel: FakeKernel
    private(set) var output = ""
    private(set) var errors = ""

    init(_ kernel: FakeKernel = FakeKernel()) { self.kernel = kernel }

    var context: Context {
        Context(console: Console { [unowned self] text, stream in
            if stream == .output { output += text } else { errors += text }
        }, stateFileReader: { text, file throws(StateFileError) in try DesiredState.parse(text, file: file) },
           open: { [kernel] _ in kernel.manager })
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
