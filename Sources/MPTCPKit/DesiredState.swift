/// What an `apply` file asks for: the limits and the full set of endpoints of one
/// namespace, or of several under `namespaces:`. Reading the file (YAML or JSON) is the
/// StateFile module's job, so that only `mptcpctl-apply` links Yams and Foundation.
public struct DesiredState: Sendable, Equatable {
    /// One endpoint as the file describes it.
    public struct EndpointSpec: Sendable, Equatable {
        public var address: IPAddress
        public var id: UInt8?
        /// 0: no port.
        public var port: UInt16 = 0
        public var device: String?
        public var flags: EndpointFlags = []
        /// Where the entry starts, for messages ("state.yaml:7:5").
        public var position: String = ""

        public init(address: IPAddress, id: UInt8? = nil, port: UInt16 = 0, device: String? = nil,
                    flags: EndpointFlags = [], position: String = "") {
            self.address = address
            self.id = id
            self.port = port
            self.device = device
            self.flags = flags
            self.position = position
        }
    }

    /// The desired state of one namespace. A key the file leaves out is not managed.
    public struct Namespace: Sendable, Equatable {
        /// nil: the namespace `-n` names, or the current one.
        public var name: String?
        public var subflows: UInt32?
        public var addAddrAccepted: UInt32?
        /// nil when the file has no `endpoints:` key: the endpoints are left alone.
        public var endpoints: [EndpointSpec]?

        public init(name: String?, subflows: UInt32? = nil, addAddrAccepted: UInt32? = nil, endpoints: [EndpointSpec]? = nil) {
            self.name = name
            self.subflows = subflows
            self.addAddrAccepted = addAddrAccepted
            self.endpoints = endpoints
        }
    }

    /// Every problem found in a file, each "FILE:LINE:COLUMN: message"; nothing was changed.
    public struct Invalid: Error, Sendable, Equatable {
        public var problems: [String]
        public init(problems: [String]) { self.problems = problems }
    }

    public var namespaces: [Namespace]
    /// True when the file lists namespaces by name (`namespaces:`).
    public var named: Bool

    public init(namespaces: [Namespace], named: Bool) {
        self.namespaces = namespaces
        self.named = named
    }
}
