/// What a diagnosis needs to know of one interface of a namespace: whether it is up,
/// whether any route leaves by it, and its reverse-path filter.
public struct InterfaceStatus: Sendable, Equatable {
    public var name: String
    /// IFF_UP; nil when it could not be read.
    public var isUp: Bool?
    /// A route of the main table (IPv4) or any table (IPv6, link-local and local ones
    /// aside) leaves by it.
    public var hasIPv4Route: Bool
    public var hasIPv6Route: Bool
    /// The reverse-path filter in force: the larger of `all` and the interface's own
    /// (0 off, 1 strict, 2 loose); nil when unreadable.
    public var reversePathFilter: Int?

    public init(name: String, isUp: Bool?, hasIPv4Route: Bool, hasIPv6Route: Bool, reversePathFilter: Int?) {
        self.name = name
        self.isUp = isUp
        self.hasIPv4Route = hasIPv4Route
        self.hasIPv6Route = hasIPv6Route
        self.reversePathFilter = reversePathFilter
    }
}
