import Foundation

// Every wait of the kernel tests goes through one of these two. A test waits for what the
// kernel (or a program) reports with `waitUntil`, which ends as soon as it holds and whose
// limit grows with `Background.patience` in the emulated guests; `pause` only where time
// itself must pass: to see that nothing more happens, or to give a change its time.

/// Asks `condition` now, then every `interval` seconds, until it holds or `seconds` (times
/// `Background.patience`) have passed; whether it held. The caller's expectation says
/// what was waited for: `#expect(waitUntil(seconds: 5) { … }, "what")`.
@discardableResult
func waitUntil(seconds: Double, every interval: Double = 0.01, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds * Background.patience)
    while try !condition() {
        guard Date() < deadline else { return false }
        usleep(useconds_t(interval * 1_000_000))
    }
    return true
}

/// Lets `seconds` pass, as they are (a caller that wants them scaled multiplies by
/// `Background.patience` itself): not for waiting on something that will be reported.
func pause(seconds: Double) {
    usleep(useconds_t(seconds * 1_000_000))
}
