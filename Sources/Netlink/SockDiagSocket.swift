import CLibNL
import Glibc

/// A NETLINK_SOCK_DIAG socket (libnl's core) in the network namespace the calling
/// thread was in when it was created: what `ss` reads sockets through. It knows the
/// netlink framing only; the request's fixed header and the replies' contents are the
/// caller's (inet_diag, MPTCP).
public final class SockDiagSocket {
    private let socket: OpaquePointer

    public convenience init() throws(NetlinkError) { try self.init(peer: nil) }

    /// A socket that talks to port `peer` of a NETLINK_USERSOCK socket instead of the
    /// kernel: the stand-in kernel of NetlinkTests (`FakeNetlinkPeer`) answers it.
    package convenience init(userSocketPeer peer: UInt32) throws(NetlinkError) { try self.init(peer: peer) }

    private init(peer: UInt32?) throws(NetlinkError) {
        socket = try connectedLibNLSocket(NETLINK_SOCK_DIAG, peer: peer)
        // A dump ends with NLMSG_DONE; an ack on top would only be read and dropped.
        nl_socket_disable_auto_ack(socket)
        // Thousands of sockets come back as many full datagrams. The kernel fills each
        // up to the largest read it has seen, at most 32 KiB (netlink_dump): read into
        // 32 KiB at once. (Peeking at the size first, libnl's way with a datagram of
        // unknown size, copied each one twice, 16 KiB at a time.)
        nl_socket_disable_msg_peek(socket)
        nl_socket_set_msg_buf_size(socket, 32768)
        ExtendedAck.request(on: socket)
    }

    deinit { nl_socket_free(socket) }

    /// Sends a dump request of message `type` whose payload is `header` followed by the
    /// attributes `u32Attributes` (type, value), and returns every reply until the end
    /// of the dump. A kernel error is thrown with its errno and extack text.
    public func dump(type: UInt16, header: [UInt8], u32Attributes: [(UInt16, UInt32)] = []) throws(NetlinkError) -> [NetlinkMessage] {
        var replies: [NetlinkMessage] = []
        try dump(type: type, header: header, u32Attributes: u32Attributes) { replies.append(NetlinkMessage($0)) }
        return replies
    }

    /// The same dump, each reply handed to `body` in place, while it is still in the
    /// receive buffer: a dump of thousands of sockets is decoded without a copy.
    public func dump(type: UInt16, header: [UInt8], u32Attributes: [(UInt16, UInt32)] = [],
                     each body: (MessageView) -> Void) throws(NetlinkError) {
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
        try receiveDump(sequence: nlmsg_hdr(message).pointee.nlmsg_seq, body)
    }

    /// Reads datagrams with `nl_recv` and walks each with `nlmsg_ok`/`nlmsg_next` until
    /// NLMSG_DONE. (libnl's `nl_recvmsgs` would copy every message into an `nl_msg` of
    /// its own first: a thousand allocations for a thousand sockets.) Messages of
    /// another sequence number, left from an earlier request, are passed over.
    private func receiveDump(sequence: UInt32, _ body: (MessageView) -> Void) throws(NetlinkError) {
        var done = false
        while !done {
            var sender = sockaddr_nl(), buffer: UnsafeMutablePointer<UInt8>?
            let received = nl_recv(socket, &sender, &buffer, nil)
            defer { free(buffer) }
            if received < 0 { throw .library(code: -received, operation: "nl_recv") }
            // An empty datagram: too short for the message the dump still owes.
            guard received > 0, let buffer else { throw .library(code: NLE_MSG_TRUNC, operation: "nl_recv") }
            var remaining = received
            var cursor: UnsafeMutablePointer<nlmsghdr>? = UnsafeMutableRawPointer(buffer)
                .bindMemory(to: nlmsghdr.self, capacity: max(1, Int(received) / MemoryLayout<nlmsghdr>.stride))
            while !done, let header = cursor, nlmsg_ok(header, remaining) != 0 {
                defer { cursor = nlmsg_next(header, &remaining) }
                guard header.pointee.nlmsg_seq == sequence else { continue }
                if Int32(header.pointee.nlmsg_flags) & NLM_F_DUMP_INTR != 0 { throw .library(code: NLE_DUMP_INTR, operation: "nl_recv") }
                switch Int32(header.pointee.nlmsg_type) {
                case NLMSG_DONE: done = true
                case NLMSG_NOOP: continue
                case NLMSG_OVERRUN: throw .library(code: NLE_MSG_OVERFLOW, operation: "nl_recv")
                case NLMSG_ERROR:
                    guard nlmsg_datalen(header) >= Int32(MemoryLayout<nlmsgerr>.size) else {
                        throw .library(code: NLE_MSG_TRUNC, operation: "nl_recv")
                    }
                    let error = nlmsg_data(header).bindMemory(to: nlmsgerr.self, capacity: 1)
                    // An error 0 is an ack: the end of the reply.
                    if error.pointee.error != 0 {
                        throw .kernel(Errno(rawValue: -error.pointee.error), extack: ExtendedAck.message(of: error))
                    }
                    done = true
                default: body(MessageView(header))
                }
            }
        }
    }
}
