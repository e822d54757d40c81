/// The interfaces and addresses of one namespace at one moment.
public struct InterfaceSnapshot: Sendable, Equatable {
    public var interfaces: [NetworkInterface]
    public var addresses: [InterfaceAddress]

    public init(interfaces: [NetworkInterface] = [], addresses: [InterfaceAddress] = []) {
        self.interfaces = interfaces
        self.addresses = addresses
    }

    public func interface(index: Int32) -> NetworkInterface? { interfaces.first { $0.index == index } }
}
