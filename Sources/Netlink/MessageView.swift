import CLibNL

/// One netlink message of a classic family seen where it lies, in libnl's receive
/// buffer: its type, flags and payload (what follows the netlink header), valid only
/// inside the call that hands it out. (`NetlinkMessage` is the owned copy of one.)
public struct MessageView {
    public let type: UInt16
    public let flags: UInt16
    public let payload: UnsafeRawBufferPointer

    public init(type: UInt16, flags: UInt16 = 0, payload: UnsafeRawBufferPointer) {
        self.type = type
        self.flags = flags
        self.payload = payload
    }
}

extension MessageView {
    /// A message libnl has checked (`nlmsg_ok`, or a receive callback), in place.
    init(_ header: UnsafeMutablePointer<nlmsghdr>) {
        let count = Int(nlmsg_datalen(header))
        self.init(type: header.pointee.nlmsg_type, flags: header.pointee.nlmsg_flags,
                  payload: UnsafeRawBufferPointer(start: nlmsg_data(header), count: max(count, 0)))
    }
}
