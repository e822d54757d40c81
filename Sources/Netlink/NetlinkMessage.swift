import CLibNL

/// A netlink message of a classic (non-generic) family, such as sock_diag: its type,
/// flags and payload (what follows the netlink header). The payload's fixed header and
/// attributes are for the family's own decoder to read.
public struct NetlinkMessage: Sendable, Equatable {
    public let type: UInt16
    public let flags: UInt16
    public let payload: [UInt8]

    public init(type: UInt16, flags: UInt16 = 0, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.payload = payload
    }

    /// The message with its netlink header, as the kernel sent it (port and sequence 0).
    public var bytes: [UInt8] {
        let length = UInt32(MemoryLayout<nlmsghdr>.size + payload.count)
        var header = nlmsghdr(nlmsg_len: length, nlmsg_type: type, nlmsg_flags: flags, nlmsg_seq: 0, nlmsg_pid: 0)
        return withUnsafeBytes(of: &header) { Array($0) } + payload
    }

    /// Every message of a run of messages (a datagram, or a dump's replies one after the
    /// other), walked with libnl; a truncated tail is left out.
    public static func messages(inDatagram datagram: [UInt8]) -> [NetlinkMessage] {
        AlignedBytes.messages(in: datagram) { header, _ in NetlinkMessage(header) }
    }

    /// Copies a message seen in place.
    public init(_ view: MessageView) {
        self.init(type: view.type, flags: view.flags, payload: Array(view.payload))
    }

    /// Copies a message libnl has checked (`nlmsg_ok`, or a receive callback).
    init(_ header: UnsafeMutablePointer<nlmsghdr>) {
        self.init(MessageView(header))
    }

    /// The message as a view of its own bytes, for a decoder written for views.
    public func withView<R>(_ body: (MessageView) throws -> R) rethrows -> R {
        try payload.withUnsafeBytes { try body(MessageView(type: type, flags: flags, payload: $0)) }
    }
}
