/// How results are printed: text for people, or JSON for scripts (`-j`, `-p`).
struct OutputFormat: Sendable, Equatable {
var json: Bool
var pretty: Bool

init(json: Bool = false, pretty: Bool = false) {
        self.json = json
        self.pretty = pretty
    }

static let text = OutputFormat()
}
