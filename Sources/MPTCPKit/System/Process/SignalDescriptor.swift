import Glibc
import Netlink

/// Signals delivered as a readable descriptor (signalfd(2)) instead of a handler: a
/// loop polls it beside its socket, so a signal that comes at any moment, even just
/// before the loop waits, ends the wait. The signals are blocked for the whole process
/// while this lives, and unblocked (with anything still queued dropped) when it goes.
public final class SignalDescriptor {
    public let fileDescriptor: Int32
    private var signals = sigset_t()

    /// Catches `numbers` (e.g. SIGINT, SIGTERM) from now on.
    public init(_ numbers: [Int32]) throws(Errno) {
        sigemptyset(&signals)
        for number in numbers {
            // A parent may have ignored it; an ignored signal never queues.
            signal(number, SIG_DFL)
            sigaddset(&signals, number)
        }
        // Blocked in every thread, so the kernel queues them on the descriptor.
        pthread_sigmask(SIG_BLOCK, &signals, nil)
        do throws(Errno) {
            fileDescriptor = try HiddenSystemCalls.signalDescriptor(for: &signals)
        } catch {
            pthread_sigmask(SIG_UNBLOCK, &signals, nil)
            throw error
        }
    }

    deinit {
        while (try? HiddenSystemCalls.takeSignal(from: fileDescriptor)) != nil {}
        close(fileDescriptor)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Waits up to `seconds` for a signal: true as soon as one is queued (it stays
    /// queued for `take`), false when the time passed without one.
    public func wait(seconds: Double) throws(Errno) -> Bool {
        try wait(seconds: seconds, input: nil) == .signal
    }

    /// What ended a wait.
    public enum Wake: Sendable, Equatable {
        /// A signal is queued (for `take`).
        case signal
        /// The input descriptor has something to read (a key pressed).
        case input
        /// The time passed without either.
        case timeout
    }

    /// Waits up to `seconds` for a signal or, when given, for `input` to be readable
    /// (or to hang up): a signal first when both are ready.
    public func wait(seconds: Double, input: Int32?) throws(Errno) -> Wake {
        let deadline = Timestamp.monotonic() + seconds
        var ready = [pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)]
        if let input { ready.append(pollfd(fd: input, events: Int16(POLLIN), revents: 0)) }
        while true {
            // Asked at least once, so a signal already queued is seen even when no time is left.
            var left = deadline - Timestamp.monotonic()
            let polled = try Errno.retryOnInterrupt {
                left = deadline - Timestamp.monotonic()
                return poll(&ready, nfds_t(ready.count), Int32(max(0, min((left * 1000).rounded(.up), 3_600_000))))
            }
            if polled > 0 { return ready[0].revents != 0 ? .signal : .input }
            if left <= 0 { return .timeout }
        }
    }

    /// The signal queued on the descriptor, nil when none is.
    public func take() throws(Errno) -> Int32? {
        try HiddenSystemCalls.takeSignal(from: fileDescriptor)
    }
}
