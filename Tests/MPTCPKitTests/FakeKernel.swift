import Glibc
import Netlink
@testable import MPTCPKit

/// Stands in for the kernel where the real one cannot show a case: a kernel older
/// than 6.18 that drops the address flag, for instance.
final class FakeKernel: PathManaging {
    var table: [Endpoint] = []
    var limitsValue = Limits(subflows: 2, addAddrAccepted: 0)
    /// Flag bits this kernel keeps; a pre-6.18 kernel with the stable fix keeps 0x1f.
    var knownFlags: UInt32 = 0x3f
    var requests: [String] = []

    func endpoints() throws(NetlinkError) -> [Endpoint] { table }

    func endpoint(id: UInt8) throws(NetlinkError) -> Endpoint {
        guard let found = table.first(where: { $0.id == id }) else { throw .kernel(errno: EINVAL, message: "address not found") }
        return found
    }

    func add(_ nest: Requests.AddressNest) throws(NetlinkError) {
        requests.append("add")
        if table.contains(where: { $0.address == nest.address }) {
            throw .kernel(errno: EEXIST, message: "too many addresses or duplicate one: -17")
        }
        let id = nest.id ?? ((table.map(\.id).max() ?? 0) + 1)
        let flags = EndpointFlags(rawValue: (nest.flags?.rawValue ?? 0) & knownFlags)
        table.append(Endpoint(id: id, address: nest.address!, port: nest.port ?? 0, flags: flags,
                              interfaceIndex: nest.interfaceIndex ?? 0))
        table.sort { $0.id < $1.id }
    }

    func delete(_ nest: Requests.AddressNest) throws(NetlinkError) {
        requests.append("delete \(nest.id ?? 0)")
        guard table.contains(where: { $0.id == nest.id }) else { throw .kernel(errno: EINVAL, message: "address not found") }
        table.removeAll { $0.id == nest.id }
    }

    func setFlags(_ nest: Requests.AddressNest) throws(NetlinkError) {
        requests.append("set \(nest.id ?? 0) \(nest.flags?.rawValue ?? 0)")
        guard let index = table.firstIndex(where: { $0.id == nest.id }) else { throw .kernel(errno: EINVAL, message: "address not found") }
        let mask = EndpointFlags.changeable
        table[index].flags = table[index].flags.subtracting(mask).union((nest.flags ?? []).intersection(mask))
    }

    func flush() throws(NetlinkError) {
        requests.append("flush")
        table = []
    }
    func limits() throws(NetlinkError) -> Limits { limitsValue }

    func setLimits(subflows: UInt32?, addAddrAccepted: UInt32?) throws(NetlinkError) {
        requests.append("limits")
        if let subflows { limitsValue.subflows = subflows }
        if let addAddrAccepted { limitsValue.addAddrAccepted = addAddrAccepted }
    }

    func interfaceIndex(named name: String) -> Int32? { name == "eth1" ? 3 : nil }
    func interfaceName(index: Int32) -> String? { index == 3 ? "eth1" : nil }
}
