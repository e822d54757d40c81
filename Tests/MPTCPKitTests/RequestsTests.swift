import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing

/// Requests checked byte for byte against the layout of linux/mptcp_pm.h.
struct RequestsTests {
    let family: Int32 = 0x1d

    /// nlmsghdr (port and sequence 0 until sent) + genlmsghdr (version 1).
    func header(length: Int, command: UInt8, flags: UInt16 = 0) -> [UInt8] {
        le32(UInt32(length)) + le16(UInt16(family)) + le16(flags) + le32(0) + le32(0) + [command, 1, 0, 0]
    }


    @Test func addIPv4WithIdFlagsAndInterface() throws {
        let nest = EndpointSpec(address: IPAddress("10.0.2.1")!, id: 4, flags: [.subflow, .backup], interfaceIndex: 3)
        let inner = attribute(1, le16(2)) + attribute(3, [10, 0, 2, 1]) + attribute(2, [4])
            + attribute(6, le32(0x06)) + attribute(7, le32(3))
        let body = attribute(0x8001, inner)
        #expect(try Requests.add(nest, family: family).bytes == header(length: 20 + body.count, command: 1) + body)
        #expect(body.count == 44)
    }

    @Test func addIPv6SignalWithPortAndTheAddressFlag() throws {
        let address = IPAddress("2001:db8::7")!
        let nest = EndpointSpec(address: address, port: 10100, flags: [.signal, .address])
        let inner = attribute(1, le16(10)) + attribute(4, [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [7])
            + attribute(5, le16(10100)) + attribute(6, le32(0x21))
        let body = attribute(0x8001, inner)
        #expect(try Requests.add(nest, family: family).bytes == header(length: 20 + body.count, command: 1) + body)
    }

    @Test func deleteGetAndSetFlagsById() throws {
        let byID = attribute(0x8001, attribute(2, [9]))
        #expect(try Requests.delete(id: 9, family: family).bytes == header(length: 20 + byID.count, command: 2) + byID)
        #expect(try Requests.get(id: 9, family: family).bytes == header(length: 20 + byID.count, command: 3) + byID)
        let flags = attribute(0x8001, attribute(2, [9]) + attribute(6, le32(0x0c)))
        #expect(try Requests.setFlags(id: 9, [.backup, .fullmesh], family: family).bytes
            == header(length: 20 + flags.count, command: 7) + flags)
    }

    @Test func dumpFlushAndLimits() throws {
        #expect(try Requests.dump(family: family).bytes == header(length: 20, command: 3, flags: 0x300))
        #expect(try Requests.flush(family: family).bytes == header(length: 20, command: 4))
        #expect(try Requests.getLimits(family: family).bytes == header(length: 20, command: 6))
        let both = attribute(2, le32(4)) + attribute(3, le32(8))
        #expect(try Requests.setLimits(LimitsChange(subflows: 8, addAddrAccepted: 4), family: family).bytes
            == header(length: 20 + both.count, command: 5) + both)
        let one = attribute(3, le32(0))
        #expect(try Requests.setLimits(LimitsChange(subflows: 0), family: family).bytes
            == header(length: 20 + one.count, command: 5) + one)
    }

    @Test func deleteOfAnAddressFromTheInitialSubflows() throws {
        let body = attribute(0x8001, attribute(1, le16(2)) + attribute(3, [10, 0, 2, 1]) + attribute(2, [0]))
        #expect(try Requests.delete(id: 0, address: IPAddress("10.0.2.1"), family: family).bytes
            == header(length: 20 + body.count, command: 2) + body)
    }
}
