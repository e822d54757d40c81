import CLibNL
import Glibc

/// An rtnetlink socket (libnl-route-3) in the network namespace the calling thread was
/// in when it was created: dumps of links and addresses, and, once subscribed, their
/// changes as they happen. It stays in that namespace for life.
public final class RouteSocket {
    private let socket: OpaquePointer

    /// What one wait brought.
    public enum Received: Sendable {
        /// The links and addresses of one datagram, added, changed or removed.
        case changes([RouteObject])
        /// The receive buffer overran: the kernel dropped changes since the last read.
        case overrun
        case timedOut
        /// One of the other descriptors being watched became readable.
        case woken(Int32)
    }

    public init() throws(NetlinkError) {
        socket = try connectedLibNLSocket(NETLINK_ROUTE)
        // Changes come unasked: no sequence numbers to check.
        nl_socket_disable_seq_check(socket)
    }

    deinit { nl_socket_free(socket) }

    public var fileDescriptor: Int32 { nl_socket_get_fd(socket) }

    /// Joins the groups of link and IPv4/IPv6 address changes.
    public func subscribe() throws(NetlinkError) {
        for group in [RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR] {
            let result = nl_socket_add_membership(socket, Int32(group.rawValue))
            if result < 0 { throw .library(code: -result, operation: "nl_socket_add_membership") }
        }
    }

    /// Asks for a receive buffer of `bytes`, beyond rmem_max when privileged.
    public func setReceiveBuffer(bytes: Int32) {
        Subscription.setReceiveBuffer(fileDescriptor, bytes: bytes)
    }

    /// Every link of the namespace.
    public func links() throws(NetlinkError) -> [RouteObject.Link] {
        var cache: OpaquePointer?
        let result = rtnl_link_alloc_cache(socket, AF_UNSPEC, &cache)
        if result < 0 { throw .library(code: -result, operation: "rtnl_link_alloc_cache") }
        defer { nl_cache_free(cache) }
        return Self.objects(of: cache).compactMap { if case let .link(link, _) = $0 { link } else { nil } }
    }

    /// Every IPv4 and IPv6 address of the namespace.
    public func addresses() throws(NetlinkError) -> [RouteObject.Address] {
        var cache: OpaquePointer?
        let result = rtnl_addr_alloc_cache(socket, &cache)
        if result < 0 { throw .library(code: -result, operation: "rtnl_addr_alloc_cache") }
        defer { nl_cache_free(cache) }
        return Self.objects(of: cache).compactMap { if case let .address(address, _) = $0 { address } else { nil } }
    }

    private static func objects(of cache: OpaquePointer?) -> [RouteObject] {
        var objects: [RouteObject] = []
        var cursor = nl_cache_get_first(cache)
        while let object = cursor {
            if let value = RouteObject.from(object) { objects.append(value) }
            cursor = nl_cache_get_next(object)
        }
        return objects
    }

    /// Waits up to `milliseconds` (-1: for ever) for one datagram of changes. Returns
    /// `.woken(fd)` as soon as one of `wake` is readable (checked first, so a stop is
    /// never held up by a stream of changes). A signal does not end the wait; a failed
    /// wait is thrown.
    public func receive(timeout milliseconds: Int32, wake: [Int32] = []) throws(NetlinkError) -> Received {
        switch try Subscription.receive(on: fileDescriptor, timeout: milliseconds, wake: wake) {
        case let .datagram(bytes): return .changes(RouteObject.decode(datagram: bytes))
        case .overrun: return .overrun
        case .timedOut: return .timedOut
        case let .woken(fd): return .woken(fd)
        }
    }
}
