import MPTCPKit

/// The `limits` words of the `ip mptcp` grammar:
///
///     set [ subflows NR ] [ add_addr_accepted NR ]
///     show
package enum LimitsCommand: Sendable, Equatable {
    case show
    case set(LimitsChange)

    static let keywords = ["subflows", "add_addr_accepted"]

    static func parse(verb: String, _ words: [String]) throws(CLIError) -> LimitsCommand {
        let context = "limits \(verb)"
        if verb == "show" {
            if let word = words.first { throw .usage("\(context): unexpected word '\(word)': show takes no arguments") }
            return .show
        }
        var change = LimitsChange()
        var index = 0
        while index < words.count {
            let word = words[index]
            guard let keyword = Keyword.match(word, in: keywords) else {
                throw .usage("\(context): unknown limit '\(word)': expected subflows NR or add_addr_accepted NR")
            }
            index += 1
            guard index < words.count else { throw .usage("\(context): '\(keyword)' needs a value") }
            let text = words[index]
            // Only what no kernel could take (the attribute is a u32): the running kernel
            // refuses above its own maximum and says which ("limit greater than maximum (8)").
            guard let value = UnsignedNumber.parse(text, max: UInt64(UInt32.max)) else {
                throw .usage("\(context): bad \(keyword) '\(text)': a limit is a whole number from 0 to \(UInt32.max)")
            }
            if keyword == "subflows" {
                guard change.subflows == nil else { throw .usage("\(context): 'subflows' given twice") }
                change.subflows = UInt32(value)
            } else {
                guard change.addAddrAccepted == nil else { throw .usage("\(context): 'add_addr_accepted' given twice") }
                change.addAddrAccepted = UInt32(value)
            }
            index += 1
        }
        return .set(change)
    }
}
