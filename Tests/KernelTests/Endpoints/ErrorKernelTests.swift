import Foundation
import Netlink
import Testing
@testable import MPTCPKit

/// Every row of the kernel's error table (MPTCP-FACTS.md): the exit code, the message
/// with the errno name and the kernel's text verbatim, and a namespace left as it was.
/// The errno, the texts and the maxima are the running kernel's (they differ between
/// releases: 6.1 answers a duplicate with EINVAL and no number): the same request is sent
/// through the library first, and its answer is what the command line must show.
struct ErrorKernelTests {
    /// The hints mptcpctl adds after the kernel's text, by errno.
    static let hints: [Int32: String] = [
        ERANGE: "the kernel holds no more endpoints in this namespace; see 'mptcpctl endpoint show'",
        EEXIST: "an endpoint with this address already exists; see 'mptcpctl endpoint show'",
        EBUSY: "this id is taken; see 'mptcpctl endpoint show'",
        EADDRNOTAVAIL: "a port endpoint needs its address configured on an interface of the namespace",
    ]

    /// What `LINE` must print when the kernel refuses `request`, asked of the kernel
    /// through the library first (a refused request changes nothing): the errno name, the
    /// kernel's text (the one `ip` shows for the same line; 6.1 gives none for some), and
    /// mptcpctl's hint.
    static func refusal(_ ns: TestNamespace, _ line: String, _ request: () throws(PathManagerError) -> Void) -> String {
        do {
            try request()
            return "(the kernel took \(line))"
        } catch {
            guard case let .kernel(code, extack) = error else { return "\(error)" }
            let hint = hints[code.rawValue].map { " (\($0))" } ?? ""
            guard let extack else { return "\(line): the kernel refused: \(code)\(hint)" }
            #expect(extack == ns.ipRefusal(line))
            return "\(line): the kernel refused: \(code.name): \(extack)\(hint)"
        }
    }

    @Test func kernelRefusalsThroughTheCommandLine() throws {
        try TestNamespace.with { ns in
            ns.addInterface(address: "10.0.5.1/24")
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 subflow")
            ns.expectSuccess("endpoint add 10.0.2.2 id 2 signal")
            let manager = try PathManager.open(netns: ns.name)
            func address(_ text: String) -> IPAddress { IPAddress(text)! }
            ns.expectFailure("endpoint add 10.0.2.1 subflow", status: 1,
                             message: Self.refusal(ns, "endpoint add 10.0.2.1 subflow") { () throws(PathManagerError) in _ = try manager.add(EndpointSpec(address: address("10.0.2.1"), flags: [.subflow])) })
            ns.expectFailure("endpoint add 10.0.2.9 id 1", status: 1,
                             message: Self.refusal(ns, "endpoint add 10.0.2.9 id 1") { () throws(PathManagerError) in _ = try manager.add(EndpointSpec(address: address("10.0.2.9"), id: 1)) })
            ns.expectFailure("endpoint add 10.0.9.9 port 1234 signal", status: 1, message: Self.refusal(ns, "endpoint add 10.0.9.9 port 1234 signal") { () throws(PathManagerError) in
                _ = try manager.add(EndpointSpec(address: address("10.0.9.9"), port: 1234, flags: [.signal]))
            })
            for verb in ["show", "delete"] {
                ns.expectFailure("endpoint \(verb) id 77", status: 1,
                                 message: "endpoint \(verb) id 77: no endpoint has id 77; see 'mptcpctl endpoint show'")
            }
            ns.expectFailure("endpoint change id 77 backup", status: 1,
                             message: "endpoint change id 77 backup: no endpoint has id 77; see 'mptcpctl endpoint show'")
            ns.expectFailure("endpoint change id 2 fullmesh", status: 1, message: Self.refusal(ns, "endpoint change id 2 fullmesh") { () throws(PathManagerError) in
                try manager.setFlags(id: 2, [.fullmesh])
            })
            // Up to the kernel's maximum (8 until 7.x), the last ones through the library.
            for n in 3...8 { ns.expectSuccess("endpoint add 10.0.2.\(n)") }
            for n in stride(from: 9, through: RunningKernel.endpointMax, by: 1) {
                _ = try manager.add(EndpointSpec(address: IPAddress("10.0.\(10 + n / 200).\(n % 200)")!, flags: [.subflow]))
            }
            #expect(try manager.endpoints().count == RunningKernel.endpointMax)
            ns.expectFailure("endpoint add 10.0.3.9", status: 1,
                             message: Self.refusal(ns, "endpoint add 10.0.3.9") { () throws(PathManagerError) in _ = try manager.add(EndpointSpec(address: address("10.0.3.9"))) })
        }
    }

    @Test func rulesCheckedBeforeAnythingIsSent() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 subflow")
            ns.expectFailure("endpoint add 10.0.2.5 signal fullmesh", status: 2,
                             message: "endpoint add: 'fullmesh' cannot go with 'signal': an endpoint is not both signal and fullmesh")
            ns.expectFailure("endpoint add 10.0.2.5 implicit", status: 2,
                             message: "endpoint add: 'implicit' cannot be requested: the kernel makes implicit endpoints itself")
            ns.expectFailure("endpoint add 10.0.2.5 port 80", status: 2,
                             message: "endpoint add: 'port' needs the 'signal' flag and not 'subflow'")
            ns.expectFailure("endpoint add 10.0.2.5 port 80 signal subflow", status: 2,
                             message: "endpoint add: 'port' needs the 'signal' flag and not 'subflow'")
            for bad in ["-1", "x", "4294967296"] {
                ns.expectFailure("limits set subflows \(bad)", status: 2,
                                 message: "limits set: bad subflows '\(bad)': a limit is a whole number from 0 to 4294967295")
            }
            ns.expectFailure("endpoint change backup", status: 2,
                             message: "endpoint change: missing id ID or ADDRESS: which endpoint?")
            ns.expectFailure("endpoint add 10.0.2.5 id 256", status: 2,
                             message: "endpoint add: bad id '256': an id is a number from 1 to 255")
            ns.expectFailure("endpoint add 10.0.2.5 dev nosuch0", status: 2,
                             message: "endpoint add 10.0.2.5 dev nosuch0: device 'nosuch0' does not exist in this namespace")
            ns.expectFailure("endpoint add 10.0.2.5 frob", status: 2, message: "endpoint add: unknown word 'frob': expected an ADDRESS, "
                + "id ID, dev NAME, port NR or a flag (signal, subflow, address, backup, fullmesh)")
            ns.expectFailure("endpoint change id 1 signal", status: 2, message: "endpoint change: 'signal' cannot be changed: "
                + "change takes backup, nobackup, fullmesh or nofullmesh")
        }
    }

    /// The rows mptcpctl catches first still get the kernel's own words when a request
    /// reaches it: sent here through the library, around the command-line checks.
    @Test func theKernelsOwnWordsForTheRowsCaughtClientSide() throws {
        try TestNamespace.with { ns in
            let manager = try PathManager.open(netns: ns.name)
            let a = IPAddress("10.0.2.1")!
            let cases: [(EndpointSpec, Int32, String)] = [
                (EndpointSpec(address: a, flags: [.signal, .fullmesh]), EINVAL, "flags mustn't have both signal and fullmesh"),
                (EndpointSpec(address: a, flags: [.implicit]), EINVAL, "can't create IMPLICIT endpoint"),
                (EndpointSpec(address: a, port: 80, flags: [.subflow]), EINVAL, "flags must have signal and not subflow when using port"),
                (EndpointSpec(address: a, port: 80, flags: [.signal, .subflow]), EINVAL, "flags must have signal and not subflow when using port"),
            ]
            for (spec, code, text) in cases {
                #expect(throws: PathManagerError.kernel(Errno(rawValue: code), extack: text)) { try manager.add(spec) }
            }
            let tooMany = RunningKernel.limitMax + 1
            #expect(throws: PathManagerError.kernel(Errno(rawValue: EINVAL), extack: ns.ipRefusal("limits set subflows \(tooMany)"))) {
                try manager.setLimits(LimitsChange(subflows: tooMany))
            }
            #expect(try manager.endpoints().isEmpty)
            #expect(try manager.limits() == Limits(subflows: 2, addAddrAccepted: 0))
        }
    }

    @Test func deleteWithIdZeroWithoutAnAddressIsAUsageError() throws {
        try TestNamespace.with { ns in
            ns.expectFailure("endpoint delete id 0", status: 2, message:
                "endpoint delete: id 0 needs an ADDRESS: 'delete id 0 ADDRESS' removes that address from connections")
        }
    }
}
