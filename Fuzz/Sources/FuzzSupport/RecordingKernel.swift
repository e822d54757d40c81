import Glibc
import MPTCPKit
import Netlink

/// Stands in for the kernel: two endpoints (ids 1 and 2) and the default limits, and a
/// record of every request that would change something.
public final class RecordingKernel: PathManaging {
    public var table = [Endpoint(id: 1, address: IPAddress("10.0.2.1")!, flags: .subflow),
                        Endpoint(id: 2, address: IPAddress("2001:db8::1")!, port: 10100, flags: [.signal, .backup],
                                 interfaceIndex: 3)]
    public var limitsValue = Limits(subflows: 2, addAddrAccepted: 0)
    /// "add", "delete", "set", "flush", "limits", in order.
    public private(set) var requests: [String] = []

    public init() {}

    public func endpoints() throws(NetlinkError) -> [Endpoint] { table }

    public func endpoint(id: UInt8) throws(NetlinkError) -> Endpoint {
        guard let found = table.first(where: { $0.id == id }) else { throw .kernel(errno: EINVAL, message: "address not found") }
        return found
    }

    public func add(_ nest: Requests.AddressNest) throws(NetlinkError) {
        requests.append("add")
        // As the kernel: at most 8 endpoints, one per address and port, one per id.
        guard table.count < PathManagerProtocol.maxEndpoints else { throw .kernel(errno: ERANGE, message: nil) }
        guard let address = nest.address, !table.contains(where: { $0.address == address && $0.port == nest.port ?? 0 }),
              let id = nest.id ?? (1...255).first(where: { id in !table.contains { $0.id == id } }),
              !table.contains(where: { $0.id == id })
        else { throw .kernel(errno: EEXIST, message: "too many addresses or duplicate one: -17") }
        table.append(Endpoint(id: id, address: address, port: nest.port ?? 0, flags: nest.flags ?? [],
                              interfaceIndex: nest.interfaceIndex ?? 0))
    }

    public func delete(_ nest: Requests.AddressNest) throws(NetlinkError) {
        requests.append("delete")
        guard table.contains(where: { $0.id == nest.id }) else { throw .kernel(errno: EINVAL, message: "address not found") }
        table.removeAll { $0.id == nest.id }
    }

    public func setFlags(_ nest: Requests.AddressNest) throws(NetlinkError) {
        requests.append("set")
        guard let index = table.firstIndex(where: { $0.id == nest.id }) else { throw .kernel(errno: EINVAL, message: "address not found") }
        // As the kernel: only backup and fullmesh change; the endpoint's type stays.
        let mask = EndpointFlags.changeable
        table[index].flags = table[index].flags.subtracting(mask).union((nest.flags ?? []).intersection(mask))
    }

    public func flush() throws(NetlinkError) {
        requests.append("flush")
        table = []
    }

    public func limits() throws(NetlinkError) -> Limits { limitsValue }

    public func setLimits(subflows: UInt32?, addAddrAccepted: UInt32?) throws(NetlinkError) {
        requests.append("limits")
        if let subflows { limitsValue.subflows = subflows }
        if let addAddrAccepted { limitsValue.addAddrAccepted = addAddrAccepted }
    }

    public func interfaceIndex(named name: String) -> Int32? { name == "eth1" ? 3 : nil }
    public func interfaceName(index: Int32) -> String? { index == 3 ? "eth1" : nil }
}

/// Stops the fuzzer with a message when an invariant does not hold (a trap it counts
/// as a crash, with the input saved).
public func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
