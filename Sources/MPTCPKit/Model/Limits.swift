/// The two per-namespace limits of the in-kernel path manager.
public struct Limits: Sendable, Equatable {
    /// Extra subflows a connection may have (`subflows`).
    public var subflows: UInt32
    /// ADD_ADDRs accepted from the peer per connection (`add_addr_accepted`).
    public var addAddrAccepted: UInt32

    public init(subflows: UInt32, addAddrAccepted: UInt32) {
        self.subflows = subflows
        self.addAddrAccepted = addAddrAccepted
    }

    /// What takes these limits to `target`: only the limits that differ.
    public func change(to target: Limits) -> LimitsChange {
        LimitsChange(subflows: subflows == target.subflows ? nil : target.subflows,
                     addAddrAccepted: addAddrAccepted == target.addAddrAccepted ? nil : target.addAddrAccepted)
    }

    /// These limits with `change` made.
    public func applying(_ change: LimitsChange) -> Limits {
        Limits(subflows: change.subflows ?? subflows, addAddrAccepted: change.addAddrAccepted ?? addAddrAccepted)
    }
}
