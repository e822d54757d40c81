import MPTCPKit
import MPTCPKitTesting
import Testing

/// The daemon's loop as values: each round says what it planned and did, and what is
/// new since the last, over the fake kernel (the interfaces followed are this
/// namespace's; the state names none of them).
struct ReconcilerTests {
    let a1 = IPAddress("10.0.2.1")!, a2 = IPAddress("10.0.2.2")!

    func reconciler(_ kernel: FakeKernel, _ specs: [EndpointSpec]) throws -> Reconciler {
        let desired = DesiredState(namespaces: [DesiredState.Namespace(name: nil, endpoints: specs.map { DesiredState.Entry($0) })],
                                   named: false)
        return try Reconciler(netns: nil, identity: try NamespaceIdentity(netns: nil), desired: desired, keepUnlisted: false,
                              interval: 30, endpointCapacity: PathManagerFamily.maxEndpoints, open: { _ in kernel.manager }, lock: { _ in nil })
    }

    @Test func aRoundCarriesThePlanOutThenFindsNothingToDo() throws {
        let kernel = FakeKernel(table: [Endpoint(id: 7, address: a2, flags: .signal)])
        let reconciler = try reconciler(kernel, [EndpointSpec(address: a1, id: 1, flags: .subflow)])
        let first = try reconciler.reconcile(.start)
        #expect(first.trigger == .start)
        #expect(first.outcome == .done)
        #expect(first.prepared?.plan.steps == [.delete(Endpoint(id: 7, address: a2, flags: .signal)),
                                               .add(EndpointSpec(address: a1, id: 1, flags: .subflow))])
        #expect(first.nextCheck > 29 && first.nextCheck <= 30)
        #expect(kernel.table == [Endpoint(id: 1, address: a1, flags: .subflow)])
        let second = try reconciler.reconcile(.request)
        #expect(second.outcome == .unchanged)
        #expect(second.prepared?.plan.isEmpty == true)
    }

    @Test func aRefusalIsRolledBackAndSaidToRepeat() throws {
        let kernel = FakeKernel()
        // Nine endpoints: the ninth is refused (ERANGE) and the eight before it taken back.
        let specs = (1...9).map { EndpointSpec(address: IPAddress("10.0.3.\($0)")!, id: UInt8($0), flags: .subflow) }
        let reconciler = try reconciler(kernel, specs)
        let first = try reconciler.reconcile(.start)
        guard case let .refused(failure) = first.outcome else { Issue.record("not refused: \(first.outcome)"); return }
        #expect(failure.rollback == .restored)
        #expect(!first.refusalRepeats)
        #expect(kernel.table.isEmpty)
        let second = try reconciler.reconcile(.request)
        #expect(second.outcome == .refused(failure))
        #expect(second.refusalRepeats)
        // A new state is reconciled at the next round.
        reconciler.desired = DesiredState(namespaces: [DesiredState.Namespace(name: nil, endpoints: [DesiredState.Entry(specs[0])])],
                                          named: false)
        #expect(try reconciler.reconcile(.request).outcome == .done)
        #expect(kernel.table.map(\.id) == [1])
    }
}
