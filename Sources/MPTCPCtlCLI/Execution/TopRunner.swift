import Glibc
import MPTCPKit

/// `top`: reads the connections every `--delay` seconds and shows each sample's rates
/// (over the interval since the reading before) until `--iterations` samples are
/// shown, `q` is pressed, or SIGINT, SIGTERM or SIGHUP asks it to stop (exit 0). The
/// first reading only sets the counters: the first sample comes one delay later.
///
/// On a terminal (and without -j) the samples fill the screen (`TopScreen`), with keys;
/// otherwise each is printed after the other, as text or one JSON line.
struct TopRunner {
    let context: Context
    let line: LineOptions

    /// Reads the connections and turns them into rates; a namespace that could not be
    /// read is reported once until that changes.
    private struct Sampling {
        let reader: ConnectionsRunner
        var sampler = TrafficSampler()
        var lastFailure = ""

        /// One reading, timed at its middle, the namespaces that could not be read (nil:
        /// none), and whether that is news.
        mutating func read() throws(CLIError) -> (sample: TrafficSample, failure: String?, isNew: Bool) {
            let start = Timestamp.monotonic()
            let (read, failed) = try reader.read(listening: false, operation: "top")
            let end = Timestamp.monotonic()
            let failure = failed.joined(separator: "; ")
            defer { lastFailure = failure }
            let report = failure.isEmpty ? nil : "top: \(failed.count) namespace(s) could not be read: \(failure)"
            return (sampler.sample(read, at: (start + end) / 2), report, failure != lastFailure)
        }
    }

    func run(_ options: TopOptions) throws(CLIError) {
        let terminal = line.format.json ? nil : context.terminal(context.console)
        let stop: SignalDescriptor
        do throws(Errno) {
            // On the screen also a resize, a hang-up and ^Z, each handled in the loop.
            stop = try SignalDescriptor(terminal == nil ? [SIGINT, SIGTERM, SIGHUP] : [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP])
        } catch {
            throw .environment("top: cannot catch SIGINT, SIGTERM and SIGHUP: \(error)")
        }
        // One reader per namespace, its sockets kept open from one sample to the next.
        var sampling = Sampling(reader: ConnectionsRunner(context: context.keepingConnectionReaders(), line: line))
        if let terminal {
            var screen = Screen(runner: self, options: options, terminal: terminal, stop: stop, sampling: sampling)
            try screen.run()
        } else {
            try printLines(options, stop: stop, sampling: &sampling)
        }
    }

    /// The samples printed one after the other (text, or NDJSON with -j).
    private func printLines(_ options: TopOptions, stop: SignalDescriptor, sampling: inout Sampling) throws(CLIError) {
        let view = TopView(options: options, showNetns: line.allNetns)
        var next = Timestamp.monotonic() + options.delay
        if let failure = try sampling.read().failure { context.console.warn(failure) }  // the first is always news
        var printed = 0
        var buffer = TextBuffer()
        while true {
            let woken: Bool
            do throws(Errno) { woken = try stop.wait(seconds: next - Timestamp.monotonic()) } catch {
                throw .environment("top: waiting for the next sample: \(error)")
            }
            if woken { return }
            let (read, failure, isNew) = try sampling.read()
            if let failure, isNew { context.console.warn(failure) }
            let sample = view.shown(read)
            let time = Timestamp.now()
            if line.format.json {
                buffer = view.jsonLine(sample, time: time, pretty: line.format.pretty, reusing: buffer)
                context.console.write(buffer)
            } else {
                context.console.line(view.text(sample, time: time))
            }
            printed += 1
            if let iterations = options.iterations, printed >= iterations { return }
            // On schedule; a reading slower than the delay starts the next from now.
            next = max(next + options.delay, Timestamp.monotonic())
        }
    }

    /// The full-screen view and its keys: q quits, s sorts by the next key, p pauses
    /// the display (the readings go on, so the rates stay right), ? shows the keys.
    private struct Screen {
        let runner: TopRunner
        var options: TopOptions
        let terminal: Terminal
        let stop: SignalDescriptor
        var sampling: Sampling
        var screen = TopScreen()
        var sample: TrafficSample?
        var time: Timestamp?
        var paused = false
        var showingKeys = false
        var status: String?

        init(runner: TopRunner, options: TopOptions, terminal: Terminal, stop: SignalDescriptor, sampling: Sampling) {
            self.runner = runner
            self.options = options
            self.terminal = terminal
            self.stop = stop
            self.sampling = sampling
        }

        func draw() {
            let view = TopView(options: options, showNetns: runner.line.allNetns)
            let (rows, columns) = terminal.size
            terminal.draw(screen.frame(sample.map(view.shown), time: time, options: options, showNetns: runner.line.allNetns,
                                       paused: paused, showingKeys: showingKeys, status: status, rows: rows, columns: columns,
                                       style: .init(colour: terminal.colour, unicode: terminal.unicode)))
        }

        /// Runs until q, a signal or --iterations; the terminal is given back in every case.
        mutating func run() throws(CLIError) {
            try terminal.enter()
            defer { terminal.restore() }
            draw()
            var next = Timestamp.monotonic() + options.delay
            status = try sampling.read().failure
            var shown = 0
            while true {
                let wake: SignalDescriptor.Wake
                do throws(Errno) {
                    wake = try stop.wait(seconds: next - Timestamp.monotonic(), input: terminal.keyDescriptor)
                } catch {
                    throw .environment("top: waiting for the next sample: \(error)")
                }
                switch wake {
                case .signal:
                    let number: Int32?
                    do throws(Errno) { number = try stop.take() } catch { throw .environment("top: reading signals: \(error)") }
                    switch number {
                    case SIGWINCH?:
                        draw()
                    case SIGTSTP?:
                        // Stopped as the shell expects, with the shell's screen back meanwhile.
                        terminal.restore()
                        kill(getpid(), SIGSTOP)
                        try terminal.enter()
                        draw()
                    default:
                        return
                    }
                case .input:
                    let keys = terminal.keys()
                    // Readable with nothing to read: the terminal hung up.
                    if keys.isEmpty { return }
                    for key in keys {
                        if showingKeys {
                            showingKeys = false
                            continue
                        }
                        switch key {
                        case UInt8(ascii: "q"), UInt8(ascii: "Q"):
                            return
                        case UInt8(ascii: "s"):
                            let all = TopOptions.SortKey.allCases
                            options.sort = all[((all.firstIndex(of: options.sort) ?? 0) + 1) % all.count]
                        case UInt8(ascii: "p"):
                            paused.toggle()
                        case UInt8(ascii: "?"), UInt8(ascii: "h"):
                            showingKeys = true
                        default:
                            break
                        }
                    }
                    draw()
                case .timeout:
                    let (read, failure, _) = try sampling.read()
                    status = failure
                    if !paused {
                        screen.record(read)
                        sample = read
                        time = Timestamp.now()
                        shown += 1
                    }
                    draw()
                    if let iterations = options.iterations, shown >= iterations { return }
                    next = max(next + options.delay, Timestamp.monotonic())
                }
            }
        }
    }
}
