import Netlink

/// Builds the requests of the `mptcp_pm` family. Pure functions of their arguments,
/// so tests check them byte for byte.
package enum Requests {
    /// ADD_ADDR of `spec`; its `device` must be resolved into `interfaceIndex` first.
    package static func add(_ spec: EndpointSpec, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.addAddress, family: family, nest: .init(
            id: spec.id, address: spec.address, port: spec.port,
            flags: spec.flags.isEmpty ? nil : spec.flags, interfaceIndex: spec.interfaceIndex))
    }

    /// DEL_ADDR by id; with id 0 and an address, the kernel's way to remove that
    /// address from the connections' initial subflows.
    package static func delete(id: UInt8, address: IPAddress? = nil, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.deleteAddress, family: family, nest: .init(id: id, address: address))
    }

    package static func get(id: UInt8, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.getAddress, family: family, nest: .init(id: id))
    }

    /// SET_FLAGS: the kernel takes backup and fullmesh from `flags` and ignores the rest.
    package static func setFlags(id: UInt8, _ flags: EndpointFlags, family: Int32) throws(NetlinkError) -> MessageBuilder {
        try request(.setFlags, family: family, nest: .init(id: id, flags: flags))
    }

    package static func dump(family: Int32) throws(NetlinkError) -> MessageBuilder {
        try MessageBuilder(family: family, command: PathManagerFamily.Command.getAddress.rawValue, version: PathManagerFamily.version, dump: true)
    }

    package static func flush(family: Int32) throws(NetlinkError) -> MessageBuilder {
        try MessageBuilder(family: family, command: PathManagerFamily.Command.flushAddresses.rawValue, version: PathManagerFamily.version)
    }

    package static func getLimits(family: Int32) throws(NetlinkError) -> MessageBuilder {
        try MessageBuilder(family: family, command: PathManagerFamily.Command.getLimits.rawValue, version: PathManagerFamily.version)
    }

    /// Only the limits given are sent: the kernel leaves the others as they are.
    package static func setLimits(_ change: LimitsChange, family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try MessageBuilder(family: family, command: PathManagerFamily.Command.setLimits.rawValue, version: PathManagerFamily.version)
        try LimitsAttributes.encode(change, into: message)
        return message
    }

    private static func request(_ command: PathManagerFamily.Command, family: Int32, nest: AddressAttributes.Nest) throws(NetlinkError) -> MessageBuilder {
        let message = try MessageBuilder(family: family, command: command.rawValue, version: PathManagerFamily.version)
        try AddressAttributes.encode(nest, into: message)
        return message
    }
}
