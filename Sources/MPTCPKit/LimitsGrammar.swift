/// The `limits` words of the `ip mptcp` grammar:
///
///     set [ subflows NR ] [ add_addr_accepted NR ]
///     show
public enum LimitsCommand: Sendable, Equatable {
    case show
    case set(subflows: UInt32?, addAddrAccepted: UInt32?)

    /// The limits commands, in the order `ip` tries their abbreviations.
    public static let verbs = ["set", "show"]
    static let keywords = ["subflows", "add_addr_accepted"]

    public static func parse(verb: String, _ words: [String]) throws(MPTCPError) -> LimitsCommand {
        let context = "limits \(verb)"
        if verb == "show" {
            if let word = words.first { throw .usage("\(context): unexpected word '\(word)': show takes no arguments") }
            return .show
        }
        var subflows: UInt32?, accepted: UInt32?
        var index = 0
        while index < words.count {
            let word = words[index]
            guard let keyword = Keyword.match(word, in: keywords) else {
                throw .usage("\(context): unknown limit '\(word)': expected subflows NR or add_addr_accepted NR")
            }
            index += 1
            guard index < words.count else { throw .usage("\(context): '\(keyword)' needs a value") }
            let text = words[index]
            guard let value = Keyword.number(text, max: UInt64(PathManagerProtocol.maxLimit)) else {
                throw .usage("\(context): bad \(keyword) '\(text)': a limit is a number from 0 to \(PathManagerProtocol.maxLimit)")
            }
            if keyword == "subflows" {
                guard subflows == nil else { throw .usage("\(context): 'subflows' given twice") }
                subflows = UInt32(value)
            } else {
                guard accepted == nil else { throw .usage("\(context): 'add_addr_accepted' given twice") }
                accepted = UInt32(value)
            }
            index += 1
        }
        return .set(subflows: subflows, addAddrAccepted: accepted)
    }
}
