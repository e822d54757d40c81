import CLibNL
import Glibc

/// A NETLINK_SOCK_DIAG socket (libnl's core) in the network namespace the calling
/// thread was in when it was created: what `ss` reads sockets through. It knows the
/// netlink framing only; the request's fixed header and the replies' contents are the
/// caller's (inet_diag, MPTCP).
public final class SockDiagSocket {
    private let socket: OpaquePointer

    public init() throws(NetlinkError) {
        guard let socket = nl_socket_alloc() else { throw .system(.noMemory, operation: "nl_socket_alloc") }
        self.socket = socket
        // A failure from here on frees the socket in deinit.
        let connected = nl_connect(socket, NETLINK_SOCK_DIAG)
        if connected < 0 { throw .library(code: -connected, operation: "nl_connect") }
        // A dump ends with NLMSG_DONE; an ack on top would only be read and dropped.
        nl_socket_disable_auto_ack(socket)
        // Thousands of sockets come back as many full datagrams: let each read take a
        // whole one, however large (libnl peeks at the size first).
        nl_socket_enable_msg_peek(socket)
        ExtendedAck.request(on: socket)
    }

    deinit { nl_socket_free(socket) }

    /// Sends a dump request of message `type` whose payload is `header` followed by the
    /// attributes `u32Attributes` (type, value), and returns every reply until the end
    /// of the dump. A kernel error is thrown with its errno and extack text.
    public func dump(type: UInt16, header: [UInt8], u32Attributes: [(UInt16, UInt32)] = []) throws(NetlinkError) -> [NetlinkMessage] {
        guard let message = nlmsg_alloc_simple(Int32(type), NLM_F_REQUEST | NLM_F_DUMP) else {
            throw .system(.noMemory, operation: "nlmsg_alloc_simple")
        }
        defer { nlmsg_free(message) }
        let appended = header.withUnsafeBytes { raw in
            nlmsg_append(message, UnsafeMutableRawPointer(mutating: raw.baseAddress), raw.count, Int32(NLMSG_ALIGNTO))
        }
        if appended < 0 { throw .library(code: -appended, operation: "nlmsg_append") }
        for (attribute, value) in u32Attributes {
            let put = nla_put_u32(message, Int32(attribute), value)
            if put < 0 { throw .library(code: -put, operation: "nla_put_u32") }
        }
        let sent = nl_send_auto(socket, message)
        if sent < 0 { throw .library(code: -sent, operation: "nl_send_auto") }
        return try receiveDump()
    }

    private func receiveDump() throws(NetlinkError) -> [NetlinkMessage] {
        try ReplyCollector.receive(on: socket) { NetlinkMessage($0) }
    }
}
