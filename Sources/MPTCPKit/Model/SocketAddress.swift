/// One end of a subflow: an address and, when it matters, a port.
public struct SocketAddress: Sendable, Equatable {
    public var address: IPAddress
    public var port: UInt16?

    public init(_ address: IPAddress, port: UInt16? = nil) {
        self.address = address
        self.port = port
    }
}
