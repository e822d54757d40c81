import CLibNL
import Glibc

/// A generic netlink socket (libnl) in the network namespace the calling thread was
/// in when it was created; it stays in that namespace for life.
public final class GenericNetlinkSocket {
    private let socket: OpaquePointer

    public init() throws(NetlinkError) {
        guard let socket = nl_socket_alloc() else { throw .system(.outOfMemory, operation: "nl_socket_alloc") }
        self.socket = socket
        let connected = genl_connect(socket)
        if connected < 0 { throw .library(code: -connected, operation: "genl_connect") }
        nl_socket_enable_msg_peek(socket)
        // Ask for the kernel's extended ack text, without an echo of our request.
        var on: Int32 = 1
        let fd = nl_socket_get_fd(socket)
        _ = setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
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
        guard let callbacks = nl_cb_alloc(NL_CB_DEFAULT) else { throw .system(.outOfMemory, operation: "nl_cb_alloc") }
        defer { nl_cb_put(callbacks) }
        let context = ReplyCollector()
        let arg = Unmanaged.passUnretained(context).toOpaque()
        nl_cb_set(callbacks, NL_CB_VALID, NL_CB_CUSTOM, ReplyCollector.onValid, arg)
        nl_cb_set(callbacks, NL_CB_FINISH, NL_CB_CUSTOM, ReplyCollector.onFinish, arg)
        nl_cb_set(callbacks, NL_CB_ACK, NL_CB_CUSTOM, ReplyCollector.onFinish, arg)
        nl_cb_err(callbacks, NL_CB_CUSTOM, ReplyCollector.onError, arg)
        while !context.done {
            let result = withExtendedLifetime(context) { nl_recvmsgs(socket, callbacks) }
            if let failure = context.failure { throw failure }
            if result < 0 { throw .library(code: -result, operation: "nl_recvmsgs") }
        }
        return context.messages
    }
}

/// Gathers the replies to one request; libnl's callbacks reach it through `arg`.
private final class ReplyCollector {
    var messages: [GenericMessage] = []
    var failure: NetlinkError?
    var done = false

    static func from(_ arg: UnsafeMutableRawPointer?) -> ReplyCollector {
        Unmanaged<ReplyCollector>.fromOpaque(arg!).takeUnretainedValue()
    }

    static let onValid: nl_recvmsg_msg_cb_t = { message, arg in
        let collector = ReplyCollector.from(arg)
        let header = nlmsg_hdr(message)!
        let bytes = Array(UnsafeRawBufferPointer(start: header, count: Int(header.pointee.nlmsg_len)))
        if let decoded = GenericMessage(bytes: bytes) { collector.messages.append(decoded) }
        return Int32(NL_OK.rawValue)
    }

    static let onFinish: nl_recvmsg_msg_cb_t = { _, arg in
        ReplyCollector.from(arg).done = true
        return Int32(NL_STOP.rawValue)
    }

    static let onError: nl_recvmsg_err_cb_t = { _, error, arg in
        let collector = ReplyCollector.from(arg)
        collector.done = true
        guard let error else {
            collector.failure = .kernel(Errno(rawValue: EIO), extack: nil)
            return Int32(NL_STOP.rawValue)
        }
        collector.failure = .kernel(Errno(rawValue: -error.pointee.error), extack: ExtendedAck.message(of: error))
        return Int32(NL_STOP.rawValue)
    }
}
