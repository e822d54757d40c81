/// The flags of an endpoint (MPTCP_PM_ADDR_FLAG_*). Unknown bits are kept.
public struct EndpointFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let signal = EndpointFlags(rawValue: 0x01)
    public static let subflow = EndpointFlags(rawValue: 0x02)
    public static let backup = EndpointFlags(rawValue: 0x04)
    public static let fullmesh = EndpointFlags(rawValue: 0x08)
    public static let implicit = EndpointFlags(rawValue: 0x10)
    /// Linux 6.18's new type: upstream calls it "laminar".
    public static let address = EndpointFlags(rawValue: 0x20)

    /// One row per known flag: our word, iproute2's JSON key. This table drives
    /// parsing, text output and JSON alike.
    public static let names: [(flag: EndpointFlags, word: String, iprouteKey: String)] = [
        (.signal, "signal", "signal"),
        (.subflow, "subflow", "subflow"),
        (.backup, "backup", "backup"),
        (.fullmesh, "fullmesh", "fullmesh"),
        (.implicit, "implicit", "implicit"),
        (.address, "address", "laminar"),
    ]

    /// The flags a change may set or clear (the kernel ignores the others).
    public static let changeable: EndpointFlags = [.backup, .fullmesh]

    /// Bits no table row names.
    public var unknownBits: UInt32 {
        EndpointFlags.names.reduce(rawValue) { $0 & ~$1.flag.rawValue }
    }

    /// Our words for the set flags, unknown bits last as one hex word ("0x40").
    public var words: [String] {
        var words = EndpointFlags.names.filter { contains($0.flag) }.map(\.word)
        if unknownBits != 0 { words.append("0x" + String(unknownBits, radix: 16)) }
        return words
    }

    /// The flag a flag word names: our words plus the synonym `laminar`.
    public static func named(_ word: String) -> EndpointFlags? {
        if word == "laminar" { return .address }
        return names.first { $0.word == word }?.flag
    }
}
