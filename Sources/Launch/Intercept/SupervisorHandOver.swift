import Glibc

/// How `InterceptedLaunch` hands the seccomp listener to the supervisor it starts: the
/// listener on descriptor 3, and on 4 a pipe the supervisor writes one byte to once it
/// is ready. Written here only: CLaunch's spawn is given these numbers.
enum SupervisorHandOver {
    static let listener: Int32 = 3
    static let ready: Int32 = 4

    /// Says the supervisor is ready: one byte on the pipe its starter waits on.
    static func sayReady() {
        var byte: UInt8 = 1
        _ = write(ready, &byte, 1)
        close(ready)
    }
}
