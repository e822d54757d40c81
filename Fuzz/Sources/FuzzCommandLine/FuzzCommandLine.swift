@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// A command line: the input split into argv at NUL bytes and blanks (so the fuzzer
/// can make empty words too), then run as `mptcpctl` runs it, through the real parser
/// and runner, against the fake kernel. A usage error must leave it untouched; a line
/// that reads files, watches events, execs or writes the system's files is read, not run.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let argv = bytes.split(separator: 0, omittingEmptySubsequences: false).flatMap {
        $0.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    }
    let invocation: Invocation
    do throws(CLIError) {
        invocation = try Invocation.parse(argv)
    } catch {
        require(error.exitCode == .usage, "Invocation.parse: not a usage error: \(error)")
        return 0
    }
    _ = invocation.argumentParserArguments
    guard let command = invocation.command else { return 0 }
    switch command {
    case .monitor, .apply, .sync, .top:
        return 0 // they wait for events or time, or read files
    case .run, .enable, .disable:
        return 0 // they replace the process, or change the system's systemd configuration
    default:
        break
    }
    let kernel = FakeKernel(table: [
        Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow),
        Endpoint(id: 2, address: IPAddress("2001:db8::1")!, port: 10100, flags: [.signal, .backup], interfaceIndex: 3),
    ])
    let context = Context(console: .discarding, open: { _ in kernel.manager })
    do throws(CLIError) {
        switch command {
        case .counters, .check, .doctor, .export, .connections:
            return 0 // they read the real namespaces (/run/netns, MPTCP_INFO)
        default:
            try Runner(context: context).run(invocation)
        }
    } catch where error.exitCode == .usage {
        require(kernel.requests.isEmpty, "\(argv): usage error '\(error)' after requests \(kernel.requests)")
    } catch {
        // The fake kernel refused (no such endpoint, a duplicate): a kernel answer, not a usage error.
    }
    return 0
}

/// Stops the fuzzer with a message when an invariant does not hold (a trap it counts
/// as a crash, with the input saved).
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
