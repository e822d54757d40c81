import Netlink

/// The limits attributes (MPTCP_PM_ATTR_SUBFLOWS, MPTCP_PM_ATTR_RCV_ADD_ADDRS): how
/// SET_LIMITS writes them and how GET_LIMITS's reply is read.
enum LimitsAttributes {
    /// Only the limits given are written: the kernel leaves the others as they are.
    static func encode(_ change: LimitsChange, into message: MessageBuilder) throws(NetlinkError) {
        if let accepted = change.addAddrAccepted { try message.put(PathManagerFamily.Attr.receiveAddAddresses, u32: accepted) }
        if let subflows = change.subflows { try message.put(PathManagerFamily.Attr.subflows, u32: subflows) }
    }

    /// nil when either value is missing.
    static func decode(_ message: GenericMessage) -> Limits? {
        guard let subflows = message.attributes.first(PathManagerFamily.Attr.subflows)?.u32,
              let accepted = message.attributes.first(PathManagerFamily.Attr.receiveAddAddresses)?.u32
        else { return nil }
        return Limits(subflows: subflows, addAddrAccepted: accepted)
    }
}

extension Limits {
    /// Decodes a GET_LIMITS reply; nil when either value is missing.
    public init?(message: GenericMessage) {
        guard let limits = LimitsAttributes.decode(message) else { return nil }
        self = limits
    }
}
