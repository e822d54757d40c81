/// A configuration the kernel accepts that silently does nothing (or less than meant),
/// as values: what was found, how bad it is, and what would fix it. Words are the
/// caller's to choose.
public struct Finding: Sendable, Equatable {
    public enum Severity: Int, Sendable, Comparable {
        case error, warning, info
        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    }

    public enum Kind: Sendable, Equatable {
        /// `net.mptcp.enabled` is 0: no MPTCP connection is made.
        case mptcpDisabled
        /// The userspace path manager runs: these in-kernel endpoints are inert.
        case userspacePathManager(endpoints: Int)
        /// Address endpoints, but `add_addr_accepted` is 0: they are never used.
        case addressIgnored(addressEndpoints: Int)
        /// More address endpoints than the subflows limit lets a connection use.
        case addressOverSubflows(addressEndpoints: Int, subflows: UInt32)
        /// Fullmesh endpoints take precedence over the address endpoints.
        case fullmeshPrecedence(fullmesh: [Endpoint], addressEndpoints: Int)
        /// The endpoint is bound to an interface index that does not exist.
        case deviceMissing(Endpoint)
        /// No interface of the namespace has the endpoint's address.
        case addressNotConfigured(Endpoint)
        /// The endpoint's address is one no subflow can start from or reach (unspecified,
        /// multicast, limited broadcast): the kernel took it, but it adds no path.
        case unusableAddress(Endpoint, IPAddress.Unusable)
        /// MPTCP_INFO lacks the address-endpoint counter: a kernel before 6.18.
        case addressCounterUnavailable(addressEndpoints: Int)
        /// The dump and MPTCP_INFO disagree.
        case kernelMismatch(NamespaceSnapshot.Mismatch)
        /// The subflows limit is 0: no endpoint of any type can add a subflow (nor
        /// accept a join toward a signal endpoint).
        case subflowsLimitZero(endpoints: Int)
        /// Strict reverse-path filtering on the interface of an IPv4 endpoint: packets of
        /// subflows that routing would send another way are dropped.
        case strictReversePath(Endpoint, interface: String)
        /// The endpoint is bound to one interface but its address is on another.
        case addressOnOtherInterface(Endpoint, device: String, holder: String)
        /// An IPv6 link-local endpoint without `dev`: a link-local address needs one.
        case linkLocalWithoutDevice(Endpoint)
        /// The endpoint's interface is down.
        case interfaceDown(Endpoint, interface: String)
        /// No route of the endpoint's family leaves by its interface.
        case noRoute(Endpoint, interface: String)
        /// NetworkManager or mptcpd runs in the namespace and may rewrite the endpoints.
        case otherManager(OtherManager)
        /// Connections whose only subflows on `interface`, which is up (or not known
        /// down), are stalled (`SubflowHealth`): the path is black-holed, or the peer
        /// gone. `example` is one of them; `connections` how many connections.
        case stalledPath(interface: String, example: Subflow, connections: Int)
        /// Connections (of this end's making: not on a listening port) with no subflow
        /// from the `subflow` endpoint on `interface`, which is up, though their subflows
        /// limit leaves room: the path was lost, and the kernel never opens it again.
        case lostPath(Endpoint, interface: String, connections: Int, token: UInt32)
        /// A `signal` endpoint (without a port of its own) whose address no MPTCP
        /// listener on `port` accepts (they are bound to `boundTo`): every join the
        /// peer sends to the announced address is refused.
        case signalWithoutListener(Endpoint, port: UInt16, boundTo: [IPAddress])
        /// Connections of a client recipe (`subflow`, `address` or `fullmesh` endpoints) whose
        /// initial subflow leaves from `address`, which no `subflow` endpoint has: nothing
        /// can reopen the initial path when it fails.
        case initialPathUnhealable(address: IPAddress, interface: String?, connections: Int)
    }

    /// What would fix it, as actions on the namespace.
    public enum Remedy: Sendable, Equatable {
        case setSysctl(key: String, value: String)
        case setLimits(LimitsChange)
        case clearFullmesh(endpointIDs: [UInt8])
        /// Delete the endpoint and add it again bound to an existing interface.
        case rebindEndpoint(Endpoint)
        /// Configure the address on an interface, or delete the endpoint.
        case configureAddressOrDelete(Endpoint)
        /// Delete the endpoint (by its id).
        case deleteEndpoint(id: UInt8)
        case upgradeKernel(KernelRelease)
        /// Look again at the endpoints and the counters.
        case inspect
        /// Delete the endpoint and add it again with `dev` (nil: a name to choose).
        case rebind(Endpoint, device: String?)
        case setInterfaceUp(String)
        /// Add a route for the endpoint's network by its interface.
        case addRoute(Endpoint, interface: String)
        /// Stop the other manager, or leave the endpoints to it.
        case stopOtherManager(OtherManager.Program)
        /// Find out whether the path answers (a probe from `interface` to `peer`); once
        /// it does, a flap of `endpoint` (delete, add again) brings its subflows back at
        /// once, where TCP's backoff takes up to minutes.
        case checkPath(interface: String, peer: IPAddress, endpoint: Endpoint?)
        /// Make the server on `port` listen on the wildcard address, or on `address` too.
        case listenOn(address: IPAddress, port: UInt16)
        /// Add an endpoint.
        case addEndpoint(EndpointSpec)
    }

    public var severity: Severity
    public var kind: Kind
    public var remedy: Remedy

    public init(_ severity: Severity, _ kind: Kind, remedy: Remedy) {
        self.severity = severity
        self.kind = kind
        self.remedy = remedy
    }
}
