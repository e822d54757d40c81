/// How results are printed: the table people read, JSON for scripts (`-j`, `-p`,
/// `--format json`), or `ip mptcp`'s own text (`--format ip`), so a script that parses
/// `ip`'s output runs unchanged.
package struct OutputFormat: Sendable, Equatable {
    package var json: Bool
    package var pretty: Bool
    /// `--format ip`: `ip mptcp endpoint show` / `limits show` byte for byte.
    package var ip: Bool
    /// `--format openmetrics` or `--format prometheus`: `counters` as metrics.
    package var metrics: String?

    package init(json: Bool = false, pretty: Bool = false, ip: Bool = false, metrics: String? = nil) {
        self.json = json
        self.pretty = pretty
        self.ip = ip
        self.metrics = metrics
    }

    package static let text = OutputFormat()

    /// The names `--format` takes.
    package static let names = ["table", "json", "ip", "openmetrics", "prometheus"]

    /// Whether nothing chose a format (a batch line then takes the batch's).
    package var isDefault: Bool { self == OutputFormat() }
}
