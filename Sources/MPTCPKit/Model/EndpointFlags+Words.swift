extension EndpointFlags {
    /// One row per known flag: our word, iproute2's JSON key. This table drives
    /// parsing, text output and JSON alike.
    package static let names: [(flag: EndpointFlags, word: String, iprouteKey: String)] = [
        (.signal, "signal", "signal"),
        (.subflow, "subflow", "subflow"),
        (.backup, "backup", "backup"),
        (.fullmesh, "fullmesh", "fullmesh"),
        (.implicit, "implicit", "implicit"),
        (.address, "address", "laminar"),
    ]

    /// Our words for the set flags, unknown bits last as one hex word ("0x40").
    package var words: [String] {
        var words = EndpointFlags.names.filter { contains($0.flag) }.map(\.word)
        if unknownBits != 0 { words.append("0x" + String(unknownBits, radix: 16)) }
        return words
    }

    /// The flag a flag word names: our words plus the synonym `laminar`.
    package static func named(_ word: String) -> EndpointFlags? {
        if word == "laminar" { return .address }
        return names.first { $0.word == word }?.flag
    }
}
