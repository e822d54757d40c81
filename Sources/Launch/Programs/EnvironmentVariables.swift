import Glibc

/// A process's environment as execve(2) takes it: names and values in their order, read
/// and changed by name. (An array, not a dictionary: a dictionary's metadata is made at
/// run time, with a search of every conformance in the binary, and `run` pays its start
/// before CMD's.)
public struct EnvironmentVariables: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public private(set) var variables: [(name: String, value: String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { self[name] = value }
    }

    /// This process's environment, as `environ` holds it (an entry without '=' left out).
    public static func current() -> EnvironmentVariables {
        var result = EnvironmentVariables()
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }

    /// The value of `name`; set to nil, the variable is removed. A new one comes last.
    public subscript(name: String) -> String? {
        get { variables.first { $0.name == name }?.value }
        set {
            let index = variables.firstIndex { $0.name == name }
            switch (index, newValue) {
            case let (index?, value?): variables[index].value = value
            case let (index?, nil): variables.remove(at: index)
            case let (nil, value?): variables.append((name, value))
            case (nil, nil): break
            }
        }
    }

    /// "NAME=VALUE" for each, in order: what execve takes.
    public var entries: [String] { variables.map { $0.name + "=" + $0.value } }

    /// The same variables with the same values, in any order.
    public static func == (lhs: EnvironmentVariables, rhs: EnvironmentVariables) -> Bool {
        lhs.variables.count == rhs.variables.count && lhs.variables.allSatisfy { rhs[$0.name] == $0.value }
    }
}
