import CLibNL
import Glibc

/// What went wrong talking netlink.
public enum NetlinkError: Error, Equatable, Sendable {
    /// The kernel answered with an error: its errno and extended-ack text, verbatim.
    case kernel(Errno, extack: String?)
    /// The generic netlink family is not registered in this kernel.
    case familyNotFound(String)
    /// The multicast group is not offered by the family.
    case groupNotFound(family: String, group: String)
    /// libnl failed (its own error code, see nl_geterror).
    case library(code: Int32, operation: String)
    /// A system call failed.
    case system(Errno, operation: String)

    /// A one-line description, for the failures that have no better words above this
    /// layer (libnl's own codes, system calls).
    public var description: String {
        switch self {
        case let .kernel(code, extack):
            if let extack, !extack.isEmpty { return "\(code.name): \(extack)" }
            return code.description
        case let .familyNotFound(family):
            return "generic netlink family '\(family)' not found"
        case let .groupNotFound(family, group):
            return "multicast group '\(group)' of '\(family)' not found"
        case let .library(code, operation):
            return "\(operation): \(String(cString: nl_geterror(code)))"
        case let .system(code, operation):
            return "\(operation): \(code)"
        }
    }
}
