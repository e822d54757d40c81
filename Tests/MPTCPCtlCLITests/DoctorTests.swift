import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// Each finding from a configuration that produces it; the kernel-made ones are in
/// KernelTests/Diagnosis/DoctorKernelTests.swift. These two cannot be made on a 6.18 kernel.
struct DoctorTests {
    func snapshot(kernel: KernelCounters, address: Int = 1) -> NamespaceSnapshot {
        var s = NamespaceSnapshot(
            netns: "ns",
            endpoints: (0..<address).map { Endpoint(id: UInt8($0 + 1), address: IPAddress("10.0.2.\($0 + 1)")!, flags: [.address]) },
            limits: Limits(subflows: 2, addAddrAccepted: 2), kernel: kernel)
        s.localAddresses = Set(s.endpoints.map(\.address))
        return s
    }

    @Test func aKernelWithoutTheAddressCounter() {
        let old = KernelCounters(endpSignalMax: 0, endpSubflowMax: 0, endpAddressMax: nil, limitSubflows: 2, limitAddAddrAccepted: 2)
        #expect(Doctor.diagnose(snapshot(kernel: old)).map { DoctorView.check($0.kind) } == ["address-counter-unavailable"])
        #expect(Doctor.diagnose(snapshot(kernel: old)).first?.severity == .warning)
        #expect(Doctor.diagnose(snapshot(kernel: old, address: 0)).first?.severity == .info)
        let new = KernelCounters(endpSignalMax: 0, endpSubflowMax: 0, endpAddressMax: 1, limitSubflows: 2, limitAddAddrAccepted: 2)
        #expect(Doctor.diagnose(snapshot(kernel: new)).isEmpty)
    }

    /// The fix for endpoints under the userspace path manager names the sysctl the kernel
    /// has: `path_manager` from Linux 6.15, `pm_type` before.
    @Test func theUserspacePathManagersFixNamesTheKernelsSysctl() {
        let counters = KernelCounters(endpSignalMax: 0, endpSubflowMax: 0, endpAddressMax: 1, limitSubflows: 2, limitAddAddrAccepted: 2)
        var s = snapshot(kernel: counters)
        s.pathManager = .userspace
        #expect(Doctor.diagnose(s).first?.remedy == .setSysctl(key: "net.mptcp.path_manager", value: "kernel"))
        s.hasPathManagerSysctl = false
        #expect(Doctor.diagnose(s).first?.remedy == .setSysctl(key: "net.mptcp.pm_type", value: "0"))
    }

    @Test func countersThatDisagree() {
        let wrong = KernelCounters(endpSignalMax: 0, endpSubflowMax: 0, endpAddressMax: 3, limitSubflows: 2, limitAddAddrAccepted: 2)
        let findings = Doctor.diagnose(snapshot(kernel: wrong))
        #expect(findings.map { DoctorView.check($0.kind) } == ["kernel-mismatch"])
        #expect(findings.first.map { DoctorView.message($0.kind) } == "address: the dump says 1 but the kernel's MPTCP_INFO says 3")
        #expect(CountersView().text(snapshot(kernel: wrong)).hasSuffix(
            "\nMISMATCH: address: the dump says 1, the kernel's MPTCP_INFO says 3"))
    }

    /// An endpoint no subflow can use says so, with its own fix, and nothing else.
    @Test func anUnusableAddress() {
        let new = KernelCounters(endpSignalMax: 1, endpSubflowMax: 0, endpAddressMax: 0, limitSubflows: 2, limitAddAddrAccepted: 2)
        var s = snapshot(kernel: new, address: 0)
        s.endpoints = [Endpoint(id: 3, address: IPAddress("224.0.0.1")!, flags: .signal)]
        let findings = Doctor.diagnose(s)
        #expect(findings == [Finding(.warning, .unusableAddress(s.endpoints[0], .multicast), remedy: .deleteEndpoint(id: 3))])
        #expect(DoctorView(netns: "ns").text(findings) == """
            namespace ns:
              WARNING unusable-address: endpoint 3: 224.0.0.1 is a multicast address: no subflow can start from it or reach it, \
            so the endpoint adds no path
                fix: mptcpctl -n ns endpoint delete id 3
            """)
    }

    @Test func errorsComeFirst() {
        var s = snapshot(kernel: .unavailable, address: 3)
        s.limits = Limits(subflows: 1, addAddrAccepted: 0)
        #expect(Doctor.diagnose(s).map(\.severity) == [.error, .warning, .warning])
    }

    // MARK: live findings, from the connections and listeners

    /// A client with `subflow` endpoints on cb (id 5) and cc (id 6), both up, and the
    /// connections `connections` (the kernel's counters agree with the endpoints).
    static func client(_ endpoints: [Endpoint], _ connections: [Connection]) -> NamespaceSnapshot {
        let counters = KernelCounters(endpSignalMax: endpoints.filter { $0.flags.contains(.signal) }.count,
                                      endpSubflowMax: endpoints.filter { $0.flags.contains(.subflow) }.count,
                                      endpAddressMax: 0, limitSubflows: 2, limitAddAddrAccepted: 0)
        var s = NamespaceSnapshot(netns: "client", endpoints: endpoints, limits: Limits(subflows: 2, addAddrAccepted: 0), kernel: counters)
        for (link, name) in [(1, "ca"), (2, "cb"), (3, "cc")] {
            s.addressOwners[IPAddress("10.0.\(link).1")!] = name
            s.interfaceStatus[name] = InterfaceStatus(name: name, isUp: true, hasIPv4Route: true, hasIPv6Route: false, reversePathFilter: 0)
        }
        s.localAddresses = Set(s.addressOwners.keys)
        s.connections = connections
        return s
    }

    static let cb = Endpoint(id: 5, address: IPAddress("10.0.2.1")!, flags: .subflow)
    static let cc = Endpoint(id: 6, address: IPAddress("10.0.3.1")!, flags: .subflow)

    static func subflow(_ link: Int, port: UInt16, _ info: TCPInfo?, endpoint: UInt8? = nil) -> Subflow {
        Subflow(local: IPAddress("10.0.\(link).1")!, remote: IPAddress("10.0.\(link).2")!, localPort: port, remotePort: 8080, state: 1,
                localToken: 1, remoteToken: 2, localID: endpoint ?? 0, remoteID: 0, flags: link == 1 ? 0 : Subflow.joinLocalFlag,
                interfaceName: ["ca", "cb", "cc"][link - 1], endpoint: endpoint, tcpInfo: info)
    }

    static let working = TCPInfo(retransmits: 0, probes: 0, unacked: 3, lastDataReceived: 9_000, lastAckReceived: 2)
    static let blackHoled = TCPInfo(retransmits: 5, probes: 0, unacked: 20, lastDataReceived: 90_000, lastAckReceived: 12_400)

    static func connection(_ token: UInt32, port: UInt16 = 40000, state: UInt8 = 1, _ subflows: [Subflow]) -> Connection {
        Connection(token: token, local: IPAddress("10.0.1.1")!, remote: IPAddress("10.0.1.2")!, localPort: port, remotePort: 8080,
                   state: state, subflows: subflows, inode: 99)
    }

    /// A black-holed path: on cb every subflow of two connections is stalled; a third
    /// still has a working one there. One finding, for both, with the probe and the flap.
    @Test func aStalledPath() {
        let s = Self.client([Self.cb, Self.cc], [
            Self.connection(1, [Self.subflow(1, port: 1, Self.working), Self.subflow(2, port: 2, Self.blackHoled, endpoint: 5),
                                Self.subflow(3, port: 3, Self.working, endpoint: 6)]),
            Self.connection(2, [Self.subflow(1, port: 4, Self.working), Self.subflow(2, port: 5, Self.blackHoled, endpoint: 5),
                                Self.subflow(3, port: 6, Self.working, endpoint: 6)]),
            Self.connection(3, [Self.subflow(1, port: 7, Self.working), Self.subflow(2, port: 8, Self.working, endpoint: 5),
                                Self.subflow(3, port: 9, Self.working, endpoint: 6)]),
        ])
        let findings = Doctor.diagnose(s).filter { DoctorView.check($0.kind) != "initial-path-unhealable" }
        #expect(findings.map { DoctorView.check($0.kind) } == ["stalled-path"])
        #expect(DoctorView(netns: "client").text(findings) == """
            namespace client:
              WARNING stalled-path: 2 connection(s) have no working subflow on cb: their subflows there are stalled \
            (10.0.2.1:2 -> 10.0.2.2:8080: stalled/backoff, nothing acknowledged for 12s); the path is black-holed or the peer gone
                fix: ip netns exec client ping -c 3 -I cb 10.0.2.2; once it answers: mptcpctl -n client endpoint delete id 5; \
            mptcpctl -n client endpoint add 10.0.2.1 id 5 subflow
            """)
        // Down, it is the interface's problem, not a stall to report.
        var down = s
        down.interfaceStatus["cb"]?.isUp = false
        #expect(!Doctor.diagnose(down).contains { DoctorView.check($0.kind) == "stalled-path" })
    }

    /// A lost path: the connection's subflow from endpoint 6 (cc, up) is gone and the
    /// limit leaves room: an error, fixed by flapping the endpoint. Not on a server's
    /// connection (its local port listens), nor when the limit is used up.
    @Test func aLostPath() {
        let lost = Self.connection(0x0a0b0c0d, [Self.subflow(1, port: 1, Self.working), Self.subflow(2, port: 2, Self.working, endpoint: 5)])
        let s = Self.client([Self.cb, Self.cc], [lost])
        let findings = Doctor.diagnose(s).filter { DoctorView.check($0.kind) == "lost-path" }
        #expect(findings.count == 1 && findings.first?.severity == .error)
        #expect(DoctorView(netns: "client").text(findings) == """
            namespace client:
              ERROR lost-path: 1 connection(s) (token 0a0b0c0d) have no subflow from endpoint 6 (10.0.3.1) though cc is up: \
            the path was lost, and the kernel never opens it again
                fix: mptcpctl -n client endpoint delete id 6; mptcpctl -n client endpoint add 10.0.3.1 dev cc id 6 subflow
            """)
        var server = s
        server.connections?.append(Connection(token: 0, local: IPAddress("0.0.0.0")!, remote: IPAddress("0.0.0.0")!, localPort: 40000,
                                              remotePort: 0, state: 10))
        #expect(!Doctor.diagnose(server).contains { DoctorView.check($0.kind) == "lost-path" })
        var full = s
        full.limits.subflows = 1
        #expect(!Doctor.diagnose(full).contains { DoctorView.check($0.kind) == "lost-path" })
        // A connection its program closed has no paths to lose.
        var closed = s
        closed.connections = [Self.connection(1, state: 4, lost.subflows).with(inode: 0)]
        #expect(!Doctor.diagnose(closed).contains { DoctorView.check($0.kind) == "lost-path" })
    }

    /// A server announcing S(b) (signal endpoint 1) while its listener on 8080 is bound
    /// to S(a) only: every join to S(b) is refused. A wildcard listener accepts it; a
    /// signal endpoint with a port of its own has its own listener.
    @Test func aSignalEndpointNoListenerAccepts() {
        let signal = Endpoint(id: 1, address: IPAddress("10.0.2.2")!, flags: .signal)
        func listener(_ address: String, port: UInt16 = 8080) -> Connection {
            Connection(token: 0, local: IPAddress(address)!, remote: IPAddress("0.0.0.0")!, localPort: port, remotePort: 0, state: 10)
        }
        var s = Self.client([signal], [listener("10.0.1.2")])
        s.addressOwners = [IPAddress("10.0.1.2")!: "sa", IPAddress("10.0.2.2")!: "sb"]
        s.localAddresses = Set(s.addressOwners.keys)
        let findings = Doctor.diagnose(s)
        #expect(findings == [Finding(.error, .signalWithoutListener(signal, port: 8080, boundTo: [IPAddress("10.0.1.2")!]),
                                     remedy: .listenOn(address: signal.address, port: 8080))])
        #expect(DoctorView(netns: nil).text(findings) == """
            namespace (current):
              ERROR signal-without-listener: signal endpoint 1 (10.0.2.2) is announced, but the MPTCP listener(s) on port 8080 \
            accept only 10.0.1.2: every join to 10.0.2.2 is refused
                fix: make the server on port 8080 listen on 0.0.0.0 (every address), or on 10.0.2.2 too
            """)
        for fine in [[listener("0.0.0.0")], [listener("::")], [listener("10.0.1.2"), listener("10.0.2.2")]] {
            s.connections = fine
            #expect(Doctor.diagnose(s).isEmpty, "\(fine)")
        }
        s.connections = [listener("10.0.1.2"), listener("10.0.2.2", port: 9090)]
        #expect(Doctor.diagnose(s).map { DoctorView.check($0.kind) } == ["signal-without-listener"])
        var withPort = signal
        withPort.port = 10100
        s.endpoints = [withPort]
        s.kernel = KernelCounters(endpSignalMax: 1, endpSubflowMax: 0, endpAddressMax: 0, limitSubflows: 2, limitAddAddrAccepted: 0)
        #expect(Doctor.diagnose(s).isEmpty)
    }

    /// A client recipe with subflow endpoints on cb and cc but none on ca, where the
    /// connections begin: nothing can reopen their initial path.
    @Test func anInitialPathNothingCanReopen() {
        let s = Self.client([Self.cb, Self.cc], [
            Self.connection(1, [Self.subflow(1, port: 1, Self.working), Self.subflow(2, port: 2, Self.working, endpoint: 5),
                                Self.subflow(3, port: 3, Self.working, endpoint: 6)]),
            Self.connection(2, port: 40001, [Self.subflow(1, port: 4, Self.working), Self.subflow(2, port: 5, Self.working, endpoint: 5),
                                             Self.subflow(3, port: 6, Self.working, endpoint: 6)]),
        ])
        let findings = Doctor.diagnose(s)
        #expect(findings == [Finding(.warning, .initialPathUnhealable(address: IPAddress("10.0.1.1")!, interface: "ca", connections: 2),
                                     remedy: .addEndpoint(EndpointSpec(address: IPAddress("10.0.1.1")!, flags: .subflow, device: "ca")))])
        #expect(DoctorView(netns: "client").text(findings) == """
            namespace client:
              WARNING initial-path-unhealable: 2 connection(s) began from 10.0.1.1 (ca), which no subflow endpoint has: \
            when that initial path fails, nothing can open it again
                fix: mptcpctl -n client endpoint add 10.0.1.1 dev ca subflow
            """)
        let ca = Endpoint(id: 4, address: IPAddress("10.0.1.1")!, flags: .subflow)
        var healed = Self.client([ca, Self.cb, Self.cc], s.connections ?? [])
        healed.limits.subflows = 3
        healed.kernel.limitSubflows = 3
        #expect(Doctor.diagnose(healed).isEmpty, "\(Doctor.diagnose(healed))")
    }
}

extension Connection {
    func with(inode: UInt32) -> Connection {
        var copy = self
        copy.inode = inode
        return copy
    }
}
