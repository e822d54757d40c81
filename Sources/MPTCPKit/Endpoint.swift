import Netlink

/// One endpoint of the in-kernel path manager, as the kernel reports it.
public struct Endpoint: Sendable, Equatable {
    public var id: UInt8
    public var address: IPAddress
    /// 0 when the endpoint has no port of its own.
    public var port: UInt16
    public var flags: EndpointFlags
    /// 0 when the endpoint is not bound to an interface.
    public var interfaceIndex: Int32
    /// Attributes this version does not know, kept as received.
    public var unknownAttributes: [Attribute]

    public init(id: UInt8, address: IPAddress, port: UInt16 = 0, flags: EndpointFlags = [],
                interfaceIndex: Int32 = 0, unknownAttributes: [Attribute] = []) {
        self.id = id
        self.address = address
        self.port = port
        self.flags = flags
        self.interfaceIndex = interfaceIndex
        self.unknownAttributes = unknownAttributes
    }

    /// Decodes the attributes of an MPTCP_PM_ATTR_ADDR nest; nil when the address is
    /// missing or malformed.
    public init?(attributes: [Attribute]) {
        typealias A = PathManagerProtocol.AddrAttr
        var address: IPAddress?
        var id: UInt8 = 0, port: UInt16 = 0, flags: UInt32 = 0, index: Int32 = 0
        var unknown: [Attribute] = []
        for attribute in attributes {
            switch attribute.type {
            case A.family: continue
            case A.id: guard let value = attribute.u8 else { return nil }; id = value
            case A.address4:
                guard attribute.payload.count == 4 else { return nil }
                address = .v4(attribute.payload)
            case A.address6:
                guard attribute.payload.count == 16 else { return nil }
                address = .v6(attribute.payload)
            case A.port: guard let value = attribute.u16 else { return nil }; port = value
            case A.flags: guard let value = attribute.u32 else { return nil }; flags = value
            case A.interfaceIndex: guard let value = attribute.s32 else { return nil }; index = value
            default: unknown.append(attribute)
            }
        }
        guard let address else { return nil }
        self.init(id: id, address: address, port: port, flags: EndpointFlags(rawValue: flags),
                  interfaceIndex: index, unknownAttributes: unknown)
    }

    /// Decodes one reply message of GET_ADDR.
    public init?(message: GenericMessage) {
        guard let nest = message.attributes.first(PathManagerProtocol.Attr.address) else { return nil }
        self.init(attributes: nest.nested)
    }
}
