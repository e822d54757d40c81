import MPTCPKit
import MPTCPKitTesting
import Glibc
import Netlink
import Testing

/// The path manager's own rules over the fake kernel, as values: what an embedding
/// program gets back, with no words attached.
struct PathManagerTests {
    let a1 = IPAddress("10.0.2.1")!, a2 = IPAddress("10.0.2.2")!

    @Test func addReadsTheAddressFlagBackAndTakesTheEndpointAwayWhenItWasDropped() throws {
        let kernel = FakeKernel()
        kernel.knownFlags = 0x1f
        #expect(throws: PathManagerError.addressFlagDropped(a1)) {
            try kernel.manager.add(EndpointSpec(address: a1, flags: .address))
        }
        #expect(kernel.table.isEmpty)
        #expect(kernel.requests == ["add", "delete 1"])
        // Without the address flag there is nothing to read back.
        try kernel.manager.add(EndpointSpec(address: a1, flags: .subflow))
        #expect(kernel.requests == ["add", "delete 1", "add"])
    }

    @Test func devicesAreResolvedBeforeAnythingIsSent() throws {
        let kernel = FakeKernel()
        #expect(throws: PathManagerError.noSuchDevice("eth9")) {
            try kernel.manager.add(EndpointSpec(address: a1, device: "eth9"))
        }
        #expect(kernel.requests.isEmpty)
        try kernel.manager.add(EndpointSpec(address: a1, flags: .subflow, device: "eth1"))
        #expect(kernel.table.map(\.interfaceIndex) == [3])
    }

    @Test func findByAddressNamesNoneOrSeveral() throws {
        let kernel = FakeKernel(table: [Endpoint(id: 1, address: a1, port: 1000, flags: .signal),
                                        Endpoint(id: 2, address: a1, port: 2000, flags: .signal)])
        #expect(throws: PathManagerError.ambiguousAddress(a1, port: nil, ids: [1, 2])) {
            try kernel.manager.find(address: a1, port: nil)
        }
        #expect(try kernel.manager.find(address: a1, port: 2000).id == 2)
        #expect(throws: PathManagerError.noSuchEndpoint(a2, port: nil)) { try kernel.manager.find(address: a2, port: nil) }
    }

    /// The kernel takes 10.0.3.2 and ::ffff:10.0.3.2 for one address: it refuses the
    /// second as a duplicate, and finds either by the other; so does `find`, the
    /// written form first.
    @Test func anIPv4MappedAddressIsItsIPv4AddressToTheKernel() throws {
        let mapped = IPAddress("::ffff:10.0.2.1")!
        #expect(mapped.isKernelEqual(to: a1) && a1.isKernelEqual(to: mapped) && mapped != a1)
        #expect(!IPAddress("::ffff:10.0.2.2")!.isKernelEqual(to: a1) && !IPAddress("::10.0.2.1")!.isKernelEqual(to: a1))
        #expect(mapped.unusable == nil)
        let kernel = FakeKernel()
        try kernel.manager.add(EndpointSpec(address: mapped, flags: .signal))
        #expect(throws: PathManagerError.kernel(Errno(rawValue: EEXIST), extack: "too many addresses or duplicate one: -17")) {
            try kernel.manager.add(EndpointSpec(address: a1, flags: .signal))
        }
        #expect(try kernel.manager.find(address: a1, port: nil).address == mapped)
        try kernel.manager.add(EndpointSpec(address: a1, port: 1000, flags: .signal))
        #expect(try kernel.manager.find(address: a1, port: nil).port == 1000)
        #expect(try kernel.manager.find(address: mapped, port: nil).port == 0)
    }

    @Test func unusableAddresses() {
        #expect(["0.0.0.0", "::"].map { IPAddress($0)!.unusable } == [.unspecified, .unspecified])
        #expect(["224.0.0.1", "239.255.255.255", "ff02::1"].map { IPAddress($0)!.unusable } == [.multicast, .multicast, .multicast])
        #expect(IPAddress("255.255.255.255")!.unusable == .limitedBroadcast)
        #expect(["10.0.2.1", "2001:db8::1", "fe80::1", "223.255.255.255"].allSatisfy { IPAddress($0)!.unusable == nil })
    }

    /// Id 0 names no endpoint: the kernel's answer stays its own, not "no endpoint has id 0".
    @Test func idZeroIsTheKernelsToAnswer() {
        let kernel = FakeKernel()
        #expect(throws: PathManagerError.kernel(Errno(rawValue: EINVAL), extack: "address not found")) { try kernel.manager.endpoint(id: 0) }
        #expect(throws: PathManagerError.kernel(Errno(rawValue: EOPNOTSUPP), extack: "missing address ID")) {
            try kernel.manager.setFlags(id: 0, .backup)
        }
        #expect(throws: PathManagerError.noSuchID(7)) { try kernel.manager.endpoint(id: 7) }
    }

    @Test func deleteByIdChecksTheAddressWhenGiven() throws {
        let kernel = FakeKernel(table: [Endpoint(id: 4, address: a1, flags: .subflow)])
        #expect(throws: PathManagerError.addressMismatch(id: 4, has: a1, asked: a2)) {
            try kernel.manager.delete(id: 4, ifAddressIs: a2)
        }
        try kernel.manager.delete(id: 4, ifAddressIs: a1)
        #expect(kernel.table.isEmpty)
    }

    @Test func changeSendsOnlyBackupAndFullmeshAndKeepsTheOthers() throws {
        let kernel = FakeKernel(table: [Endpoint(id: 4, address: a1, flags: [.subflow, .fullmesh])])
        try kernel.manager.change(kernel.table[0], set: .backup, clear: [])
        #expect(kernel.requests == ["set 4 12"])
        #expect(kernel.table[0].flags == [.subflow, .fullmesh, .backup])
    }

    @Test func kernelRefusalsKeepTheirErrnoAndText() {
        let kernel = FakeKernel(table: [Endpoint(id: 1, address: a1)])
        #expect(throws: PathManagerError.kernel(Errno(rawValue: 17), extack: "too many addresses or duplicate one: -17")) {
            try kernel.manager.add(EndpointSpec(address: a1))
        }
        #expect(PathManagerError(.kernel(Errno(rawValue: 1), extack: nil)) == .permission(Errno(rawValue: 1), extack: nil))
        #expect(PathManagerError(.familyNotFound("mptcp_pm")) == .noPathManager)
    }

    @Test func specsBreakingAKernelRuleSayWhich() {
        #expect(EndpointSpec(address: a1, flags: [.signal, .fullmesh]).violations == [.signalWithFullmesh])
        #expect(EndpointSpec(address: a1, port: 80, flags: .subflow).violations == [.portWithoutSignal])
        #expect(EndpointSpec(address: a1, id: 0, flags: .implicit).violations == [.zeroID, .implicitRequested])
        #expect(EndpointSpec(address: a1, device: "a/b").violations == [.badDeviceName("a/b")])
        #expect(EndpointSpec(address: a1, port: 80, flags: .signal, device: "eth1").violations.isEmpty)
        #expect(!EndpointSpec.isValidDeviceName("..") && !EndpointSpec.isValidDeviceName("abcdefghijklmnop"))
    }

    @Test func aPlanIsValuesAndItsRequestsComeInASafeOrder() {
        let current = [Endpoint(id: 1, address: a1, flags: .subflow), Endpoint(id: 2, address: a2, flags: .implicit)]
        let plan = Plan.make(current: current, limits: Limits(subflows: 2, addAddrAccepted: 0),
                             endpoints: [EndpointSpec(address: a2, flags: .signal), EndpointSpec(address: a1, id: 1, flags: [.subflow, .backup])],
                             wantedLimits: LimitsChange(addAddrAccepted: 2))
        #expect(plan.steps == [
            .change(current[0], to: [.subflow, .backup]),
            .add(EndpointSpec(address: a2, flags: .signal)),
            .setLimits(from: Limits(subflows: 2, addAddrAccepted: 0), to: Limits(subflows: 2, addAddrAccepted: 2)),
        ])
        #expect(plan.operations.map(\.operation) == [
            .setFlags(id: 1, .backup), .add(EndpointSpec(address: a2, flags: .signal)), .setLimits(LimitsChange(addAddrAccepted: 2)),
        ])
    }

    @Test func aFailedPlanIsRolledBackAndSaysSo() {
        let kernel = FakeKernel(table: [Endpoint(id: 1, address: a1, flags: .subflow)])
        let saved = PlanExecutor.Saved(endpoints: kernel.table, limits: kernel.limits)
        let plan = Plan.make(current: kernel.table, limits: kernel.limits, endpoints: [EndpointSpec(address: a2, port: 80, flags: .subflow)])
        #expect(throws: PlanFailure(cause: .step(.add(EndpointSpec(address: a2, port: 80, flags: .subflow)),
                                                 .kernel(Errno(rawValue: 22), extack: "flags must have signal and not subflow when using port")),
                                    rollback: .restored)) {
            try PlanExecutor(manager: kernel.manager).execute(plan, saved: saved)
        }
        #expect(kernel.table == saved.endpoints)
    }
}
