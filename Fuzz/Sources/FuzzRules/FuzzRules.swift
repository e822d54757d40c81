import MPTCPKit
import Netlink
import StateFile

/// An apply file with `interfaces:` rules, then a NUL, then rtnetlink datagrams giving
/// the namespace's links and addresses: the rules read, and the endpoints chosen from
/// the addresses, checked against what the choice promises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let text = String(decoding: bytes[..<split], as: UTF8.self)
    guard let state = try? DesiredState.parse(text, file: "fuzz.yaml"), let desired = state.namespaces.first else { return 0 }
    let rules = desired.interfaces ?? []
    // The changes applied in order, as a dump would then show them: one link per index,
    // one entry per address and interface.
    var snapshot = InterfaceSnapshot()
    for object in RouteObject.decode(datagram: Array(bytes[min(split + 1, bytes.endIndex)...])) {
        switch object {
        case let .link(link, removed):
            snapshot.interfaces.removeAll { $0.index == link.index }
            if !removed { snapshot.interfaces.append(NetworkInterface(route: link)) }
        case let .address(address, removed):
            guard let value = InterfaceAddress(route: address) else { continue }
            snapshot.addresses.removeAll { $0.interfaceIndex == value.interfaceIndex && $0.address == value.address }
            if !removed { snapshot.addresses.append(value) }
        }
    }
    let fixed = (desired.endpoints ?? []).map(\.spec)
    let capacity = size % 9
    let excluding = Set(fixed.map(\.address))
    let selection = FollowedEndpoints.select(rules: rules, snapshot: snapshot, excluding: excluding, capacity: capacity)
    require(selection.chosen.count <= capacity, "more endpoints than room")
    require(selection.leftOut.isEmpty || selection.chosen.count == capacity, "left out with room to spare")
    let all = selection.chosen + selection.leftOut
    require(Set(all.map(\.spec.address)).count == all.count, "one address twice")
    require(all.allSatisfy { !excluding.contains($0.spec.address) }, "a fixed endpoint's address taken by a rule")
    for candidate in all {
        let interface = snapshot.interfaces.first { $0.index == candidate.spec.interfaceIndex }
        require(interface != nil && rules[candidate.rule].matches(interface: candidate.interface, address: candidate.spec.address),
                "a candidate no rule matches")
        require(candidate.spec.flags == rules[candidate.rule].flags, "a candidate without its rule's flags")
    }
    // The same interfaces in another order: the same choice.
    var reversed = snapshot
    reversed.addresses.reverse()
    reversed.interfaces.reverse()
    let again = FollowedEndpoints.select(rules: rules, snapshot: reversed, excluding: excluding, capacity: capacity)
    require(again.chosen.map(\.spec.address) == selection.chosen.map(\.spec.address), "the choice depends on the order")
    _ = Apply.follow(rules, snapshot: snapshot, fixed: fixed, current: [], keepUnlisted: size % 2 == 0, capacity: capacity)
    return 0
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
