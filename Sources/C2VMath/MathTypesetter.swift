internal import CC2VCairo
import C2VUtil

/// Lays out ``MathFormula``s with Pango and draws them with Cairo.
///
/// One typesetter belongs to one task (it holds Pango objects); it caches glyph layouts and
/// finished boxes, so typesetting the same formula every frame costs a dictionary lookup.
public final class MathTypesetter {
    /// The font family every glyph is set in.
    public let fontFamily: String

    private struct BoxKey: Hashable {
        var source: String
        var fontSize: Double
        var display: Bool
        var scale: Double
    }

    /// Beyond this many boxes the box cache is emptied.
    static let maxCachedBoxes = 512

    private let glyphs: MathGlyphCache
    private var boxes: [BoxKey: MathBox] = [:]

    /// Makes a typesetter for `fontFamily`; throws if that family is not installed.
    public init(fontFamily: String = "DejaVu Serif") throws {
        self.fontFamily = fontFamily
        glyphs = try MathGlyphCache(family: fontFamily)
    }

    /// Typesets `formula` at `fontSize` caller units, in display style (`\[...\]`) or inline style.
    ///
    /// - Parameter scale: device pixels per caller unit (the Cairo scale the caller will draw with);
    ///   glyphs are measured at their real pixel size so positions match what is drawn.
    public func layout(_ formula: MathFormula, fontSize: Double, display: Bool, scale: Double = 1) -> MathBox {
        let scale = scale.isFinite && scale > 0 ? scale : 1
        let key = BoxKey(source: formula.source, fontSize: fontSize, display: display, scale: scale)
        if let box = boxes[key] { return box }
        guard fontSize.isFinite, fontSize > 0 else {
            return MathBox(width: 0, ascent: 0, descent: 0, parts: [:], partGlyphs: [:], glyphCount: 0, scale: scale, items: [])
        }
        let engine = MathLayoutEngine(glyphs: glyphs, fontSize: fontSize, scale: scale)
        let laidOut = engine.layoutList(formula.nodes, .init(style: display ? .display : .text))
        let box = Self.finish(laidOut, scale: scale)
        if boxes.count >= Self.maxCachedBoxes { boxes.removeAll(keepingCapacity: true) }
        boxes[key] = box
        return box
    }

    /// Parses and typesets in one step.
    public func layout(_ source: String, fontSize: Double, display: Bool, scale: Double = 1) throws(MathSyntaxError) -> MathBox {
        layout(try MathFormula(source), fontSize: fontSize, display: display, scale: scale)
    }

    /// Draws `box` with its baseline's left end at (`x`, `baseline`) in `cr`'s user space.
    ///
    /// - Parameters:
    ///   - cr: a `cairo_t *`. Its state is saved and restored.
    ///   - color: colour of everything not coloured by `\color`; its alpha fades the whole formula
    ///     evenly (overlapping strokes are composited once, not darkened).
    ///   - glyphLimit: draw only the first N glyphs (in drawing order), for a writing-on animation;
    ///     nil draws everything.
    ///   - glyphs: draw only the items whose glyphs fall in these ranges (rules and paths go with the
    ///     glyph position they stand at), for moving a named part on its own; nil draws everything.
    public func draw(_ box: MathBox, on cr: OpaquePointer, x: Double, baseline: Double,
                     color: (r: Double, g: Double, b: Double, a: Double), glyphLimit: Int? = nil,
                     glyphs ranges: [Range<Int>]? = nil) {
        var remaining = glyphLimit ?? Int.max
        guard remaining > 0, color.a > 0, !box.items.isEmpty else { return }
        var position = 0
        func selected(_ count: Int) -> Bool {
            guard let ranges else { return true }
            let at = position
            return ranges.contains { $0.contains(at) }
        }
        cairo_save(cr)
        cairo_translate(cr, x, baseline)
        let faded = color.a < 1
        if faded {
            // Limit the group to the formula's extent; a margin covers ink outside the logical box.
            let bounds = box.bounds, margin = 0.5 * (bounds.height + 1)
            cairo_rectangle(cr, bounds.x - margin, bounds.y - margin, bounds.width + 2 * margin, bounds.height + 2 * margin)
            cairo_clip(cr)
            cairo_push_group(cr)
        }
        for item in box.items {
            guard remaining > 0 else { break }
            defer { position += item.glyphCount }
            guard selected(item.glyphCount) else { continue }
            if let c = item.color {
                cairo_set_source_rgb(cr, Double(c.red) / 255, Double(c.green) / 255, Double(c.blue) / 255)
            } else {
                cairo_set_source_rgb(cr, color.r, color.g, color.b)
            }
            switch item.shape {
            case .run(let run, let x, let y):
                drawRun(run, on: cr, x: x, y: y, scale: box.scale, glyphs: min(remaining, run.glyphCount))
            case .rule(let rect):
                cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
                cairo_fill(cr)
            case .paths(let paths):
                for path in paths { drawPath(path, on: cr) }
            }
            remaining -= item.glyphCount
        }
        if faded {
            cairo_pop_group_to_source(cr)
            cairo_paint_with_alpha(cr, color.a)
        }
        cairo_restore(cr)
        cairo_new_path(cr)
    }

    private func drawRun(_ run: MathGlyphRun, on cr: OpaquePointer, x: Double, y: Double, scale: Double, glyphs count: Int) {
        cairo_save(cr)
        if count < run.glyphCount, count > 0, count <= run.prefixEnds.count {
            // Reveal part of a run by clipping at the end of its first `count` characters.
            cairo_rectangle(cr, x - run.size, y - 2 * run.size, run.prefixEnds[count - 1] + run.size, 4 * run.size)
            cairo_clip(cr)
        }
        cairo_translate(cr, x, y)
        cairo_scale(cr, 1 / scale, 1 / scale)
        glyphs.withLayout(run.text, face: run.face, pixelSize: run.size * scale) { layout, baseline in
            cairo_move_to(cr, 0, -baseline)
            pango_cairo_show_layout(cr, layout)
        }
        cairo_restore(cr)
        cairo_new_path(cr)
    }

    private func drawPath(_ path: MathPath, on cr: OpaquePointer) {
        cairo_new_path(cr)
        for element in path.elements {
            switch element {
            case .move(let x, let y): cairo_move_to(cr, x, y)
            case .line(let x, let y): cairo_line_to(cr, x, y)
            case .curve(let a, let b, let c, let d, let e, let f): cairo_curve_to(cr, a, b, c, d, e, f)
            case .arc(let x, let y, let radius):
                cairo_new_sub_path(cr)
                cairo_arc(cr, x, y, radius, 0, 2 * Double.pi)
            case .close: cairo_close_path(cr)
            }
        }
        if path.fill {
            if path.strokeWidth != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let width = path.strokeWidth {
            cairo_set_line_width(cr, width)
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
            cairo_stroke(cr)
        }
    }

    /// Turns a laid-out box into the public value: glyph counts and part glyph ranges in drawing order.
    private static func finish(_ box: LayoutBox, scale: Double) -> MathBox {
        var glyphCount = 0
        var partGlyphs: [String: Range<Int>] = [:]
        for item in box.items {
            let start = glyphCount
            glyphCount += item.glyphCount
            for part in item.parts {
                let range = partGlyphs[part].map { min($0.lowerBound, start)..<max($0.upperBound, glyphCount) }
                partGlyphs[part] = range ?? start..<glyphCount
            }
        }
        for name in box.parts.keys where partGlyphs[name] == nil { partGlyphs[name] = glyphCount..<glyphCount }
        return MathBox(width: box.width, ascent: box.height, descent: box.depth, parts: box.parts,
                       partGlyphs: partGlyphs, glyphCount: glyphCount, scale: scale, items: box.items)
    }
}

extension MathTypesetter {
    /// TeX subset -> glyph runs and rules (parser, layout, fonts, fallbacks).
    public static let component = ComponentVersion("math.typesetter", 1)
}
