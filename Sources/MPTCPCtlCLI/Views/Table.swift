/// Aligned text columns, as admins read them: a header row, then one row per item.
struct Table {
    var header: [String]
    var rows: [[String]] = []

    init(header: [String]) { self.header = header }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// How many columns a cell takes: its characters, counted fast when all are ASCII
    /// (a thousand-row table of addresses would otherwise spend its time in grapheme
    /// breaking).
    static func width(_ cell: String) -> Int {
        cell.utf8.allSatisfy { $0 < 0x80 } ? cell.utf8.count : cell.count
    }

    /// Each column as wide as its widest cell, two spaces apart, no trailing blanks;
    /// every line after `indent`.
    func rendered(indent: String = "") -> String {
        var text = ""
        render(into: &text, indent: indent)
        return text
    }

    /// `rendered`, appended to `text` (a long listing builds one string, not one a table).
    func render(into text: inout String, indent: String = "") {
        var widths = header.map(Self.width)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count { widths[column] = max(widths[column], Self.width(cell)) }
        }
        let blanks = String(repeating: " ", count: (widths.max() ?? 0) + 2)
        func line(_ row: [String]) {
            let start = text.utf8.count
            text += indent
            for (column, cell) in row.enumerated() {
                text += cell
                if column < row.count - 1 { text += blanks.prefix(widths[column] - Self.width(cell) + 2) }
            }
            while text.utf8.count > start, text.utf8.last == 0x20 { text.removeLast() }
        }
        line(header)
        for row in rows {
            text += "\n"
            line(row)
        }
    }
}
