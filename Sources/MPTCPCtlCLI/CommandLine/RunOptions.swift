/// `run [--no-fallback] [--intercept] [--user NAME] [--] CMD [ARG...]`: the program to run with its
/// TCP sockets made MPTCP, and how.
package struct RunOptions: Sendable, Equatable {
    /// CMD and its arguments, exactly as given.
    package var program: [String]
    /// Open the TCP socket asked for when the kernel refuses MPTCP (the default).
    package var fallback = true
    /// Make the TCP sockets of CMD's tree MPTCP where the preload library cannot reach
    /// (static programs): a seccomp filter hands socket() to a supervisor.
    package var intercept = false
    /// Run CMD as this user (name or number), with its groups.
    package var user: String?

    /// The options in their long form, as the tree reads them.
    var arguments: [String] {
        var arguments = fallback ? [] : ["--no-fallback"]
        if intercept { arguments.append("--intercept") }
        if let user { arguments.append("--user=\(user)") }
        return arguments
    }

    /// The line cut where CMD starts: everything before it is mptcpctl's (global options,
    /// `run` and its options), everything from CMD on is CMD's own, so `run curl -s URL`
    /// never reads `-s` as an option of mptcpctl. A `--` after `run` ends its options and is
    /// dropped. nil when the line's object is not `run`.
    static func split(_ arguments: [String]) -> (line: [String], program: [String])? {
        var index = 0
        var object: Int?
        while index < arguments.count {
            let argument = arguments[index]
            if object != nil, argument == "--" {
                return (Array(arguments[..<index]), Array(arguments[(index + 1)...]))
            }
            if Token.looksLikeOption(argument), argument != "--" {
                // The value that follows an option of the table is not a word.
                if let option = CommandTable.option(named: argument), option.takesValue { index += 1 }
                index += 1
                continue
            }
            guard object == nil, argument == "run" else {
                return object == nil ? nil : (Array(arguments[..<index]), Array(arguments[index...]))
            }
            object = index
            index += 1
        }
        return object == nil ? nil : (arguments, [])
    }
}

// Read from the command line; an extension, so the memberwise initializer stays.
extension RunOptions {
    init(_ given: CommandTable.Given) throws(CLIError) {
        guard let command = given.words.first else {
            throw .usage("run: missing CMD: e.g. 'mptcpctl run curl https://example.com/'")
        }
        if command.isEmpty { throw .usage("run: bad CMD '': a program's name or path is not empty") }
        program = given.words
        if !given.format.isDefault {
            throw .usage("run: -j, -p and --format have nothing to format: CMD's output is its own")
        }
        for (option, value) in given.options {
            switch option {
            case CommandTable.noFallback: fallback = false
            case CommandTable.intercept: intercept = true
            case CommandTable.user:
                let value = value ?? ""
                guard !value.isEmpty, !value.contains(":"), !value.contains("/") else {
                    throw .usage("run: bad --user '\(value)': a user is a name or a number from the password database")
                }
                user = value
            default: break
            }
        }
    }
}
