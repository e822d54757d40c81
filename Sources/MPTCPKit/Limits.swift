import Netlink

/// The two per-namespace limits of the in-kernel path manager.
public struct Limits: Sendable, Equatable {
    /// Extra subflows a connection may have (`subflows`).
    public var subflows: UInt32
    /// ADD_ADDRs accepted from the peer per connection (`add_addr_accepted`).
    public var addAddrAccepted: UInt32

    public init(subflows: UInt32, addAddrAccepted: UInt32) {
        self.subflows = subflows
        self.addAddrAccepted = addAddrAccepted
    }

    /// Decodes a GET_LIMITS reply; nil when either value is missing.
    public init?(message: GenericMessage) {
        typealias A = PathManagerProtocol.Attr
        guard let subflows = message.attributes.first(A.subflows)?.u32,
              let accepted = message.attributes.first(A.receiveAddAddresses)?.u32
        else { return nil }
        self.init(subflows: subflows, addAddrAccepted: accepted)
    }
}
