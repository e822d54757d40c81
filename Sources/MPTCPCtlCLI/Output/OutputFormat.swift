/// How results are printed: text for people, or JSON for scripts (`-j`, `-p`).
public struct OutputFormat: Sendable, Equatable {
    public var json: Bool
    public var pretty: Bool

    public init(json: Bool = false, pretty: Bool = false) {
        self.json = json
        self.pretty = pretty
    }

    public static let text = OutputFormat()
}
