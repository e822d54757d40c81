import CLibNL
import Glibc

/// A sock_diag netlink socket (NETLINK_SOCK_DIAG) in the network namespace the calling
/// thread was in when it was created: it dumps the sockets of that namespace. Knows no
/// protocol: the caller writes the family's request header and reads the replies.
public final class SocketDiagSocket {
    private let socket: OpaquePointer

    /// SOCK_DIAG_BY_FAMILY (linux/sock_diag.h): the request type of every family.
    public static let byFamily: UInt16 = 20

    public init() throws(NetlinkError) {
        guard let socket = nl_socket_alloc() else { throw .system(.outOfMemory, operation: "nl_socket_alloc") }
        self.socket = socket
        let connected = nl_connect(socket, NETLINK_SOCK_DIAG)
        if connected < 0 {
            nl_socket_free(socket)
            throw .library(code: -connected, operation: "nl_connect(NETLINK_SOCK_DIAG)")
        }
        nl_socket_enable_msg_peek(socket)
    }

    deinit { nl_socket_free(socket) }

    /// Sends a dump request: `header` (the family's request struct, e.g. inet_diag_req_v2)
    /// followed by `attributes` (u32 values); returns each reply's payload after the
    /// netlink header.
    public func dump(header: [UInt8], u32Attributes attributes: [(type: UInt16, value: UInt32)] = []) throws(NetlinkError) -> [[UInt8]] {
        guard let message = nlmsg_alloc_simple(Int32(Self.byFamily), NLM_F_REQUEST | NLM_F_DUMP) else {
            throw .system(.outOfMemory, operation: "nlmsg_alloc_simple")
        }
        defer { nlmsg_free(message) }
        var result = header.withUnsafeBytes { nlmsg_append(message, UnsafeMutableRawPointer(mutating: $0.baseAddress), $0.count, Int32(NLMSG_ALIGNTO)) }
        if result < 0 { throw .library(code: -result, operation: "nlmsg_append") }
        for attribute in attributes {
            result = nla_put_u32(message, Int32(attribute.type), attribute.value) as Int32
            if result < 0 { throw .library(code: -result, operation: "nla_put_u32") }
        }
        let sent = nl_send_auto(socket, message)
        if sent < 0 { throw .library(code: -sent, operation: "nl_send_auto") }

        guard let callbacks = nl_cb_alloc(NL_CB_DEFAULT) else { throw .system(.outOfMemory, operation: "nl_cb_alloc") }
        defer { nl_cb_put(callbacks) }
        let collector = DumpCollector()
        let arg = Unmanaged.passUnretained(collector).toOpaque()
        nl_cb_set(callbacks, NL_CB_VALID, NL_CB_CUSTOM, DumpCollector.onValid, arg)
        nl_cb_set(callbacks, NL_CB_FINISH, NL_CB_CUSTOM, DumpCollector.onFinish, arg)
        nl_cb_err(callbacks, NL_CB_CUSTOM, DumpCollector.onError, arg)
        while !collector.done {
            let received = withExtendedLifetime(collector) { nl_recvmsgs(socket, callbacks) }
            if let failure = collector.failure { throw failure }
            if received < 0 { throw .library(code: -received, operation: "nl_recvmsgs") }
        }
        return collector.payloads
    }
}

/// Gathers the replies to one dump; libnl's callbacks reach it through `arg`.
private final class DumpCollector {
    var payloads: [[UInt8]] = []
    var failure: NetlinkError?
    var done = false

    static func from(_ arg: UnsafeMutableRawPointer?) -> DumpCollector {
        Unmanaged<DumpCollector>.fromOpaque(arg!).takeUnretainedValue()
    }

    static let onValid: nl_recvmsg_msg_cb_t = { message, arg in
        let header = nlmsg_hdr(message)!
        let payload = Array(UnsafeRawBufferPointer(start: nlmsg_data(header), count: Int(nlmsg_datalen(header))))
        DumpCollector.from(arg).payloads.append(payload)
        return Int32(NL_OK.rawValue)
    }

    static let onFinish: nl_recvmsg_msg_cb_t = { _, arg in
        DumpCollector.from(arg).done = true
        return Int32(NL_STOP.rawValue)
    }

    static let onError: nl_recvmsg_err_cb_t = { _, error, arg in
        let collector = DumpCollector.from(arg)
        collector.done = true
        collector.failure = .kernel(Errno(rawValue: error.map { -$0.pointee.error } ?? EIO), extack: error.flatMap(ExtendedAck.message))
        return Int32(NL_STOP.rawValue)
    }
}
