import Netlink

/// The first part of a kernel reply that does not read as its uapi header says, named
/// (as mdlayher's `AttributeDecoder.Err()` and rust-netlink's `DecodeError` report it):
/// a reply read in part is never acted on, as a dump missing an endpoint would have
/// `apply` delete or add the wrong ones.
public struct MalformedAttribute: Error, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// Its payload has `size` bytes where its type has exactly `expected`.
        case size(Int, expected: Int)
        /// Its payload has `size` bytes, fewer than the `minimum` a structure that grows
        /// between kernels (`struct mptcp_info`, `struct tcp_info`) has in every version.
        case short(Int, minimum: Int)
        /// The reply lacks it.
        case missing
    }

    /// Its uapi name ("MPTCP_PM_ADDR_ATTR_ID"), or the structure's ("struct inet_diag_msg").
    public let attribute: String
    public let problem: Problem

    public init(_ attribute: String, _ problem: Problem) {
        self.attribute = attribute
        self.problem = problem
    }

    /// Checks that `attribute`'s payload has exactly `size` bytes.
    static func check(_ attribute: Attribute, named name: String, size: Int) throws(MalformedAttribute) {
        if attribute.payload.count != size { throw MalformedAttribute(name, .size(attribute.payload.count, expected: size)) }
    }

    /// `value`, one of `attribute`'s typed views (`u8`, `u32`…), which is nil when the
    /// payload is not the size of T; then the error naming it.
    static func read<T: FixedWidthInteger>(_ value: T?, of attribute: Attribute, named name: String) throws(MalformedAttribute) -> T {
        guard let value else { throw MalformedAttribute(name, .size(attribute.payload.count, expected: MemoryLayout<T>.size)) }
        return value
    }
}
