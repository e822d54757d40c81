import Netlink

/// The requests of the userspace path manager (a namespace with `pm_type` 1): each
/// names a connection by its token (MPTCP_PM_ATTR_TOKEN). Pure functions of their
/// arguments, checked byte for byte by tests.
package enum UserspaceRequests {
    typealias Attr = PathManagerFamily.Attr

    /// ANNOUNCE: ADD_ADDR of `spec` (its id, port and interface) on connection `token`.
    package static func announce(token: UInt32, _ spec: EndpointSpec, family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try start(.announce, token: token, family: family)
        try AddressAttributes.encode(.init(id: spec.id, address: spec.address, port: spec.port,
                                           flags: spec.flags.union(.signal), interfaceIndex: spec.interfaceIndex), into: message)
        return message
    }

    /// REMOVE: RM_ADDR of local id `id` on connection `token`.
    package static func remove(token: UInt32, id: UInt8, family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try start(.remove, token: token, family: family)
        try message.put(Attr.localID, u8: id)
        return message
    }

    /// SUBFLOW_CREATE from `local` (address, id, interface, backup flag) to `remote`.
    package static func createSubflow(token: UInt32, local: EndpointSpec, remote: SocketAddress,
                                      family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try start(.subflowCreate, token: token, family: family)
        try AddressAttributes.encode(.init(id: local.id, address: local.address,
                                           flags: local.flags.isEmpty ? nil : local.flags,
                                           interfaceIndex: local.interfaceIndex), into: message)
        try AddressAttributes.encode(.init(address: remote.address, port: remote.port), into: message, as: Attr.remoteAddress)
        return message
    }

    /// SUBFLOW_DESTROY of the subflow from `local` to `remote` (both with their ports).
    package static func destroySubflow(token: UInt32, local: SocketAddress, remote: SocketAddress,
                                       family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try start(.subflowDestroy, token: token, family: family)
        try AddressAttributes.encode(.init(address: local.address, port: local.port), into: message)
        try AddressAttributes.encode(.init(address: remote.address, port: remote.port), into: message, as: Attr.remoteAddress)
        return message
    }

    /// SET_FLAGS on connection `token`: the backup priority of the subflow from `local`
    /// to `remote` (MP_PRIO).
    package static func setBackup(token: UInt32, local: SocketAddress, remote: SocketAddress, backup: Bool,
                                  family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try start(.setFlags, token: token, family: family)
        try AddressAttributes.encode(.init(address: local.address, port: local.port,
                                           flags: backup ? .backup : []), into: message)
        try AddressAttributes.encode(.init(address: remote.address, port: remote.port), into: message, as: Attr.remoteAddress)
        return message
    }

    /// GET_ADDR as a dump of one connection's local addresses (Linux 6.9+; kernels before ignore the token).
    package static func addresses(token: UInt32, family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try MessageBuilder(family: family, command: PathManagerFamily.Command.getAddress.rawValue,
                                         version: PathManagerFamily.version, dump: true)
        try message.put(Attr.token, u32: token)
        return message
    }

    private static func start(_ command: PathManagerFamily.Command, token: UInt32, family: Int32) throws(NetlinkError) -> MessageBuilder {
        let message = try MessageBuilder(family: family, command: command.rawValue, version: PathManagerFamily.version)
        try message.put(Attr.token, u32: token)
        return message
    }
}
