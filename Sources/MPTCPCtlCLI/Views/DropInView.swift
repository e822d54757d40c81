/// The systemd drop-in `enable` writes (`UNIT.d/50-mptcp.conf`), byte for byte, and what
/// `enable --list` prints.
enum DropInView {
    static let fileName = "50-mptcp.conf"
    /// How a drop-in of mptcpctl starts: the file `disable` removes and `--list` lists.
    static let marker = "# Written by mptcpctl enable:"

    /// The drop-in for `unit`: `environment` in the unit file's specifier form (each
    /// variable once, in order), and where the values merged in came from (paths as
    /// systemd sees them), named in a comment.
    static func text(unit: String, environment: [(name: String, value: String)],
                     mergedFrom: [(variable: String, file: String)]) -> String {
        var text = "\(marker) TCP sockets of this service are MPTCP (mptcpctl disable \(unit) removes it).\n"
        if !mergedFrom.isEmpty {
            // Grouped by file, in the order the files first come: "LD_PRELOAD and GODEBUG from /etc/…".
            var files: [String] = []
            for entry in mergedFrom where !files.contains(entry.file) { files.append(entry.file) }
            let sources = files.map { file in
                mergedFrom.filter { $0.file == file }.map(\.variable).joined(separator: " and ") + " from " + printable(file)
            }.joined(separator: ", ")
            text += "# Merged with the unit's own \(sources): re-run enable after the unit changes.\n"
        }
        text += "[Service]\nEnvironment="
        text += environment.map { quoted("\($0.name)=\($0.value)") }.joined(separator: " ") + "\n"
        return text
    }

    /// A word of `Environment=` in double quotes: '\' and '"' escaped, and a control
    /// character (none should come: `controlCharacter` refuses them first) as `\xNN`,
    /// never raw.
    static func quoted(_ word: String) -> String {
        var out = "\""
        for scalar in word.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default: out += isControl(scalar) ? hex(scalar) : String(scalar)
            }
        }
        return out + "\""
    }

    /// The first control character of `value` (C0 or DEL): systemd ends a line at NUL,
    /// '\n' and '\r', so a value with one cannot be written back as it is.
    static func controlCharacter(in value: String) -> Unicode.Scalar? {
        value.unicodeScalars.first(where: isControl)
    }

    /// `text` fit for one line of a comment or a message: a control character as a C
    /// escape (`\n`, `\x1b`). ('\' stays: unit names hold it, `foo\x2dbar.service`.)
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += isControl(scalar) ? hex(scalar) : String(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }

    /// `\xNN`, which systemd's C escapes read back as the byte.
    static func hex(_ scalar: Unicode.Scalar) -> String {
        "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
    }

    /// A literal value in specifier form: '%' doubled, so systemd reads it back as it is.
    static func specifierEscaped(_ literal: String) -> String {
        var out = ""
        for character in literal { out += character == "%" ? "%%" : String(character) }
        return out
    }

    /// The refusal of a value the drop-in would carry, `variable`'s in `file`, holding
    /// the control character `character`.
    static func controlCharacter(_ character: Unicode.Scalar, variable: String, file: String) -> CLIError {
        .environment("enable: \(printable(file)) sets \(variable) to a value with a control character (\(hex(character))), which "
            + "systemd would read as the end of a line or worse: not written back; fix the unit first")
    }

    /// The refusal of a unit file or drop-in systemd cannot read either.
    static func unreadable(_ file: String, _ problem: UnitFile.Problem) -> CLIError {
        switch problem {
        case let .lineTooLong(line):
            return .environment("enable: \(printable(file)): line \(line) is 1 MiB or longer (continuation lines joined), "
                + "which systemd refuses: the unit does not load; fix it first")
        }
    }

    /// `enable --list`: one unit a line.
    static func text(_ entries: [(unit: String, file: String, fallback: Bool)]) -> String {
        entries.map { $0.unit + "\n" }.joined()
    }

    /// `enable --list -j`: [{unit, file, no_fallback}].
    static func json(_ entries: [(unit: String, file: String, fallback: Bool)]) -> JSON {
        .array(entries.map { .object([("unit", .string($0.unit)), ("file", .string($0.file)), ("no_fallback", .bool(!$0.fallback))]) })
    }
}
