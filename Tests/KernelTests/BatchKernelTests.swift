import Foundation
import Testing

/// `mptcpctl -b FILE`: lines run in order, the first failure stops the file unless
/// `--force`, and errors name the file and line.
struct BatchKernelTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "mptcpctl-batch-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func linesRunInOrderAcrossNamespacesAndStopAtTheFirstFailure() throws {
        try TestNamespace.with { ns in
            try TestNamespace.with { other in
                let file = try write("""
                    # provisioning
                    endpoint add 10.0.2.1 id 1 subflow
                    -n \(other.name) endpoint add 10.0.3.1 signal

                    limits set subflows 4
                    endpoint add 10.0.2.1 signal
                    endpoint add 10.0.2.2 subflow
                    """)
                defer { try? FileManager.default.removeItem(atPath: file) }
                let result = Shell.run(Shell.mptcpctl, ["-n", ns.name, "-b", file])
                #expect(result.status == 1)
                #expect(result.stdout == "")
                // The kernel's own refusal of the duplicate (EEXIST since 6.x, EINVAL on 6.1).
                #expect(result.stderr == "mptcpctl: \(file):6: endpoint add 10.0.2.1 signal: the kernel refused: "
                    + "\(RunningKernel.duplicateAddressRefusal)\n")
                #expect(ns.state == "10.0.2.1 id 1 subflow \n--\nadd_addr_accepted 0 subflows 4 \n")
                #expect(other.state == "10.0.3.1 id 1 signal \n--\nadd_addr_accepted 0 subflows 2 \n")
            }
        }
    }

    @Test func forceReportsEveryFailingLineAndGoesOn() throws {
        try TestNamespace.with { ns in
            let file = try write("""
                endpoint add 10.0.2.1 id 1 subflow
                endpoint add 10.0.2.1 signal
                endpoint add 10.0.2.2 bogus
                endpoint add 10.0.2.3 'subflow'   # quoted words and comments
                limits show
                """)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let result = Shell.run(Shell.mptcpctl, ["-n", ns.name, "--force", "-b", file])
            #expect(result.status == 1)
            #expect(result.stdout == "LIMIT              VALUE\nsubflows           2\nadd_addr_accepted  0\n")
            #expect(result.stderr.split(separator: "\n") == [
                "mptcpctl: \(file):2: endpoint add 10.0.2.1 signal: the kernel refused: \(RunningKernel.duplicateAddressRefusal)",
                "mptcpctl: \(file):3: endpoint add: unknown word 'bogus': expected an ADDRESS, id ID, dev NAME, port NR or a flag (signal, subflow, address, backup, fullmesh)",
                "mptcpctl: \(file): 2 of 5 line(s) failed",
            ])
            #expect(ns.state == "10.0.2.1 id 1 subflow \n10.0.2.3 id 2 subflow \n--\nadd_addr_accepted 0 subflows 2 \n")
        }
    }

    @Test func aFileWithoutFailuresExitsZeroAndAMissingFileIsNamed() throws {
        try TestNamespace.with { ns in
            let file = try write("endpoint add 10.0.2.1 subflow\nendpoint change 10.0.2.1 backup\n")
            defer { try? FileManager.default.removeItem(atPath: file) }
            ns.expectSuccess("-b \(file)")
            #expect(ns.state == "10.0.2.1 id 1 subflow backup \n--\nadd_addr_accepted 0 subflows 2 \n")
            // A file that cannot be read is the environment's fault (exit 3), not the command line's.
            ns.expectFailure("-b /nonexistent/batch", status: 3,
                             message: "cannot read '/nonexistent/batch': ENOENT (No such file or directory)")
        }
    }
}
