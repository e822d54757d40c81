/// A program to start: its path, its words (argv, its name first), its environment, and
/// the network namespace it starts in (nil: the caller's).
public struct Program: Sendable, Equatable {
    public var path: String
    public var arguments: [String]
    public var environment: EnvironmentVariables
    public var netns: String?

    public init(path: String, arguments: [String], environment: EnvironmentVariables, netns: String? = nil) {
        self.path = path
        self.arguments = arguments
        self.environment = environment
        self.netns = netns
    }
}
