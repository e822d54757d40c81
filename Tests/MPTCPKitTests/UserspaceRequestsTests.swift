import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing

/// The userspace path manager's requests, byte for byte (uapi linux/mptcp_pm.h).
struct UserspaceRequestsTests {
    let family: Int32 = 0x1d

    func header(length: Int, command: UInt8) -> [UInt8] {
        le32(UInt32(length)) + le16(UInt16(family)) + le16(0) + le32(0) + le32(0) + [command, 1, 0, 0]
    }

    @Test func announceCarriesTheTokenAndASignalAddressWithItsId() throws {
        let spec = EndpointSpec(address: IPAddress("10.0.2.1")!, id: 5, port: 4444)
        let body = attribute(4, le32(0xa859c0f3)) + attribute(0x8001, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 1])
            + attribute(2, [5]) + attribute(5, le16(4444)) + attribute(6, le32(0x01)))
        #expect(try UserspaceRequests.announce(token: 0xa859c0f3, spec, family: family).bytes == header(length: 20 + body.count, command: 8) + body)
    }

    @Test func removeCarriesTheLocalId() throws {
        let body = attribute(4, le32(7)) + attribute(5, [3])
        #expect(try UserspaceRequests.remove(token: 7, id: 3, family: family).bytes == header(length: 20 + body.count, command: 9) + body)
    }

    @Test func subflowsNameBothEnds() throws {
        let local = EndpointSpec(address: IPAddress("10.0.2.1")!, id: 3, flags: .backup)
        let remote = SocketAddress(IPAddress("10.0.2.2")!, port: 80)
        let create = attribute(4, le32(7)) + attribute(0x8001, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 1]) + attribute(2, [3])
            + attribute(6, le32(0x04))) + attribute(0x8006, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 2]) + attribute(5, le16(80)))
        #expect(try UserspaceRequests.createSubflow(token: 7, local: local, remote: remote, family: family).bytes
            == header(length: 20 + create.count, command: 10) + create)
        let destroy = attribute(4, le32(7)) + attribute(0x8001, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 1]) + attribute(5, le16(4000)))
            + attribute(0x8006, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 2]) + attribute(5, le16(80)))
        #expect(try UserspaceRequests.destroySubflow(token: 7, local: SocketAddress(local.address, port: 4000), remote: remote, family: family).bytes
            == header(length: 20 + destroy.count, command: 11) + destroy)
        let prio = attribute(4, le32(7)) + attribute(0x8001, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 1]) + attribute(6, le32(0)))
            + attribute(0x8006, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 2]) + attribute(5, le16(80)))
        #expect(try UserspaceRequests.setBackup(token: 7, local: SocketAddress(local.address), remote: remote, backup: false, family: family).bytes
            == header(length: 20 + prio.count, command: 7) + prio)
    }
}
