import CLibNL
import Glibc

/// A generic netlink socket (libnl) in the network namespace the calling thread was
/// in when it was created; it stays in that namespace for life.
public final class GenericNetlinkSocket {
    private let socket: OpaquePointer

    public convenience init() throws(NetlinkError) { try self.init(peer: nil) }

    /// A socket that talks to port `peer` of a NETLINK_USERSOCK socket instead of the
    /// kernel: the stand-in kernel of NetlinkTests (`FakeNetlinkPeer`), which any user
    /// may run, answers it.
    package convenience init(userSocketPeer peer: UInt32) throws(NetlinkError) { try self.init(peer: peer) }

    private init(peer: UInt32?) throws(NetlinkError) {
        socket = try connectedLibNLSocket(NETLINK_GENERIC, peer: peer)
        nl_socket_enable_msg_peek(socket)
        ExtendedAck.request(on: socket)
    }

    deinit { nl_socket_free(socket) }

    /// The socket's file descriptor, for poll() and socket options.
    public var fileDescriptor: Int32 { nl_socket_get_fd(socket) }

    func withSocket<T>(_ body: (OpaquePointer) -> T) -> T { body(socket) }

    /// The numeric id of a generic netlink family, by name.
    public func resolveFamily(_ name: String) throws(NetlinkError) -> Int32 {
        let id = genl_ctrl_resolve(socket, name)
        if id == -NLE_OBJ_NOTFOUND { throw .familyNotFound(name) }
        if id < 0 { throw .library(code: -id, operation: "genl_ctrl_resolve") }
        return id
    }

    /// The numeric id of a family's multicast group, by name.
    public func resolveGroup(family: String, group: String) throws(NetlinkError) -> Int32 {
        let id = genl_ctrl_resolve_grp(socket, family, group)
        if id == -NLE_OBJ_NOTFOUND { throw .groupNotFound(family: family, group: group) }
        if id < 0 { throw .library(code: -id, operation: "genl_ctrl_resolve_grp") }
        return id
    }

    /// Sends a request and collects the replies until the kernel's ack (or the end of a
    /// dump). A kernel error is thrown with its errno and extack text.
    public func transact(_ request: MessageBuilder) throws(NetlinkError) -> [GenericMessage] {
        let sent = try request.withMessage { message throws(NetlinkError) in nl_send_auto(socket, message) }
        if sent < 0 { throw .library(code: -sent, operation: "nl_send_auto") }
        return try receiveReplies()
    }

    private func receiveReplies() throws(NetlinkError) -> [GenericMessage] {
        try ReplyCollector.receive(on: socket) { header in
            GenericMessage(bytes: Array(UnsafeRawBufferPointer(start: header, count: Int(header.pointee.nlmsg_len))))
        }
    }
}
