@testable import MPTCPCtlCLI
import MPTCPKit
import Netlink

/// A sock_diag dump as the kernel would send it: a run of netlink messages (MPTCP and
/// TCP sockets), each decoded both as a connection and as a subflow, joined by token,
/// given endpoints and interfaces, then shown as `connections` and `connections -j` show it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let messages = NetlinkMessage.messages(inDatagram: Array(UnsafeBufferPointer(start: data, count: size)))
    // A malformed reply fails the dump (it is never shown in part).
    guard var connections = try? SockDiagAttributes.connections(mptcpReplies: messages, tcpReplies: messages) else { return 0 }
    let endpoints = [
        Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .address),
        Endpoint(id: 2, address: IPAddress("10.0.3.1")!, flags: .implicit),
    ]
    ConnectionReader.annotate(&connections, endpoints: endpoints, interfaceName: { $0 == 3 ? "cb" : nil },
                              addressOwners: [IPAddress("10.0.1.1")!: "ca"])
    let view = ConnectionsView(showNetns: size % 2 == 0)
    _ = view.text([(nil, connections), ("ns", connections)])
    _ = view.json([(nil, connections)], pretty: true)
    for connection in connections {
        for subflow in connection.subflows where subflow.localID == 0 && subflow.endpoint != nil {
            fatalError("the initial subflow's address was given an endpoint")
        }
    }
    return 0
}
