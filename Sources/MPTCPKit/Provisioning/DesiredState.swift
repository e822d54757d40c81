/// What a state file asks for: the limits and the full set of endpoints of one
/// namespace, or of several by name. Reading a state file is a reader's job (the
/// command line's StateFile module, over Yams), not this library's.
public struct DesiredState: Sendable, Equatable {
    /// One endpoint of the file and where it stands there.
    public struct Entry: Sendable, Equatable {
        public var spec: EndpointSpec
        /// Where the entry starts, for messages ("state.yaml:7:5").
        public var position: String

        public init(_ spec: EndpointSpec, position: String = "") {
            self.spec = spec
            self.position = position
        }
    }

    /// One `net.mptcp.*` setting of the file (key without the prefix) and where it stands.
    public struct Setting: Sendable, Equatable {
        public var key: String
        public var value: String
        public var position: String

        public init(key: String, value: String, position: String = "") {
            self.key = key
            self.value = value
            self.position = position
        }
    }

    /// The desired state of one namespace. A key the file leaves out is not managed.
    public struct Namespace: Sendable, Equatable {
        /// nil: the namespace the caller names, or the current one.
        public var name: String?
        /// The limits to set; a nil limit is left alone.
        public var limits: LimitsChange
        /// nil when the file has no `endpoints:` key: the endpoints are left alone.
        public var endpoints: [Entry]?
        /// nil when the file has no `interfaces:` key. Rules add endpoints that follow the
        /// addresses of matching interfaces to the fixed ones; with rules, endpoints
        /// neither produce are unlisted (deleted unless kept), as without.
        public var interfaces: [InterfaceRule]?
        /// nil when the file has no `sysctl:` key: the sysctls are left alone; otherwise
        /// only the keys it names are managed.
        public var sysctls: [Setting]?
        /// nil when the file has no `heal:` key: a daemon heals with the defaults.
        /// (A one-time `apply` has no paths to heal and leaves it aside.)
        public var heal: HealingSettings?

        public init(name: String?, limits: LimitsChange = LimitsChange(), endpoints: [Entry]? = nil,
                    interfaces: [InterfaceRule]? = nil, sysctls: [Setting]? = nil, heal: HealingSettings? = nil) {
            self.name = name
            self.limits = limits
            self.endpoints = endpoints
            self.interfaces = interfaces
            self.sysctls = sysctls
            self.heal = heal
        }
    }

    public var namespaces: [Namespace]
    /// True when the file lists namespaces by name (`namespaces:`).
    public var named: Bool

    /// Whether a namespace has `interfaces:` rules, so its endpoints depend on its addresses.
    public var followsInterfaces: Bool { namespaces.contains { $0.interfaces != nil } }

    public init(namespaces: [Namespace], named: Bool) {
        self.namespaces = namespaces
        self.named = named
    }
}
