import Glibc

/// The terminal a full-screen view (`top`) draws on: standard input and output when
/// both are terminals and `TERM` names one that can move the cursor. It takes the
/// terminal over (the alternate screen, the cursor hidden, keys read one by one without
/// echo) and gives it back as it found it; `restore` is safe to call more than once.
///
/// Only the VT100/ECMA-48 sequences every terminal emulator and tmux understand are
/// used (no terminfo database: nothing to load at start-up). Colour (bold and reverse
/// video, no hues) is left out when `NO_COLOR` is set (no-color.org) or the terminal is
/// monochrome by name; the sparkline's blocks need a UTF-8 locale, else ASCII stands in.
final class Terminal {
    /// Where drawing goes.
    private let console: Console
    private let input: Int32
    private let output: Int32
    /// Bold and reverse video allowed.
    let colour: Bool
    /// Block characters allowed (a UTF-8 locale).
    let unicode: Bool
    private var saved: termios?

    /// The terminal of standard input and output, nil when either is not one or `TERM`
    /// is unset, empty or "dumb" (a text view is printed instead).
    static func standard(console: Console) -> Terminal? {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { return nil }
        return Terminal(console: console, input: STDIN_FILENO, output: STDOUT_FILENO) { name in
            getenv(name).map { String(cString: $0) }
        }
    }

    /// nil when `TERM` cannot draw a screen.
    init?(console: Console, input: Int32, output: Int32, environment: (String) -> String?) {
        let name = environment("TERM") ?? ""
        guard !name.isEmpty, name != "dumb" else { return nil }
        self.console = console
        self.input = input
        self.output = output
        colour = (environment("NO_COLOR") ?? "").isEmpty && !name.hasSuffix("-m") && !name.hasSuffix("-mono")
        // The first of LC_ALL, LC_CTYPE and LANG that is set, as setlocale(3) takes them.
        var locale = ""
        for name in ["LC_ALL", "LC_CTYPE", "LANG"] where locale.isEmpty { locale = environment(name) ?? "" }
        let lowered = locale.lowercased()
        unicode = lowered.contains("utf-8") || lowered.contains("utf8")
    }

    deinit { restore() }

    /// The descriptor keys arrive on (for `SignalDescriptor.wait`).
    var keyDescriptor: Int32 { input }

    /// Rows and columns; 24×80 when the terminal does not say.
    var size: (rows: Int, columns: Int) {
        var window = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 else { return (24, 80) }
        return (Int(window.ws_row), Int(window.ws_col))
    }

    /// Keys one at a time without echo (signals from ^C and ^Z still work), the
    /// alternate screen, the cursor hidden.
    func enter() throws(CLIError) {
        if saved == nil {
            var settings = termios()
            guard tcgetattr(input, &settings) == 0 else {
                throw .environment("top: cannot read the terminal's settings: \(String(cString: strerror(errno)))")
            }
            saved = settings
            settings.c_lflag &= ~tcflag_t(ICANON | ECHO)
            // Reads return what is there, even nothing: poll says when to read.
            withUnsafeMutableBytes(of: &settings.c_cc) { cc in
                cc[Int(VMIN)] = 0
                cc[Int(VTIME)] = 0
            }
            guard tcsetattr(input, TCSANOW, &settings) == 0 else {
                saved = nil
                throw .environment("top: cannot set the terminal's mode: \(String(cString: strerror(errno)))")
            }
        }
        console.write("\u{1b}[?1049h\u{1b}[?25l\u{1b}[H\u{1b}[2J", .output)
    }

    /// The screen, cursor and mode as they were before `enter`.
    func restore() {
        guard var settings = saved else { return }
        saved = nil
        console.write("\u{1b}[?25h\u{1b}[?1049l", .output)
        _ = tcsetattr(input, TCSANOW, &settings)
    }

    /// The keys pressed since the last call (bytes as typed).
    func keys() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        return count > 0 ? Array(buffer[..<count]) : []
    }

    /// Replaces the screen with `lines` (each already fitted to the width), in one
    /// write: from the top left, each line's rest cleared, everything below cleared.
    func draw(_ lines: [String]) {
        var text = "\u{1b}[H"
        for (index, line) in lines.enumerated() {
            if index > 0 { text += "\r\n" }
            text += line + "\u{1b}[K"
        }
        text += "\u{1b}[J"
        console.write(text, .output)
    }
}
