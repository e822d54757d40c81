import Netlink

/// Builds the requests of the `mptcp_pm` family. Pure functions of their arguments,
/// so tests check them byte for byte.
public enum Requests {
    typealias P = PathManagerProtocol

    /// What an address nest may carry in a request.
    public struct AddressNest: Sendable, Equatable {
        public var id: UInt8?
        public var address: IPAddress?
        public var port: UInt16?
        public var flags: EndpointFlags?
        public var interfaceIndex: Int32?

        public init(id: UInt8? = nil, address: IPAddress? = nil, port: UInt16? = nil,
                    flags: EndpointFlags? = nil, interfaceIndex: Int32? = nil) {
            self.id = id
            self.address = address
            self.port = port
            self.flags = flags
            self.interfaceIndex = interfaceIndex
        }
    }

    public static func add(_ nest: AddressNest, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.addAddress, family: family, nest: nest)
    }

    public static func delete(_ nest: AddressNest, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.deleteAddress, family: family, nest: nest)
    }

    public static func get(id: UInt8, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.getAddress, family: family, nest: AddressNest(id: id))
    }

    public static func setFlags(_ nest: AddressNest, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.setFlags, family: family, nest: nest)
    }

    public static func dump(family: Int32) throws(NetlinkError) -> MessageBuilder {
        try MessageBuilder(family: family, command: P.Command.getAddress.rawValue, version: P.version, dump: true)
    }

    public static func flush(family: Int32) throws(NetlinkError) -> MessageBuilder {
        try MessageBuilder(family: family, command: P.Command.flushAddresses.rawValue, version: P.version)
    }

    public static func getLimits(family: Int32) throws(NetlinkError) -> MessageBuilder {
        try MessageBuilder(family: family, command: P.Command.getLimits.rawValue, version: P.version)
    }

    /// Only the limits given are sent: the kernel leaves the others as they are.
    public static func setLimits(subflows: UInt32?, addAddrAccepted: UInt32?, family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try MessageBuilder(family: family, command: P.Command.setLimits.rawValue, version: P.version)
        if let addAddrAccepted { try message.put(P.Attr.receiveAddAddresses, u32: addAddrAccepted) }
        if let subflows { try message.put(P.Attr.subflows, u32: subflows) }
        return message
    }

    private static func request(_ command: P.Command, family: Int32, nest: AddressNest) throws(NetlinkError) -> MessageBuilder {
        let message = try MessageBuilder(family: family, command: command.rawValue, version: P.version)
        try message.nest(P.Attr.address) { m throws(NetlinkError) in
            typealias A = P.AddrAttr
            if let address = nest.address {
                try m.put(A.family, u16: address.family)
                try m.put(address.family == 2 ? A.address4 : A.address6, bytes: address.bytes)
            }
            if let id = nest.id { try m.put(A.id, u8: id) }
            if let port = nest.port { try m.put(A.port, u16: port) }
            if let flags = nest.flags { try m.put(A.flags, u32: flags.rawValue) }
            if let index = nest.interfaceIndex { try m.put(A.interfaceIndex, s32: index) }
        }
        return message
    }
}
