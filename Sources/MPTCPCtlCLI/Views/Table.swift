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
        var text = TextBuffer()
        render(into: &text, indent: indent)
        return text.text
    }

    /// `rendered`, appended to `text`.
    func render(into text: inout String, indent: String = "") {
        text += rendered(indent: indent)
    }

    /// `rendered`, appended to `text` (a long listing builds one buffer, not one a
    /// table). Each cell's width is counted once.
    func render(into text: inout TextBuffer, indent: String = "") {
        var widths = header.map(Self.width)
        var cellWidths: [Int] = []
        cellWidths.reserveCapacity(rows.count * widths.count)
        for row in rows {
            for (column, cell) in row.enumerated() {
                let width = Self.width(cell)
                cellWidths.append(width)
                if column < widths.count { widths[column] = max(widths[column], width) }
            }
        }
        func line(_ row: [String], _ cellWidth: (Int) -> Int) {
            let start = text.count
            text.append(indent)
            for (column, cell) in row.enumerated() {
                text.append(cell)
                if column < row.count - 1 { text.append(spaces: widths[column] - cellWidth(column) + 2) }
            }
            text.removeTrailingSpaces(downTo: start)
        }
        line(header) { Self.width(header[$0]) }
        var first = 0
        for row in rows {
            text.append(byte: 0x0A)
            line(row) { cellWidths[first + $0] }
            first += row.count
        }
    }
}
