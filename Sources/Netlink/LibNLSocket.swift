import CLibNL

/// libnl's socket, allocated and connected: to the kernel's netlink protocol
/// `kernelProtocol`, or, given `peer`, to port `peer` of a NETLINK_USERSOCK socket (the
/// stand-in kernel of NetlinkTests, `FakeNetlinkPeer`, which any user may run). A
/// socket that could not connect is freed; the caller frees the one returned.
func connectedLibNLSocket(_ kernelProtocol: Int32, peer: UInt32? = nil) throws(NetlinkError) -> OpaquePointer {
    guard let socket = nl_socket_alloc() else { throw .system(.noMemory, operation: "nl_socket_alloc") }
    let connected = nl_connect(socket, peer == nil ? kernelProtocol : NETLINK_USERSOCK)
    if connected < 0 {
        nl_socket_free(socket)
        throw .library(code: -connected, operation: "nl_connect")
    }
    if let peer { nl_socket_set_peer_port(socket, peer) }
    return socket
}
