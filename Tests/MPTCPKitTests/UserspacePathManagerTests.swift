import MPTCPKit
import MPTCPKitTesting
import Testing

/// The userspace path manager's own decisions, over the fake kernel: devices resolved in
/// the namespace before anything is sent, a kernel that cannot list a connection's
/// addresses refused rather than asked, and the kernel's refusals passed on as they are.
struct UserspacePathManagerTests {
    let local = IPAddress("10.0.2.1")!, remote = IPAddress("10.0.1.1")!

    func kernel() -> FakeKernel {
        let kernel = FakeKernel()
        kernel.userspaceConnections = [7: []]
        return kernel
    }

    @Test func anAnnouncementIsListedWithTheDeviceResolvedAndTheSignalFlag() throws {
        let kernel = kernel()
        try kernel.userspaceManager.announce(token: 7, EndpointSpec(address: local, id: 4, device: "eth1"))
        #expect(try kernel.userspaceManager.addresses(token: 7)
            == [Endpoint(id: 4, address: local, flags: .signal, interfaceIndex: 3)])
        try kernel.userspaceManager.remove(token: 7, id: 4)
        #expect(try kernel.userspaceManager.addresses(token: 7) == [])
        #expect(kernel.requests == ["announce 7 4", "remove 7 4"])
    }

    @Test func aDeviceTheNamespaceLacksIsRefusedBeforeAnythingIsSent() {
        let kernel = kernel()
        #expect(throws: PathManagerError.noSuchDevice("eth9")) {
            try kernel.userspaceManager.announce(token: 7, EndpointSpec(address: local, id: 4, device: "eth9"))
        }
        #expect(throws: PathManagerError.noSuchDevice("eth9")) {
            try kernel.userspaceManager.createSubflow(token: 7, local: EndpointSpec(address: local, id: 4, device: "eth9"),
                                                      remote: SocketAddress(remote, port: 80))
        }
        #expect(kernel.requests == [])
    }

    @Test func aSubflowIsCreatedFromTheResolvedDevice() throws {
        let kernel = kernel()
        try kernel.userspaceManager.createSubflow(token: 7, local: EndpointSpec(address: local, id: 4, device: "eth1"),
                                                  remote: SocketAddress(remote, port: 80))
        #expect(kernel.requests == ["create 7 10.0.2.1 3 10.0.1.1"])
    }

    @Test func aKernelThatCannotListAddressesIsNotAsked() throws {
        let kernel = kernel()
        kernel.listsUserspaceAddresses = .success(false)
        #expect(throws: PathManagerError.noUserspaceAddressList) { try kernel.userspaceManager.addresses(token: 7) }
        // Not known (no namespace could be made to ask): asked.
        kernel.listsUserspaceAddresses = .failure(.namespace(.enterDenied("(new)")))
        #expect(try kernel.userspaceManager.addresses(token: 7) == [])
    }

    @Test func theKernelsRefusalsArePassedOnAsTheyAre() {
        let kernel = kernel()
        #expect(throws: PathManagerError.kernel(.invalidArgument, extack: "invalid token")) {
            try kernel.userspaceManager.remove(token: 8, id: 1)
        }
        #expect(throws: PathManagerError.kernel(.invalidArgument, extack: "invalid addr id")) {
            try kernel.userspaceManager.announce(token: 7, EndpointSpec(address: local, id: 0))
        }
        #expect(throws: PathManagerError.kernel(.invalidArgument, extack: "missing local port")) {
            try kernel.userspaceManager.destroySubflow(token: 7, local: SocketAddress(local), remote: SocketAddress(remote, port: 80))
        }
        #expect(throws: PathManagerError.kernel(.invalidArgument, extack: "missing remote port")) {
            try kernel.userspaceManager.destroySubflow(token: 7, local: SocketAddress(local, port: 5), remote: SocketAddress(remote))
        }
        #expect(kernel.requests.count == 4)
    }
}
