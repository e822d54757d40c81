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
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { Self.width($0[column]) }.max() ?? 0 }
        let blanks = String(repeating: " ", count: (widths.max() ?? 0) + 2)
        var text = ""
        for (index, row) in all.enumerated() {
            if index > 0 { text += "\n" }
            var line = indent
            for (column, cell) in row.enumerated() {
                line += cell
                if column < row.count - 1 { line += blanks.prefix(widths[column] - Self.width(cell) + 2) }
            }
            while line.utf8.last == 0x20 { line.removeLast() }
            text += line
        }
        return text
    }
}
