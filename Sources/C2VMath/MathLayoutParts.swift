/// Delimiters, accents, bars and environments: the layout rules that draw shapes around content.
extension MathLayoutEngine {
    /// TeX's rule 19: delimiters as tall as the content needs, centred on the axis.
    func delimited(_ inner: LayoutBox, _ left: MathDelimiter, _ right: MathDelimiter, _ context: Context) -> LayoutBox {
        let style = context.style, size = em(style), a = axis(style)
        let delta = max(inner.height - a, inner.depth + a)
        let needed = max(2 * delta * TeXParameters.delimiterFactor, 2 * delta - TeXParameters.delimiterShortfall * size)
        let leftBox = delimiterBox(left, size: needed, context, forceShape: false)
        let rightBox = delimiterBox(right, size: needed, context, forceShape: false)
        var box = LayoutBox()
        var x = 0.0
        for part in [leftBox, inner, rightBox] {
            box.place(part, dx: x, dy: 0)
            box.height = max(box.height, part.height)
            box.depth = max(box.depth, part.depth)
            x += part.width
        }
        box.width = x
        return box
    }

    /// A delimiter at least `size` tall: the font's glyph when that is tall enough, else a path.
    func delimiterBox(_ delimiter: MathDelimiter, size: Double, _ context: Context, forceShape: Bool) -> LayoutBox {
        let style = context.style, em = self.em(style)
        if delimiter == .none {
            var box = LayoutBox()
            box.width = TeXParameters.nullDelimiterSpace * em
            return box
        }
        if !forceShape {
            let glyph = glyphBox(delimiter.rawValue, face: .upright, size: em)
            if glyph.height + glyph.depth >= size * 0.98 { return glyph }
        }
        let top = -(axis(style) + size / 2), bottom = -axis(style) + size / 2
        let shape = MathShapes.delimiter(delimiter, top: top, bottom: bottom, em: em, rule: rule(style))
        var box = LayoutBox()
        box.width = shape.width
        box.height = -top
        box.depth = bottom
        box.items = [MathItem(shape: .paths(shape.paths))]
        return box
    }

    /// An accent drawn as a path over its base, at x-height or above the base's ink.
    func accentBox(_ accent: MathAccent, wide: Bool, _ bodyNodes: [MathNode], _ context: Context) -> LayoutBox {
        let style = context.style, size = em(style)
        let body = layoutList(bodyNodes, context.with(style: style, cramped: true))
        let bottom = -(max(body.height, xHeight(style)) + 0.1 * size)
        // Italic letters lean right: centre the accent over the top of the letter, not its foot.
        let centre = (body.width - body.italicCorrection) / 2 + (body.isCharacter ? body.italicCorrection * 0.9 : 0)
        let shape = MathShapes.accent(accent, centre: centre, bottom: bottom, width: wide ? max(body.width, 0.4 * size) : nil,
                                      em: size, rule: rule(style))
        var box = body
        box.items.append(MathItem(shape: .paths(shape.paths)))
        box.height = max(body.height, -(bottom - shape.height))
        box.isCharacter = false
        return box
    }

    /// `\overline` and `\underline`: a rule three rule-widths clear of the ink.
    func overlineBox(_ bodyNodes: [MathNode], _ context: Context, under: Bool) -> LayoutBox {
        let style = context.style, theta = rule(style)
        var box = layoutList(bodyNodes, context.with(style: style, cramped: context.cramped || !under))
        box.isCharacter = false
        if under {
            let y = box.depth + 3 * theta
            box.items.append(MathItem(shape: .rule(MathRect(x: 0, y: y, width: box.width, height: theta))))
            box.depth = y + 2 * theta
        } else {
            let y = -(box.height + 3 * theta)
            box.items.append(MathItem(shape: .rule(MathRect(x: 0, y: y - theta, width: box.width, height: theta))))
            box.height = -y + 2 * theta
        }
        return box
    }

    /// `pmatrix`, `bmatrix`, `cases`, ...: cells in text style on struts, the block centred on the axis.
    func environmentBox(_ environment: MathEnvironment, _ rows: [[[MathNode]]], _ context: Context) -> LayoutBox {
        let cellStyle = max(context.style, .text)
        let cellContext = Context(style: cellStyle, cramped: false, variant: context.variant)
        let cells = rows.map { $0.map { layoutList($0, cellContext) } }
        let columns = cells.map(\.count).max() ?? 0
        let size = em(cellStyle)
        let isCases = environment == .cases
        let stretch = isCases ? 1.2 : 1.0
        let columnGap = 1.0 * size
        var widths = [Double](repeating: 0, count: columns)
        for row in cells { for (j, cell) in row.enumerated() { widths[j] = max(widths[j], cell.width) } }
        let heights = cells.map { row in row.reduce(0.85 * stretch * size) { max($0, $1.height) } }
        let depths = cells.map { row in row.reduce(0.35 * stretch * size) { max($0, $1.depth) } }
        let total = zip(heights, depths).reduce(0) { $0 + $1.0 + $1.1 }
        let a = axis(context.style)
        var box = LayoutBox()
        var y = -(a + total / 2)
        for (i, row) in cells.enumerated() {
            y += heights[i]
            var x = 0.0
            for (j, cell) in row.enumerated() {
                let dx = isCases ? 0 : (widths[j] - cell.width) / 2
                box.place(cell, dx: x + dx, dy: y)
                x += widths[j] + columnGap
            }
            y += depths[i]
        }
        box.width = widths.reduce(0, +) + columnGap * Double(max(0, columns - 1))
        box.height = a + total / 2
        box.depth = total / 2 - a
        let (left, right) = environment.delimiters
        guard left != .none || right != .none else { return box }
        // amsmath puts a thin gap between the delimiters and the cells of a matrix.
        var padded = LayoutBox()
        let pad = isCases ? 0.15 * size : 0.1 * size
        padded.place(box, dx: pad, dy: 0)
        padded.width = box.width + pad * (right == .none ? 1 : 2)
        padded.height = box.height
        padded.depth = box.depth
        return delimited(padded, left, right, context)
    }
}
