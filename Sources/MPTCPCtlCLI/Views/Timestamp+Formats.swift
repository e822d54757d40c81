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

// `ip -t` and `ip -ts`: local time (TZ), as iproute2's print_timestamp writes it.
extension Timestamp {
    /// The broken-down local time.
    var local: tm {
        var time = time_t(seconds)
        var parts = tm()
        localtime_r(&time, &parts)
        return parts
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Mon Dec  7 17:33:51 2026 483763 usec" (`ip -t`): asctime's text (the day of the
    /// month padded to two places with a blank), then the microseconds unpadded.
    static func ipFull(_ t: tm, microseconds: Int) -> String {
        let day = t.tm_mday < 10 ? " \(t.tm_mday)" : "\(t.tm_mday)"
        return "\(weekdays[Int(t.tm_wday) % 7]) \(months[Int(t.tm_mon) % 12]) \(day) \(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec)) "
            + "\(t.tm_year + 1900) \(microseconds) usec"
    }

    /// "2026-12-07T17:33:51.483763" (`ip -ts`).
    static func ipShort(_ t: tm, microseconds: Int) -> String {
        let digits = String(microseconds)
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))."
            + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
