/// How results are printed: text for people, or JSON for scripts (`-j`, `-p`).
package struct OutputFormat: Sendable, Equatable {
    package var json: Bool
    package var pretty: Bool

    package init(json: Bool = false, pretty: Bool = false) {
        self.json = json
        self.pretty = pretty
    }

    package static let text = OutputFormat()
}
