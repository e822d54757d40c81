import CLibNL

/// The kernel's extended-ack text (NLMSGERR_ATTR_MSG) behind an error message: asked
/// for on each socket, read from each error.
enum ExtendedAck {
    /// Asks the kernel, on `socket`, for its extended-ack text behind every error, without
    /// an echo of the whole request.
    static func request(on socket: OpaquePointer) {
        var on: Int32 = 1
        let fd = nl_socket_get_fd(socket)
        _ = setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    static func message(of error: UnsafeMutablePointer<nlmsgerr>) -> String? {
        let headerSize = MemoryLayout<nlmsghdr>.size
        let raw = UnsafeRawPointer(error)
        let header = (raw - headerSize).loadUnaligned(as: nlmsghdr.self)
        guard Int32(header.nlmsg_flags) & NLM_F_ACK_TLVS != 0 else { return nil }
        // With NETLINK_CAP_ACK only the request's header is echoed; otherwise all of it.
        let echoed = Int32(header.nlmsg_flags) & NLM_F_CAPPED != 0
            ? headerSize
            : Int(error.pointee.msg.nlmsg_len)
        let tlvOffset = MemoryLayout<Int32>.size + (echoed + 3) & ~3
        let tlvLength = Int(header.nlmsg_len) - headerSize - tlvOffset
        guard tlvLength > 0 else { return nil }
        let attributes = Attribute.parse(UnsafeRawBufferPointer(start: raw + tlvOffset, count: tlvLength))
        return attributes.first(UInt16(NLMSGERR_ATTR_MSG.rawValue))?.string
    }
}
