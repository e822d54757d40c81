import CLibNL
import Glibc

/// A link or an address as rtnetlink describes it (RTM_NEWLINK/DELLINK,
/// RTM_NEWADDR/DELADDR), decoded by libnl-route-3: the fields a program that follows
/// interfaces needs, as plain values. Knows nothing of MPTCP.
public enum RouteObject: Sendable, Equatable {
    /// An interface: its index, name and IFF_* flags.
    public struct Link: Sendable, Equatable {
        public var index: Int32
        public var name: String
        public var flags: UInt32

        public init(index: Int32, name: String, flags: UInt32) {
            self.index = index
            self.name = name
            self.flags = flags
        }
    }

    /// An address of an interface: its family, bytes (network order), prefix length,
    /// IFA_F_* flags and scope.
    public struct Address: Sendable, Equatable {
        public var interfaceIndex: Int32
        public var family: Int32
        public var bytes: [UInt8]
        public var prefixLength: Int32
        public var flags: UInt32
        public var scope: Int32

        public init(interfaceIndex: Int32, family: Int32, bytes: [UInt8], prefixLength: Int32, flags: UInt32, scope: Int32) {
            self.interfaceIndex = interfaceIndex
            self.family = family
            self.bytes = bytes
            self.prefixLength = prefixLength
            self.flags = flags
            self.scope = scope
        }
    }

    /// `removed`: the message said the object is gone (DELLINK, DELADDR).
    case link(Link, removed: Bool)
    case address(Address, removed: Bool)

    /// Every link and address in the rtnetlink messages of one datagram (as recv(2)
    /// gave it); anything else, or anything libnl cannot parse, is skipped. Total over
    /// any bytes: the fuzzer feeds it what it likes.
    public static func decode(datagram bytes: [UInt8]) -> [RouteObject] {
        // nlmsg_convert copies each message into storage libnl owns.
        AlignedBytes.messages(in: bytes) { header, _ -> [RouteObject]? in
            guard let parsed = nlmsg_convert(header) else { return nil }
            defer { nlmsg_free(parsed) }
            // libnl finds the parser by protocol and type; a converted message has no protocol yet.
            nlmsg_set_proto(parsed, NETLINK_ROUTE)
            return parse(parsed)
        }.flatMap { $0 }
    }

    /// The objects libnl's route cache operations find in one message.
    static func parse(_ message: OpaquePointer) -> [RouteObject] {
        let collector = Collector()
        let arg = Unmanaged.passUnretained(collector).toOpaque()
        _ = withExtendedLifetime(collector) { nl_msg_parse(message, Collector.onObject, arg) }
        return collector.objects
    }

    /// The value of one libnl object ("route/link" or "route/addr"), nil for others.
    static func from(_ object: OpaquePointer) -> RouteObject? {
        let type = String(cString: nl_object_get_type(object))
        let removed = { (deleting: Int32) in nl_object_get_msgtype(object) == deleting }
        switch type {
        case "route/link":
            let name = rtnl_link_get_name(object).map { String(cString: $0) } ?? ""
            let link = Link(index: rtnl_link_get_ifindex(object), name: name, flags: UInt32(rtnl_link_get_flags(object)))
            return .link(link, removed: removed(Int32(RTM_DELLINK)))
        case "route/addr":
            guard let local = rtnl_addr_get_local(object) else { return nil }
            let count = Int(nl_addr_get_len(local))
            guard count == 4 || count == 16, let raw = nl_addr_get_binary_addr(local) else { return nil }
            let bytes = Array(UnsafeRawBufferPointer(start: raw, count: count))
            let address = Address(interfaceIndex: rtnl_addr_get_ifindex(object), family: rtnl_addr_get_family(object),
                                  bytes: bytes, prefixLength: rtnl_addr_get_prefixlen(object),
                                  flags: UInt32(rtnl_addr_get_flags(object)), scope: rtnl_addr_get_scope(object))
            return .address(address, removed: removed(Int32(RTM_DELADDR)))
        default:
            return nil
        }
    }
}

/// Gathers what nl_msg_parse finds; the callback reaches it through `arg`.
private final class Collector {
    var objects: [RouteObject] = []

    static let onObject: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { object, arg in
        guard let object, let arg else { return }
        let collector = Unmanaged<Collector>.fromOpaque(arg).takeUnretainedValue()
        if let value = RouteObject.from(object) { collector.objects.append(value) }
    }
}
