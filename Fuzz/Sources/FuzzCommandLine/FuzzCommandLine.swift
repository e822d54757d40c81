@testable import MPTCPCtlCLI
import FuzzSupport
import MPTCPKit

/// A command line: the input split into argv at NUL bytes and blanks (so the fuzzer
/// can make empty words too), then read as `mptcpctl` reads it. A line that parses is
/// run against a recording stand-in for the kernel; a usage error must leave it
/// untouched, and no other error may come from reading the line.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let argv = bytes.split(separator: 0, omittingEmptySubsequences: false).flatMap {
        $0.split(separator: 0x20).map { String(decoding: $0, as: UTF8.self) }
    }
    let invocation: Invocation
    do {
        invocation = try Invocation.parse(argv)
    } catch {
        require(error.exitCode == .usage, "Invocation.parse: not a usage error: \(error)")
        return 0
    }
    guard invocation.mode == .run else { return 0 }
    _ = invocation.argumentParserArguments
    let object = invocation.path.first ?? ""
    switch object {
    case "endpoint", "limits":
        let kernel = RecordingKernel()
        let verb = invocation.path[1]
        let operation = ([object, verb] + invocation.words).joined(separator: " ")
        do throws(MPTCPError) {
            if object == "endpoint" {
                let command = try EndpointCommand.parse(verb: verb, invocation.words)
                _ = try EndpointActions(manager: kernel, format: invocation.format).run(command, operation: operation)
            } else {
                let command = try LimitsCommand.parse(verb: verb, invocation.words)
                _ = try LimitsActions(manager: kernel, format: invocation.format).run(command, operation: operation)
            }
        } catch where error.exitCode == .usage {
            require(kernel.requests.isEmpty, "\(argv): usage error '\(error)' after requests \(kernel.requests)")
        } catch {
            // The stand-in refused (no such endpoint, a duplicate): a kernel answer, not a usage error.
        }
    case "check":
        for word in invocation.words {
            do throws(MPTCPError) { _ = try Expectation(word) } catch {
                require(error.exitCode == .usage, "Expectation(\(word)): not a usage error: \(error)")
            }
        }
    default:
        break
    }
    return 0
}
