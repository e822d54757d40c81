import Glibc
import Netlink

/// The address nest (MPTCP_PM_ATTR_ADDR, attributes MPTCP_PM_ADDR_ATTR_*): how a request
/// writes one and how a reply's is read, side by side.
enum AddressAttributes {
    static let family: UInt16 = 1          // MPTCP_PM_ADDR_ATTR_FAMILY (u16)
    static let id: UInt16 = 2              // MPTCP_PM_ADDR_ATTR_ID (u8)
    static let address4: UInt16 = 3        // MPTCP_PM_ADDR_ATTR_ADDR4 (4 bytes, network order)
    static let address6: UInt16 = 4        // MPTCP_PM_ADDR_ATTR_ADDR6 (16 bytes)
    static let port: UInt16 = 5            // MPTCP_PM_ADDR_ATTR_PORT (u16, host order)
    static let flags: UInt16 = 6           // MPTCP_PM_ADDR_ATTR_FLAGS (u32)
    static let interfaceIndex: UInt16 = 7  // MPTCP_PM_ADDR_ATTR_IF_IDX (s32)

    /// What one nest of a request carries; absent values are not written.
    struct Nest: Sendable, Equatable {
        var id: UInt8?
        var address: IPAddress?
        var port: UInt16?
        var flags: EndpointFlags?
        var interfaceIndex: Int32?
    }

    /// Writes `nest` as the top-level attribute `type`: the local address
    /// (MPTCP_PM_ATTR_ADDR) or, for the userspace PM, the remote one.
    static func encode(_ nest: Nest, into message: MessageBuilder,
                       as type: UInt16 = PathManagerFamily.Attr.address) throws(NetlinkError) {
        try message.nest(type) { m throws(NetlinkError) in
            if let address = nest.address {
                try m.put(Self.family, u16: address.family)
                try m.put(address.isIPv4 ? Self.address4 : Self.address6, bytes: address.bytes)
            }
            if let value = nest.id { try m.put(Self.id, u8: value) }
            if let value = nest.port { try m.put(Self.port, u16: value) }
            if let value = nest.flags { try m.put(Self.flags, u32: value.rawValue) }
            if let value = nest.interfaceIndex { try m.put(Self.interfaceIndex, s32: value) }
        }
    }

    /// Decodes the attributes of one nest; the first attribute of the wrong size, or
    /// a missing address, is the error. Unknown attributes are kept.
    static func decode(_ attributes: [Attribute]) throws(MalformedAttribute) -> Endpoint {
        var address: IPAddress?, isIPv6 = false
        var endpoint = Endpoint(id: 0, address: .v4([0, 0, 0, 0]))
        for attribute in attributes {
            switch attribute.type {
            case family:
                isIPv6 = try MalformedAttribute.read(attribute.u16, of: attribute, named: "MPTCP_PM_ADDR_ATTR_FAMILY") == UInt16(AF_INET6)
            case id: endpoint.id = try MalformedAttribute.read(attribute.u8, of: attribute, named: "MPTCP_PM_ADDR_ATTR_ID")
            case address4:
                try MalformedAttribute.check(attribute, named: "MPTCP_PM_ADDR_ATTR_ADDR4", size: 4)
                address = .v4(attribute.payload)
            case address6:
                try MalformedAttribute.check(attribute, named: "MPTCP_PM_ADDR_ATTR_ADDR6", size: 16)
                address = .v6(attribute.payload)
            case port: endpoint.port = try MalformedAttribute.read(attribute.u16, of: attribute, named: "MPTCP_PM_ADDR_ATTR_PORT")
            case flags:
                endpoint.flags = EndpointFlags(rawValue: try MalformedAttribute.read(attribute.u32, of: attribute,
                                                                                     named: "MPTCP_PM_ADDR_ATTR_FLAGS"))
            case interfaceIndex:
                endpoint.interfaceIndex = try MalformedAttribute.read(attribute.s32, of: attribute, named: "MPTCP_PM_ADDR_ATTR_IF_IDX")
            default: endpoint.unknownAttributes.append(attribute)
            }
        }
        guard let address else { throw MalformedAttribute(isIPv6 ? "MPTCP_PM_ADDR_ATTR_ADDR6" : "MPTCP_PM_ADDR_ATTR_ADDR4", .missing) }
        endpoint.address = address
        return endpoint
    }

    /// The endpoint of one GET_ADDR reply.
    static func endpoint(in message: GenericMessage) throws(MalformedAttribute) -> Endpoint {
        guard let nest = message.attributes.first(PathManagerFamily.Attr.address) else {
            throw MalformedAttribute("MPTCP_PM_ATTR_ADDR", .missing)
        }
        return try decode(nest.nested)
    }
}

extension Endpoint {
    /// Decodes one reply message of GET_ADDR; the first attribute that does not read as
    /// its type says is the error.
    public init(message: GenericMessage) throws(MalformedAttribute) {
        self = try AddressAttributes.endpoint(in: message)
    }
}
