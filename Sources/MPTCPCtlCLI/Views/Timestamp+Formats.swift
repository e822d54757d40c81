import Glibc
import MPTCPKit

extension Timestamp {
    private var utc: tm {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return parts
    }

    private static func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private var micros: String {
        let digits = String(microseconds)
        return String(repeating: "0", count: 6 - digits.count) + digits
    }

    /// "2026-11-25T02:55:01.123456Z"
    var rfc3339: String {
        let t = utc
        return "\(t.tm_year + 1900)-\(Self.two(t.tm_mon + 1))-\(Self.two(t.tm_mday))T\(clock)Z"
    }

    /// "02:55:01.123456" (UTC)
    var clock: String {
        let t = utc
        return "\(Self.two(t.tm_hour)):\(Self.two(t.tm_min)):\(Self.two(t.tm_sec)).\(micros)"
    }
}
