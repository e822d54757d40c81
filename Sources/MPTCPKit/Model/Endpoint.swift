import Netlink

/// One endpoint of the in-kernel path manager, as the kernel reports it.
public struct Endpoint: Sendable, Equatable {
    public var id: UInt8
    public var address: IPAddress
    /// 0 when the endpoint has no port of its own (the kernel reports 0 then).
    public var port: UInt16
    public var flags: EndpointFlags
    /// 0 when the endpoint is not bound to an interface (the kernel reports 0 then).
    public var interfaceIndex: Int32
    /// Attributes this version does not know, kept as received.
    public var unknownAttributes: [Attribute]

    public init(id: UInt8, address: IPAddress, port: UInt16 = 0, flags: EndpointFlags = [],
                interfaceIndex: Int32 = 0, unknownAttributes: [Attribute] = []) {
        self.id = id
        self.address = address
        self.port = port
        self.flags = flags
        self.interfaceIndex = interfaceIndex
        self.unknownAttributes = unknownAttributes
    }

    /// The request that would make this endpoint again, with its id, port, flags and
    /// interface (what a rollback re-adds).
    public var spec: EndpointSpec {
        EndpointSpec(address: address, id: id, port: port == 0 ? nil : port, flags: flags,
                     interfaceIndex: interfaceIndex == 0 ? nil : interfaceIndex)
    }
}
