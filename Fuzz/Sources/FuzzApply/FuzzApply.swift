@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting
import StateFile

/// The files mptcpctl reads: the input as a `-b` batch file, and as an `apply` file
/// (YAML or JSON) run through the real command line and `apply` runner against the
/// fake kernel, whose state is then exported: what `export` writes must read back as a
/// valid file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Batch.lines(text, file: "fuzz")
    do throws(StateFileError) {
        _ = try DesiredState.parse(text, file: "fuzz.yaml")
    } catch {
        require(!error.problems.isEmpty, "an invalid file with no problem named")
        return 0
    }
    let kernel = FakeKernel(table: [
        Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow),
        Endpoint(id: 2, address: IPAddress("2001:db8::1")!, port: 10100, flags: [.signal, .backup], interfaceIndex: 3),
    ])
    let context = Context(console: .discarding,
                          stateFileReader: { text, file throws(StateFileError) in try DesiredState.parse(text, file: file) },
                          readFile: { _, _ in text }, open: { _ in kernel.manager })
    let arguments = ["mptcpctl", "apply"] + (size % 2 == 1 ? ["--keep-unlisted"] : []) + ["fuzz.yaml"]
    do throws(CLIError) {
        _ = try CommandLineTool.run(arguments, context: context)
    } catch {
        // A refusal (the fake kernel's, or a file naming namespaces) rolls back: still exportable.
    }
    guard let exported = try? StateFileWriter.namespace(of: kernel.manager) else { return 0 }
    let yaml = StateFileWriter.yaml(exported)
    do throws(StateFileError) {
        _ = try DesiredState.parse(yaml, file: "exported.yaml")
    } catch {
        require(false, "export wrote a file apply refuses: \(error.problems)\n\(yaml)")
    }
    return 0
}

/// Stops the fuzzer with a message when an invariant does not hold (a trap it counts
/// as a crash, with the input saved).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
