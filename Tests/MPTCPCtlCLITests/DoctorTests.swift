import Testing
@testable import MPTCPCtlCLI
import MPTCPKit
import MPTCPKitTesting

/// Each finding from a configuration that produces it; the kernel-made ones are in
/// KernelTests/DoctorKernelTests.swift. These two cannot be made on a 6.18 kernel.
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
}
