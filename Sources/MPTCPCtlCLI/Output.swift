import Glibc

/// Standard output: one write per line, so a pipe sees each line (a monitor event) as
/// it happens. (Also cheaper than print(), whose generic path looks protocol
/// conformances up at run time, a measurable part of start-up.)
enum Output {
    static func line(_ text: String) { write(text + "\n") }

    /// Writes `text` as it is.
    static func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
