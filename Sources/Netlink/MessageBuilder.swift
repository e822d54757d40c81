import CLibNL
import Glibc

/// A generic netlink request under construction. Owns the libnl message.
public final class MessageBuilder {
    private let message: OpaquePointer

    /// Starts a request for `command` of `family`. Port and sequence number are left
    /// for the socket to fill in when it sends.
    public init(family: Int32, command: UInt8, version: UInt8, dump: Bool = false) throws(NetlinkError) {
        guard let message = nlmsg_alloc() else { throw .system(.noMemory, operation: "nlmsg_alloc") }
        self.message = message
        let flags = dump ? NLM_F_DUMP : 0
        guard genlmsg_put(message, UInt32(NL_AUTO_PORT), UInt32(NL_AUTO_SEQ), family, 0, flags, command, version) != nil else {
            throw .library(code: NLE_NOMEM, operation: "genlmsg_put")
        }
    }

    deinit { nlmsg_free(message) }

    public func put(_ type: UInt16, u8 value: UInt8) throws(NetlinkError) {
        try check(nla_put_u8(message, Int32(type), value), "nla_put_u8")
    }

    public func put(_ type: UInt16, u16 value: UInt16) throws(NetlinkError) {
        try check(nla_put_u16(message, Int32(type), value), "nla_put_u16")
    }

    public func put(_ type: UInt16, u32 value: UInt32) throws(NetlinkError) {
        try check(nla_put_u32(message, Int32(type), value), "nla_put_u32")
    }

    public func put(_ type: UInt16, s32 value: Int32) throws(NetlinkError) {
        try check(nla_put_s32(message, Int32(type), value), "nla_put_s32")
    }

    public func put(_ type: UInt16, bytes value: [UInt8]) throws(NetlinkError) {
        let result = value.withUnsafeBytes { nla_put(message, Int32(type), Int32($0.count), $0.baseAddress) }
        try check(result, "nla_put")
    }

    /// Writes a nested attribute (marked NLA_F_NESTED, as strict kernel policies want).
    public func nest(_ type: UInt16, _ body: (MessageBuilder) throws(NetlinkError) -> Void) throws(NetlinkError) {
        guard let start = nla_nest_start(message, Int32(type) | NLA_F_NESTED) else {
            throw .library(code: NLE_NOMEM, operation: "nla_nest_start")
        }
        try body(self)
        try check(nla_nest_end(message, start), "nla_nest_end")
    }

    /// The message as it stands, header included (port and sequence still 0).
    public var bytes: [UInt8] {
        let header = nlmsg_hdr(message)!
        return Array(UnsafeRawBufferPointer(start: header, count: Int(header.pointee.nlmsg_len)))
    }

    func withMessage<T>(_ body: (OpaquePointer) throws(NetlinkError) -> T) throws(NetlinkError) -> T {
        try body(message)
    }

    private func check(_ result: Int32, _ operation: String) throws(NetlinkError) {
        if result < 0 { throw .library(code: -result, operation: operation) }
    }
}
