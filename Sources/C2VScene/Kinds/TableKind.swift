import C2VUtil

/// `table`: rows of cell texts in a ruled grid filling its area; the first row is bold.
enum TableKind: SceneKind {
    static let kind = ObjectKind.table
    static let keys = ["cells", "size"]
    static let textColored = true

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("cells", "rows of cell texts, like [[x, y], [1, 2]]", &r) {
            if case .sequence(let rows, _) = v, !rows.isEmpty {
                var cells: [[String]] = []
                for row in rows {
                    guard case .sequence(let items, _) = row, !items.isEmpty else {
                        r.fail("each row of `cells` must be a non-empty list", row.location); continue
                    }
                    cells.append(items.map {
                        if case .scalar(let s, _) = $0 { return s }
                        r.fail("a cell must be text", $0.location)
                        return ""
                    })
                }
                if Set(cells.map(\.count)).count > 1 { r.fail("every row of `cells` must have the same number of cells", v.location) }
                o.object.cells = cells
            } else { r.fail("`cells` must be a list of rows", v.location) }
        }
        r.readFontSize(&o)
    }

    static func draw(_ d: inout KindDrawing) {
        let cells = d.object.cells ?? []
        let rows = cells.count, columns = cells.first?.count ?? 0
        guard rows > 0, columns > 0 else { return }
        let r = d.rect
        let size = d.value(d.object.fontSize, 30)
        let cw = r.width / Double(columns), ch = r.height / Double(rows)
        var lines: [[Point2]] = []
        for k in 0...rows { lines.append([Point2(r.x, r.y + ch * Double(k)), Point2(r.maxX, r.y + ch * Double(k))]) }
        for k in 0...columns { lines.append([Point2(r.x + cw * Double(k), r.y), Point2(r.x + cw * Double(k), r.maxY)]) }
        d.path(lines, closed: false, width: d.width * 0.5)
        for (i, row) in cells.enumerated() {
            for (j, cell) in row.enumerated() {
                d.text(cell, at: Point2(r.x + cw * (Double(j) + 0.5), r.y + ch * (Double(i) + 0.5)), size: size, bold: i == 0,
                       color: RGBA(d.theme.text))
            }
        }
    }
}
