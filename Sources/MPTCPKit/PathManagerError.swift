import Glibc
import Netlink

/// Every failure of MPTCPKit, as values: what the kernel answered, or which rule of the
/// namespace or the request failed. Programs decide how to word them; the command line
/// turns each into one line and an exit code in one place.
public enum PathManagerError: Error, Sendable, Equatable {
    /// The kernel refused a request: its errno and its extended-ack text, verbatim.
    case kernel(Errno, extack: String?)
    /// The kernel refused for want of privilege (EPERM, EACCES): writes need
    /// CAP_NET_ADMIN in the namespace's owning user namespace.
    case permission(Errno, extack: String?)
    /// The kernel has no `mptcp_pm` generic netlink family: no MPTCP.
    case noPathManager
    /// A reply did not read as the uapi says: its first bad attribute. Nothing is
    /// decided on a reply read in part.
    case malformedReply(MalformedAttribute)
    /// The network namespace could not be used.
    case namespace(NetworkNamespace.Problem)
    /// No endpoint has this address (and port, when given).
    case noSuchEndpoint(IPAddress, port: UInt16?)
    /// No endpoint has this id (the kernel's EINVAL "address not found").
    case noSuchID(UInt8)
    /// Several endpoints have this address: an id or a port must say which.
    case ambiguousAddress(IPAddress, port: UInt16?, ids: [UInt8])
    /// A delete named an id and an address that do not belong together.
    case addressMismatch(id: UInt8, has: IPAddress, asked: IPAddress)
    /// No interface has this name in the namespace.
    case noSuchDevice(String)
    /// The kernel accepted an endpoint that its dump then did not list.
    case notListed(IPAddress)
    /// The kernel did not keep the address flag (0x20) of the endpoint for this address:
    /// it predates Linux 6.18. The endpoint was removed again.
    case addressFlagDropped(IPAddress)
    /// The kernel cannot list one connection's addresses of the userspace path manager
    /// (GET_ADDR by token, Linux 6.9): it ignores the token and would answer with the
    /// in-kernel endpoints instead.
    case noUserspaceAddressList
    /// The namespace's writers' lock (`NamespaceLock`) could not be taken.
    case lock(path: String, Errno)
    /// libnl or a system call failed below the request.
    case transport(NetlinkError)

    /// The one place where netlink failures become path-manager errors.
    public init(_ error: NetlinkError) {
        switch error {
        case let .kernel(code, extack) where code.isPermissionFailure:
            self = .permission(code, extack: extack)
        case let .system(code, _) where code.isPermissionFailure:
            self = .permission(code, extack: nil)
        case let .kernel(code, extack):
            self = .kernel(code, extack: extack)
        case .familyNotFound:
            self = .noPathManager
        default:
            self = .transport(error)
        }
    }

    /// Runs netlink work; its failure becomes a `PathManagerError` by `init(_:)`. Every
    /// call into the Netlink module from MPTCPKit goes through here.
    static func netlink<T>(_ body: () throws(NetlinkError) -> T) throws(PathManagerError) -> T {
        do throws(NetlinkError) { return try body() } catch { throw PathManagerError(error) }
    }

    /// Decodes a reply; its first bad attribute becomes `.malformedReply`.
    static func decoding<T>(_ body: () throws(MalformedAttribute) -> T) throws(PathManagerError) -> T {
        do throws(MalformedAttribute) { return try body() } catch { throw .malformedReply(error) }
    }
}
