import Glibc
import MPTCPKit

/// `top`: reads the connections every `--delay` seconds and prints each sample's rates
/// (over the interval since the reading before) until `--iterations` samples are
/// printed or SIGINT or SIGTERM asks it to stop (exit 0). The first reading only sets
/// the counters: the first sample comes one delay later, with rates.
struct TopRunner {
    let context: Context
    let line: LineOptions

    func run(_ options: TopOptions) throws(CLIError) {
        let stop: SignalDescriptor
        do throws(Errno) {
            stop = try SignalDescriptor([SIGINT, SIGTERM])
        } catch {
            throw .environment("top: cannot catch SIGINT and SIGTERM: \(error)")
        }
        let reader = ConnectionsRunner(context: context.keepingConnectionReaders(), line: line)
        let view = TopView(options: options, showNetns: line.allNetns)
        var sampler = TrafficSampler()
        var lastFailure = ""
        /// One reading, timed at its middle; namespaces that could not be read are
        /// warned of once until that changes.
        func reading() throws(CLIError) -> TrafficSample {
            let start = Timestamp.monotonic()
            let (read, failed) = try reader.read(listening: false, operation: "top")
            let end = Timestamp.monotonic()
            let failure = failed.joined(separator: "; ")
            if failure != lastFailure, !failure.isEmpty {
                context.console.warn("top: \(failed.count) namespace(s) could not be read: \(failure)")
            }
            lastFailure = failure
            return sampler.sample(read, at: (start + end) / 2)
        }
        var next = Timestamp.monotonic() + options.delay
        _ = try reading()
        var printed = 0
        while true {
            let woken: Bool
            do throws(Errno) { woken = try stop.wait(seconds: next - Timestamp.monotonic()) } catch {
                throw .environment("top: waiting for the next sample: \(error)")
            }
            if woken { return }
            let sample = view.shown(try reading())
            let time = Timestamp.now()
            context.console.line(line.format.json ? view.json(sample, time: time).rendered(pretty: line.format.pretty)
                                                  : view.text(sample, time: time))
            printed += 1
            if let iterations = options.iterations, printed >= iterations { return }
            // On schedule; a reading slower than the delay starts the next from now.
            next = max(next + options.delay, Timestamp.monotonic())
        }
    }
}
