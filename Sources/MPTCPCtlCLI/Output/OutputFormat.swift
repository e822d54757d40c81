/// How results are printed: the table people read, JSON for scripts (`-j`, `-p`,
/// `--format json`), `ip mptcp`'s own text (`--format ip`), so a script that parses
/// `ip`'s output runs unchanged, or `counters` as metrics. One style a line; the
/// options that choose it are read and checked by `FormatChoice`.
package struct OutputFormat: Sendable, Equatable {
    /// What a line prints.
    package enum Style: Sendable, Equatable {
        /// The table people read (the default).
        case table
        /// mptcpctl's JSON (`-j`, `--format json`).
        case json
        /// `--format ip`: `ip mptcp endpoint show` / `limits show` / `monitor` byte for byte.
        case ip
        /// `--format ip` with `-j`: `ip -j mptcp monitor`'s JSON (monitor only).
        case ipJSON
        /// `--format openmetrics|prometheus`: `counters` as metrics.
        case metrics(Metrics)
    }

    /// The two metrics expositions; they differ in how a counter is declared.
    package enum Metrics: String, Sendable, Equatable {
        case openMetrics = "openmetrics"
        case prometheus
    }

    package var style: Style
    /// `-p`: indented JSON.
    package var pretty: Bool

    package init(_ style: Style = .table, pretty: Bool = false) {
        self.style = style
        self.pretty = pretty
    }

    /// JSON of either kind: mptcpctl's, or `ip -j`'s.
    package var json: Bool { style == .json || style == .ipJSON }
    /// `ip mptcp`'s text or JSON.
    package var ip: Bool { style == .ip || style == .ipJSON }

    /// The names `--format` takes.
    package static let names = ["table", "json", "ip", "openmetrics", "prometheus"]

    /// Whether nothing chose a format (a batch line then takes the batch's).
    package var isDefault: Bool { self == OutputFormat() }
}
