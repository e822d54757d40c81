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
                mergedFrom.filter { $0.file == file }.map(\.variable).joined(separator: " and ") + " from " + file
            }.joined(separator: ", ")
            text += "# Merged with the unit's own \(sources): re-run enable after the unit changes.\n"
        }
        text += "[Service]\nEnvironment="
        text += environment.map { quoted("\($0.name)=\($0.value)") }.joined(separator: " ") + "\n"
        return text
    }

    /// A word of `Environment=` in double quotes: '\' and '"' escaped, and the control
    /// characters a line cannot hold.
    static func quoted(_ word: String) -> String {
        var out = "\""
        for character in word {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// A literal value in specifier form: '%' doubled, so systemd reads it back as it is.
    static func specifierEscaped(_ literal: String) -> String {
        var out = ""
        for character in literal { out += character == "%" ? "%%" : String(character) }
        return out
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
