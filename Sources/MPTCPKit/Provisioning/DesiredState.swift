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

        public init(name: String?, limits: LimitsChange = LimitsChange(), endpoints: [Entry]? = nil,
                    interfaces: [InterfaceRule]? = nil) {
            self.name = name
            self.limits = limits
            self.endpoints = endpoints
            self.interfaces = interfaces
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
