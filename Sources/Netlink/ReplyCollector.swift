import CLibNL
import Glibc

/// Reads the replies to one request with libnl's callbacks, until the kernel's ack or
/// the end of a dump; a kernel error is thrown with its errno and extended-ack text.
/// Shared by every socket of this module: each says how it keeps a reply.
final class ReplyCollector {
    private let keep: (UnsafeMutablePointer<nlmsghdr>) -> Void
    private var failure: NetlinkError?
    private var done = false

    private init(_ keep: @escaping (UnsafeMutablePointer<nlmsghdr>) -> Void) { self.keep = keep }

    /// The replies waiting on `socket`, each made into a T by `decode` (nil: left out).
    static func receive<T>(on socket: OpaquePointer,
                           _ decode: @escaping (UnsafeMutablePointer<nlmsghdr>) -> T?) throws(NetlinkError) -> [T] {
        var replies: [T] = []
        let collector = ReplyCollector { header in
            if let reply = decode(header) { replies.append(reply) }
        }
        guard let callbacks = nl_cb_alloc(NL_CB_DEFAULT) else { throw .system(.noMemory, operation: "nl_cb_alloc") }
        defer { nl_cb_put(callbacks) }
        let arg = Unmanaged.passUnretained(collector).toOpaque()
        nl_cb_set(callbacks, NL_CB_VALID, NL_CB_CUSTOM, onValid, arg)
        nl_cb_set(callbacks, NL_CB_FINISH, NL_CB_CUSTOM, onFinish, arg)
        nl_cb_set(callbacks, NL_CB_ACK, NL_CB_CUSTOM, onFinish, arg)
        nl_cb_err(callbacks, NL_CB_CUSTOM, onError, arg)
        while !collector.done {
            let result = withExtendedLifetime(collector) { nl_recvmsgs(socket, callbacks) }
            if let failure = collector.failure { throw failure }
            if result < 0 { throw .library(code: -result, operation: "nl_recvmsgs") }
        }
        return replies
    }

    private static func from(_ arg: UnsafeMutableRawPointer?) -> ReplyCollector {
        Unmanaged<ReplyCollector>.fromOpaque(arg!).takeUnretainedValue()
    }

    private static let onValid: nl_recvmsg_msg_cb_t = { message, arg in
        if let header = nlmsg_hdr(message) { ReplyCollector.from(arg).keep(header) }
        return Int32(NL_OK.rawValue)
    }

    private static let onFinish: nl_recvmsg_msg_cb_t = { _, arg in
        ReplyCollector.from(arg).done = true
        return Int32(NL_STOP.rawValue)
    }

    private static let onError: nl_recvmsg_err_cb_t = { _, error, arg in
        let collector = ReplyCollector.from(arg)
        collector.done = true
        guard let error else {
            collector.failure = .kernel(.ioError, extack: nil)
            return Int32(NL_STOP.rawValue)
        }
        collector.failure = .kernel(Errno(rawValue: -error.pointee.error), extack: ExtendedAck.message(of: error))
        return Int32(NL_STOP.rawValue)
    }
}
