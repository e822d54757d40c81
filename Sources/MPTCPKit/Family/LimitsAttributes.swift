import Netlink

/// The limits attributes (MPTCP_PM_ATTR_SUBFLOWS, MPTCP_PM_ATTR_RCV_ADD_ADDRS): how
/// SET_LIMITS writes them and how GET_LIMITS's reply is read.
enum LimitsAttributes {
    /// Only the limits given are written: the kernel leaves the others as they are.
    static func encode(_ change: LimitsChange, into message: MessageBuilder) throws(NetlinkError) {
        if let accepted = change.addAddrAccepted { try message.put(PathManagerFamily.Attr.receiveAddAddresses, u32: accepted) }
        if let subflows = change.subflows { try message.put(PathManagerFamily.Attr.subflows, u32: subflows) }
    }

    /// The first value missing or of the wrong size is the error.
    static func decode(_ message: GenericMessage) throws(MalformedAttribute) -> Limits {
        func value(_ type: UInt16, named name: String) throws(MalformedAttribute) -> UInt32 {
            guard let attribute = message.attributes.first(type) else { throw MalformedAttribute(name, .missing) }
            return try MalformedAttribute.read(attribute.u32, of: attribute, named: name)
        }
        return Limits(subflows: try value(PathManagerFamily.Attr.subflows, named: "MPTCP_PM_ATTR_SUBFLOWS"),
                      addAddrAccepted: try value(PathManagerFamily.Attr.receiveAddAddresses, named: "MPTCP_PM_ATTR_RCV_ADD_ADDRS"))
    }
}

extension Limits {
    /// Decodes a GET_LIMITS reply; the first value missing or of the wrong size is the error.
    public init(message: GenericMessage) throws(MalformedAttribute) {
        self = try LimitsAttributes.decode(message)
    }
}
