import Glibc

/// Standard output (and error): one write per line, so a pipe sees each line (a monitor event) as
/// it happens. (Also cheaper than print(), whose generic path looks protocol
/// conformances up at run time, a measurable part of start-up.)
enum Output {
    static func line(_ text: String) { write(text + "\n") }

    /// Writes `text` as it is, to standard output unless told otherwise.
    static func write(_ text: String, to fd: Int32 = STDOUT_FILENO) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { if errno == EINTR { continue } else { return } }
            offset += written
        }
    }
}
