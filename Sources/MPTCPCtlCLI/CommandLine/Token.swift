/// One argument of a command line as `Invocation` and `Completion` both read it: an
/// option of `CommandTable` with its value, an option the table does not have, or a
/// word. The line is read once, here; no option and its value are ever joined into one
/// string and split again.
enum Token: Equatable {
    /// An option as spelled, with its value: the next argument, or what follows `=` in
    /// `--name=value`; nil for a flag, and for an option whose value is missing at the end.
    case option(CommandTable.Option, spelled: String, value: String?)
    /// An argument that looks like an option the table does not have.
    case unknownOption(String)
    /// Anything else, and everything after `--`.
    case word(String)

    /// The tokens of `arguments` (without the program name).
    static func read(_ arguments: [String]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard !optionsEnded, looksLikeOption(argument) else {
                tokens.append(.word(argument))
                continue
            }
            if argument == "--" { optionsEnded = true; continue }
            if let options = CommandTable.combined(argument) {
                tokens += options.map { .option($0, spelled: argument, value: nil) }
                continue
            }
            if let option = CommandTable.option(named: argument) {
                // The next argument is the value as it stands, so "-1" is no option.
                let value = option.takesValue && index < arguments.count ? arguments[index] : nil
                if value != nil { index += 1 }
                tokens.append(.option(option, spelled: argument, value: value))
                continue
            }
            // `--name=value`, split at the first "=" scalar: an "=" followed by a
            // combining mark is one Character, which splitting by Character misses.
            let scalars = argument.unicodeScalars
            if argument.hasPrefix("--"), let equals = scalars.firstIndex(of: "=") {
                let name = String(scalars[..<equals])
                if let option = CommandTable.option(named: name), option.takesValue, option != CommandTable.batch {
                    tokens.append(.option(option, spelled: name, value: String(scalars[scalars.index(after: equals)...])))
                    continue
                }
            }
            tokens.append(.unknownOption(argument))
        }
        return tokens
    }

    /// `-x`, `--name`: not `-` alone, nor a negative number.
    static func looksLikeOption(_ argument: String) -> Bool {
        argument.hasPrefix("-") && argument.count > 1 && !argument.dropFirst().first!.isNumber
    }
}
