import Glibc

/// One rule of a state file's `interfaces:`: every usable address of an interface whose
/// name matches one of `names` (shell globs, fnmatch(3)) and whose family is among
/// `families` gets an endpoint with `flags`, on that interface.
public struct InterfaceRule: Sendable, Equatable {
    /// The address families a rule takes.
    public struct Families: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let ipv4 = Families(rawValue: 1)
        public static let ipv6 = Families(rawValue: 2)
        public static let both: Families = [.ipv4, .ipv6]

        public func contains(_ address: IPAddress) -> Bool { contains(address.isIPv4 ? .ipv4 : .ipv6) }
    }

    /// Globs on the interface name ("eth*", "wlan0").
    public var names: [String]
    public var flags: EndpointFlags
    public var families: Families
    /// Where the rule starts in its file, for messages ("state.yaml:7:5").
    public var position: String

    public init(names: [String], flags: EndpointFlags, families: Families = .both, position: String = "") {
        self.names = names
        self.flags = flags
        self.families = families
        self.position = position
    }

    /// Whether one of the globs matches `interface`.
    public func matches(interface: String) -> Bool {
        names.contains { fnmatch($0, interface, 0) == 0 }
    }

    /// Whether the rule takes an address of this family on this interface.
    public func matches(interface: String, address: IPAddress) -> Bool {
        families.contains(address) && matches(interface: interface)
    }
}
