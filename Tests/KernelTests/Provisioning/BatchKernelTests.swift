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

    /// The lines run as root: a file that another user could have written, or put in
    /// place (a directory above it others may write), is refused, naming why (exit 3),
    /// and so is a FIFO, which would hang the read.
    @Test func aFileOthersCouldReplaceIsRefused() throws {
        try TestNamespace.with { ns in
            let open = try ScratchDirectory(mode: 0o777)
            let file = try open.write("lines", "endpoint add 10.0.2.1 subflow\n")
            ns.expectFailure("-b \(file)", status: 3, message: "-b: the directory \(open.path) is writable by group or others "
                + "(mode 777, not sticky): anyone who can write there can put another file in place of the one named and decide "
                + "this host's endpoints; fix: 'chmod go-w \(open.path)', or move the file")
            let fifo = open.path + "/fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            chmod(open.path, 0o755)
            // Waited for a while only: were it opened, nothing would ever write it (and a
            // child of the tests has SIGTERM blocked: killed then).
            let reader = try Background([Shell.mptcpctl, "-n", ns.name, "-b", fifo])
            let finished = reader.waitForExit(seconds: 5)
            if finished == nil { kill(reader.process.processIdentifier, SIGKILL) }
            let refused = finished ?? reader.stop()
            #expect(refused == CommandResult(status: 3, stdout: "", stderr: "mptcpctl: -b: \(fifo) is a FIFO, not a regular file\n"))
            ns.expectSuccess("-b \(file)")
            #expect(ns.state == "10.0.2.1 id 1 subflow \n--\nadd_addr_accepted 0 subflows 2 \n")
        }
    }
}
