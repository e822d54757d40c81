/// The limits to set: a nil limit keeps its value (the kernel changes only what it is sent).
public struct LimitsChange: Sendable, Equatable {
    public var subflows: UInt32?
    public var addAddrAccepted: UInt32?

    public init(subflows: UInt32? = nil, addAddrAccepted: UInt32? = nil) {
        self.subflows = subflows
        self.addAddrAccepted = addAddrAccepted
    }

    public var isEmpty: Bool { subflows == nil && addAddrAccepted == nil }
}
