import MPTCPKit
import MPTCPKitTesting
import Netlink
import Testing
@testable import MPTCPCtlCLI

/// Endpoints as the views print them: JSON a superset of iproute2's, and the table.
struct EndpointViewTests {
    func message(command: UInt8, _ attributes: [UInt8]) -> [UInt8] { genericMessage(command: command, attributes) }
    var futureReply: [UInt8] { futureGetAddrReply }

    @Test func jsonIsASupersetOfIproute2s() throws {
        let reply = try #require(GenericMessage(bytes: futureReply))
        let endpoint = try Endpoint(message: reply)
        let view = EndpointView(interfaceName: { $0 == 2 ? "eth1" : nil })
        #expect(view.json(endpoint).rendered() == #"{"address":"10.0.3.1","id":5,"subflow":true,"laminar":true,"#
            + #""rawflags":"40","dev":"eth1","ifindex":2,"flags":["subflow","address","0x40"]}"#)
        let unnamed = EndpointView(interfaceName: { _ in nil })
        #expect(unnamed.json(endpoint).rendered().contains(#""dev""#) == false)
        #expect(unnamed.table([endpoint]) == """
            ID  ADDRESS   PORT  FLAGS                 DEV
            5   10.0.3.1  -     subflow,address,0x40  #2
            """)
    }

    @Test func ipv6EndpointWithPort() {
        let endpoint = Endpoint(id: 7, address: IPAddress("2001:db8::1")!, port: 10100, flags: .signal)
        #expect(EndpointView(interfaceName: { _ in nil }).json(endpoint).rendered()
            == #"{"address":"2001:db8::1","port":10100,"id":7,"signal":true,"ifindex":0,"flags":["signal"]}"#)
    }

    @Test func flagWordsKeepUnknownBits() {
        #expect(EndpointFlags(rawValue: 0x62).words == ["subflow", "address", "0x40"])
        #expect(EndpointFlags.named("laminar") == .address)
    }
}
