import Foundation
import Testing

/// `counters`: the dump beside the kernel's own MPTCP_INFO counters, on real namespaces.
struct CountersKernelTests {
    /// `counters -j` of one namespace, decoded.
    func counters(_ ns: TestNamespace) throws -> [String: Any] {
        let result = ns.mptcpctl("counters -j")
        #expect(result.status == 0 && result.stderr == "", "\(result)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// The dump agrees with `expected` and with the kernel's own counters; the address
    /// counter is the kernel's only where it has address endpoints (Linux 6.18), and
    /// null (unavailable, never 0) before.
    func expectAgreement(_ ns: TestNamespace, _ expected: [String: Int], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let json = try counters(ns)
        let endpoints = try #require(json["endpoints"] as? [String: Int])
        let limits = try #require(json["limits"] as? [String: Int])
        let kernel = try #require(json["kernel"] as? [String: Any])
        for (key, value) in expected {
            #expect((endpoints[key] ?? limits[key]) == value, "\(key)", sourceLocation: sourceLocation)
        }
        #expect(kernel["endp_signal_max"] as? Int == endpoints["signal"], sourceLocation: sourceLocation)
        #expect(kernel["endp_subflow_max"] as? Int == endpoints["subflow"], sourceLocation: sourceLocation)
        if RunningKernel.hasAddressEndpoints {
            #expect(kernel["endp_address_max"] as? Int == endpoints["address"], sourceLocation: sourceLocation)
        } else {
            #expect(kernel["endp_address_max"] is NSNull, sourceLocation: sourceLocation)
            #expect(endpoints["address"] == 0, sourceLocation: sourceLocation)
        }
        #expect(kernel["limit_subflows"] as? Int == limits["subflows"], sourceLocation: sourceLocation)
        #expect(kernel["limit_add_addr_accepted"] as? Int == limits["add_addr_accepted"], sourceLocation: sourceLocation)
    }

    @Test func theDumpAndTheKernelAgreeAfterEveryKindOfChange() throws {
        try TestNamespace.with { ns in
            try expectAgreement(ns, ["total": 0, "address": 0, "subflows": 2, "add_addr_accepted": 0])
            ns.expectSuccess("endpoint add 10.0.2.1 id 1 signal")
            ns.expectSuccess("endpoint add 10.0.2.2 id 2 subflow backup")
            // Without address endpoints (before Linux 6.18): refused, and a subflow
            // endpoint instead (id 3 without the flag; id 4 keeps subflow and fullmesh).
            let address = RunningKernel.hasAddressEndpoints
            if !ns.expectEndpointAdded("10.0.2.3 id 3 address") { ns.expectSuccess("endpoint add 10.0.2.3 id 3 subflow") }
            if !ns.expectEndpointAdded("10.0.2.4 id 4 subflow address fullmesh") { ns.expectSuccess("endpoint add 10.0.2.4 id 4 subflow fullmesh") }
            try expectAgreement(ns, ["total": 4, "signal": 1, "subflow": address ? 2 : 3, "address": address ? 2 : 0, "fullmesh": 1, "backup": 1])
            ns.expectSuccess("endpoint change id 4 nofullmesh backup")
            try expectAgreement(ns, ["total": 4, "address": address ? 2 : 0, "fullmesh": 0, "backup": 2])
            ns.expectSuccess("endpoint delete id 3")
            try expectAgreement(ns, ["total": 3, "address": address ? 1 : 0, "subflow": 2])
            ns.expectSuccess("limits set subflows 7 add_addr_accepted 5")
            try expectAgreement(ns, ["subflows": 7, "add_addr_accepted": 5])
            ns.expectSuccess("endpoint flush")
            try expectAgreement(ns, ["total": 0, "signal": 0, "subflow": 0, "address": 0])
        }
    }

    @Test func textForOneNamespace() throws {
        try TestNamespace.with { ns in
            ns.expectSuccess("endpoint add 10.0.2.1 signal")
            // Without address endpoints: refused, a subflow endpoint instead, and the
            // kernel's address counter unavailable.
            let address = ns.expectEndpointAdded("10.0.2.2 address backup")
            if !address { ns.expectSuccess("endpoint add 10.0.2.2 subflow backup") }
            ns.expectSuccess("counters", output: """
                namespace \(ns.name)

                COUNTER                    DUMP  MPTCP_INFO
                endpoints                  2     -
                signal                     1     1
                subflow                    \(address ? "0     0" : "1     1")
                address                    \(address ? "1     1" : "0     unavailable")
                fullmesh                   0     -
                backup                     1     -
                implicit                   0     -
                subflows (limit)           2     2
                add_addr_accepted (limit)  0     0

                """)
        }
    }

    @Test func theJSONKeysAreExactlyTheDocumentedOnes() throws {
        try TestNamespace.with { ns in
            let json = try counters(ns)
            #expect(Set(json.keys) == ["netns", "endpoints", "limits", "kernel"])
            #expect(json["netns"] as? String == ns.name)
            #expect(Set((json["endpoints"] as? [String: Any] ?? [:]).keys)
                == ["total", "signal", "subflow", "address", "fullmesh", "backup", "implicit"])
            #expect(Set((json["limits"] as? [String: Any] ?? [:]).keys) == ["subflows", "add_addr_accepted"])
            #expect(Set((json["kernel"] as? [String: Any] ?? [:]).keys)
                == ["endp_signal_max", "endp_subflow_max", "endp_address_max", "limit_subflows", "limit_add_addr_accepted"])
        }
    }

    @Test func everyNamespaceInOneRunWithOneThatCannotBeRead() throws {
        try TestNamespace.with { a in
            try TestNamespace.with { b in
                // Without address endpoints: refused, and a subflow endpoint instead.
                let address = a.expectEndpointAdded("10.0.2.1 address")
                if !address { a.expectSuccess("endpoint add 10.0.2.1 subflow") }
                b.expectSuccess("limits set subflows 6")
                let fake = try FakeNamespaceFile()
                defer { fake.remove() }

                let json = Shell.run(Shell.mptcpctl, ["counters", "--all-netns", "-j"])
                #expect(json.status == 3, "\(json)")
                #expect(json.stderr.contains("\(fake.name): /run/netns/\(fake.name) is not a network namespace"))
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
                #expect(rows.first?["netns"] is NSNull, "the current namespace comes first")
                func row(_ name: String) -> [String: Any]? { rows.first { $0["netns"] as? String == name } }
                #expect((row(a.name)?["endpoints"] as? [String: Int])?["address"] == (address ? 1 : 0))
                #expect((row(a.name)?["endpoints"] as? [String: Int])?["subflow"] == (address ? 0 : 1))
                let kernel = row(a.name)?["kernel"] as? [String: Any]
                #expect(address ? kernel?["endp_address_max"] as? Int == 1 : kernel?["endp_address_max"] is NSNull)
                #expect((row(b.name)?["limits"] as? [String: Int])?["subflows"] == 6)
                #expect(row(fake.name)?["endpoints"] is NSNull)
                #expect(row(fake.name)?["kernel"] is NSNull)

                let text = Shell.run(Shell.mptcpctl, ["--all-netns", "counters"])
                #expect(text.status == 3)
                let lines = text.stdout.split(separator: "\n").map(String.init)
                #expect(lines.first?.hasPrefix("NETNS") == true)
                #expect(lines.contains { $0.hasPrefix("(current)") })
                // ENDPOINTS SIGNAL SUBFLOW ADDRESS FULLMESH BACKUP IMPLICIT SUBFLOWS ADD_ADDR_ACCEPTED KERNEL
                let expected = [a.name, "1", "0", address ? "0" : "1", address ? "1" : "0", "0", "0", "0", "2", "0", "agrees"]
                #expect(lines.contains { $0.split(separator: " ").map(String.init) == expected }, "\(text.stdout)")
                #expect(!address || lines.contains { $0.hasPrefix(a.name) && $0.hasSuffix("1        0         0       0         2         0                  agrees") },
                        "\(text.stdout)")
                #expect(lines.contains { $0.hasPrefix(fake.name) && $0.hasSuffix("ERROR (below)") })
                #expect(lines.contains("\(fake.name): /run/netns/\(fake.name) is not a network namespace"))
            }
        }
    }
}

/// A file under /run/netns that is not a namespace, as a broken set-up leaves.
struct FakeNamespaceFile {
    let name = "mptcpctl-test-fake-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    var path: String { "/run/netns/\(name)" }

    init() throws {
        try FileManager.default.createDirectory(atPath: "/run/netns", withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: "/run/netns/\(name)", contents: Data()) else {
            throw TestNamespace.CannotCreate(description: "cannot create /run/netns/\(name)")
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
