import C2VLesson
import C2VMath

/// `text`: plain text or the Pango markup subset, at a cell, an edge of one, or a point.
enum TextKind: SceneKind {
    static let kind = ObjectKind.text
    static let keys = ["text", "size", "font", "bold"]
    static let layer = 1.0
    static let textColored = true
    static let fonts = ["sans", "serif", "mono"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("text", "the words to show", &r), case .scalar(let s, let at) = v {
            let (t, live) = r.liveText(s, at: at, bindings: o.bindings)
            r.checkMarkup(t, at: at)
            r.checkInlineMath(t, at: at, what: "`text`")
            o.object.text = t
            o.object.liveText = live
        } else if let v = o["text"] { _ = r.text(v, what: "`text`") }
        r.readFontSize(&o)
        if let v = o["font"], let s = r.text(v, what: "`font`") {
            if fonts.contains(s) { o.object.font = s } else { r.fail("unknown font `\(s)`" + suggestion(s, fonts), v.location) }
        }
        if let v = o["bold"] { o.object.bold = r.bool(v, what: "`bold`") }
    }

    static func draw(_ d: inout KindDrawing) {
        drawText(&d, math: false)
    }

    /// Text and formulas alike: centred in their box, or with an edge on the cell's edge.
    static func drawText(_ d: inout KindDrawing, math: Bool) {
        let object = d.object
        let size = d.value(object.fontSize, math ? 44 : SceneLayout.objectFontSize)
        var alignX = 0.0, alignY = 0.0
        if let at = object.at, case .grid = at.base, at.edge != .center {
            // `B2.left`: the text's left edge sits on the cell's left edge (`rect` is already
            // centred on that point).
            let u = at.edge.unit
            alignX = u.x; alignY = u.y
        }
        var s = object.text ?? ""
        if let pieces = object.liveText { s = d.live(pieces) }
        d.text(s, at: d.rect.center, size: size, bold: object.bold ?? false,
               font: math ? .serif : TextFont(rawValue: object.font ?? "sans") ?? .sans,
               alignX: alignX, alignY: alignY, markup: !math && s.contains("<"), math: math)
    }
}

/// `math`: a TeX formula, typeset by C2VMath.
enum MathKind: SceneKind {
    static let kind = ObjectKind.math
    static let keys = ["tex", "size"]
    static let layer = 1.0
    static let textColored = true

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("tex", "a formula like \"a^2 + b^2 = c^2\"", &r), let s = r.text(v, what: "`tex`") {
            if let (index, escape) = SceneReader.escapedControl(in: s) {
                // "\frac{a}{b}" in double quotes arrives as a form feed and "rac{a}{b}".
                r.fail("`tex` holds a control character where \(escape) was read as a YAML escape (so the formula lost a backslash "
                       + "command): write TeX in single quotes, like tex: '\\frac{a}{b} \\theta'",
                       SceneParser.location(v.location, offset: index))
                o.ok = false
                return
            }
            let tex = r.interpolate(s, at: v.location, bindings: o.bindings)
            do {
                _ = try MathFormula(tex)
                o.object.text = tex
            } catch {
                r.fail("in formula: \(error.message)", SceneParser.location(v.location, offset: error.offset))
            }
        }
        r.readFontSize(&o)
    }

    static func draw(_ d: inout KindDrawing) {
        TextKind.drawText(&d, math: true)
    }
}
