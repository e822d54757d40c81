import Netlink

/// A generic netlink socket with the `mptcp_pm` family resolved: what both path managers
/// and the event monitor talk through, opened in one place. Create it inside the
/// namespace it is for (see `NetworkNamespace.within`); it stays there for life.
final class PathManagerSocket {
    let socket: GenericNetlinkSocket
    /// The `mptcp_pm` family id.
    let family: Int32

    /// `family` when already known: generic netlink ids are global, so a program that
    /// visits many namespaces resolves it once.
    init(family: Int32? = nil) throws(PathManagerError) {
        (socket, self.family) = try PathManagerError.netlink { () throws(NetlinkError) in
            let socket = try GenericNetlinkSocket()
            if let family { return (socket, family) }
            return (socket, try socket.resolveFamily(PathManagerFamily.name))
        }
    }

    /// Sends the request `build` makes and returns the replies.
    func transact(_ build: () throws(NetlinkError) -> MessageBuilder) throws(PathManagerError) -> [GenericMessage] {
        try PathManagerError.netlink { () throws(NetlinkError) in try socket.transact(try build()) }
    }
}
