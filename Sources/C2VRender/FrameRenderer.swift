internal import CC2VCairo
import C2VLesson
import C2VMath
import C2VScene
import C2VUtil
import Foundation

/// Draws frames of one scene: title on top, lecture column on the left with the current
/// line highlighted, visuals on the right. Not thread-safe: one renderer per render step.
public final class FrameRenderer {
    public let scene: Scene
    public let theme: Theme
    public let width: Int
    public let height: Int
    /// Bumped whenever drawing changes for the same draw items and theme; part of render keys.
    /// 5: drawing changed at 4 (the axis label move re-recorded goldens).
    /// 6: long titles shrink, then wrap; lecture lines leave no single word on their last row;
    /// a moved camera is clipped to the visual area.
    public static let component = ComponentVersion("render.frames", 6)

    private let transform: (scale: Double, dx: Double, dy: Double)
    /// Layouts belong to a Pango context made for this renderer; any Cairo target can show them.
    private let measureCanvas: CairoCanvas
    private let layouts: TextLayouts
    private let evaluator: SceneEvaluator
    /// Each lecture line's wrap width (`SceneLayout.lineWrapWidth`) drawn bold (the current
    /// line, as the Critic measures it) and regular.
    private let wrapWidths: [(bold: Double, regular: Double)]
    /// Objects the camera does not film.
    private let pinned: Set<String>
    private let images: SceneImages

    public init(scene: Scene, theme: Theme, width: Int, height: Int) throws {
        self.scene = scene
        self.theme = theme
        self.width = width
        self.height = height
        transform = SceneLayout.transform(width: width, height: height)
        measureCanvas = try CairoCanvas(width: 1, height: 1)
        layouts = TextLayouts(context: measureCanvas.context, fontFamily: theme.font, scale: transform.scale)
        layouts.mathFontFamily = theme.mathFont
        evaluator = try SceneEvaluator(scene: scene, theme: theme, measurer: layouts)
        wrapWidths = scene.lines.map { [layouts] in
            (SceneLayout.lineWrapWidth($0.text, bold: true, measurer: layouts), SceneLayout.lineWrapWidth($0.text, bold: false, measurer: layouts))
        }
        images = SceneImages(scene: scene)
        pinned = Set(scene.objects.filter { $0.pinned == true }.map(\.id))
    }

    /// Draws the frame at `time` seconds into BGRA memory (Cairo ARGB32 layout).
    public func draw(at time: Double, into pixels: UnsafeMutableRawPointer, stride: Int) throws {
        let canvas = try CairoCanvas(pixels: pixels, width: width, height: height, stride: stride)
        draw(at: time, on: canvas.context)
        cairo_surface_flush(canvas.surface)
        if let error = images.error { throw error }
    }

    /// Draws the frame at `time` onto a canvas (keyframes for the vision critic).
    func draw(at time: Double, onto cr: OpaquePointer) {
        draw(at: time, on: cr)
    }

    /// Renders one frame to a PNG file (posters, `c2v still`).
    public func writePNG(at time: Double, to path: String) throws {
        let canvas = try CairoCanvas(width: width, height: height)
        draw(at: time, on: canvas.context)
        if let error = images.error { throw error }
        try canvas.writePNG(to: path)
    }

    func color(_ ref: ColorRef) -> RGBColor {
        switch ref {
        case .text: return theme.text
        case .background: return theme.background
        case .accent(let i): return theme.accents.isEmpty ? theme.text : theme.accents[i % theme.accents.count]
        case .rgb(let c): return c
        }
    }

    private func setSource(_ cr: OpaquePointer, _ c: RGBColor, _ alpha: Double = 1) {
        cairo_set_source_rgba(cr, Double(c.red) / 255, Double(c.green) / 255, Double(c.blue) / 255, alpha)
    }

    private func draw(at time: Double, on cr: OpaquePointer) {
        cairo_save(cr)
        setSource(cr, theme.background)
        cairo_paint(cr)
        cairo_translate(cr, transform.dx, transform.dy)
        cairo_scale(cr, transform.scale, transform.scale)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        // From 720p up, Cairo's fast antialiasing of shapes looks the same as its default (checked
        // at 2x zoom) and strokes cost about 40% less; small frames keep the finer default.
        // Text has its own antialiasing and is unaffected.
        if transform.scale >= 0.6 { cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST) }
        drawTitle(cr)
        drawLines(cr, time: time)
        // Lecture lines follow the video's (narrated) time; objects the scene's own time.
        let sceneTime = scene.sourceTime(time)
        // A zoomed or panned camera films the visual area only; pinned objects are not filmed.
        let filmed = !evaluator.camera(at: sceneTime).isIdentity
        for object in evaluator.frame(at: sceneTime) {
            let clipped = filmed && !pinned.contains(object.id)
            if clipped {
                let v = SceneLayout.visualArea
                cairo_save(cr)
                cairo_rectangle(cr, v.x, v.y, v.width, v.height)
                cairo_clip(cr)
            }
            for item in object.items { drawItem(cr, item) }
            if clipped { cairo_restore(cr) }
        }
        cairo_restore(cr)
    }

    /// Shows a Pango layout at (x, y) in scene units; text is laid out in device pixels.
    private func show(_ cr: OpaquePointer, _ key: TextLayouts.Key, x: Double, y: Double) {
        let layout = layouts.layout(key)
        cairo_save(cr)
        cairo_translate(cr, x, y)
        cairo_scale(cr, 1 / transform.scale, 1 / transform.scale)
        pango_cairo_update_layout(cr, layout)
        pango_cairo_show_layout(cr, layout)
        cairo_restore(cr)
        cairo_new_path(cr)
    }

    private func drawTitle(_ cr: OpaquePointer) {
        let fit = SceneLayout.titleLayout(scene.title, measurer: layouts)
        let key = TextLayouts.Key(text: scene.title, family: theme.font, fontSize: fit.fontSize, bold: true, wrapWidth: fit.wrapWidth)
        let mixed = layouts.mixedLayout(scene.title, family: theme.font, fontSize: fit.fontSize, bold: true, wrapWidth: fit.wrapWidth)
        let size = mixed.map { ($0.width, $0.height) } ?? layouts.size(key)
        let bar = SceneLayout.titleBar
        setSource(cr, theme.text)
        if let mixed {
            cairo_save(cr)
            cairo_translate(cr, bar.midX - size.0 / 2, bar.midY - size.1 / 2)
            layouts.drawMixed(mixed, on: cr, color: RGBA(theme.text))
            cairo_restore(cr)
        } else {
            show(cr, key, x: bar.midX - size.0 / 2, y: bar.midY - size.1 / 2)
        }
        setSource(cr, color(.accent(0)), 0.9)
        cairo_rectangle(cr, bar.midX - min(size.0, bar.width) / 2, bar.maxY + 4, min(size.0, bar.width), 4)
        cairo_fill(cr)
    }

    private func drawLines(_ cr: OpaquePointer, time: Double) {
        let column = SceneLayout.lectureColumn
        let current = scene.currentLine(at: time)
        var y = column.y
        for (i, line) in scene.lines.enumerated() where line.start <= time {
            let key = TextLayouts.Key(text: line.text, family: theme.font, fontSize: SceneLayout.lineFontSize, bold: i == current,
                                      wrapWidth: i == current ? wrapWidths[i].bold : wrapWidths[i].regular)
            let fadeIn = smoothstep((time - line.start) / 0.4)
            let base = i == current ? color(.accent(0)) : theme.text.mixed(with: theme.background, 0.45)
            setSource(cr, base, fadeIn)
            cairo_arc(cr, column.x + 10, y + SceneLayout.lineFontSize * 0.62, 6, 0, 2 * .pi)
            cairo_fill(cr)
            if let mixed = layouts.mixedLayout(line.text, family: theme.font, fontSize: SceneLayout.lineFontSize, bold: i == current,
                                               wrapWidth: key.wrapWidth) {
                cairo_save(cr)
                cairo_translate(cr, column.x + 36, y)
                layouts.drawMixed(mixed, on: cr, color: RGBA(base, alpha: fadeIn))
                cairo_restore(cr)
                y += mixed.height + SceneLayout.lineSpacing
                continue
            }
            show(cr, key, x: column.x + 36, y: y)
            y += layouts.size(key).height + SceneLayout.lineSpacing
        }
    }

    private func setSource(_ cr: OpaquePointer, _ c: RGBA) {
        cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a)
    }

    private func drawItem(_ cr: OpaquePointer, _ item: DrawItem) {
        switch item {
        case .path(let p): drawPath(cr, p)
        case .text(let t): drawText(cr, t)
        case .image(let i): images.draw(i, on: cr)
        }
    }

    private func drawPath(_ cr: OpaquePointer, _ p: PathItem) {
        for (k, sub) in p.subpaths.enumerated() where sub.count > 0 {
            cairo_move_to(cr, sub[0].x, sub[0].y)
            for point in sub.dropFirst() { cairo_line_to(cr, point.x, point.y) }
            if p.closed[k] { cairo_close_path(cr) }
        }
        if let fill = p.fill, fill.a > 0.002 {
            setSource(cr, fill)
            if p.stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let stroke = p.stroke, stroke.a > 0.002, p.width > 0 {
            setSource(cr, stroke)
            cairo_set_line_width(cr, p.width)
            // Curves are many short segments whose joins are nearly straight: bevel joins look the same
            // there and cost far less than round ones, which stay for corners of simple shapes.
            let points = p.subpaths.reduce(0) { $0 + $1.count }
            cairo_set_line_join(cr, points > 24 ? CAIRO_LINE_JOIN_BEVEL : CAIRO_LINE_JOIN_ROUND)
            if p.dashed {
                var dashes = [p.width * 3, p.width * 2.5]
                cairo_set_dash(cr, &dashes, 2, 0)
            }
            cairo_stroke(cr)
            if p.dashed { cairo_set_dash(cr, nil, 0, 0) }
        }
        cairo_new_path(cr)
    }

    private func drawText(_ cr: OpaquePointer, _ t: TextItem) {
        if t.math, let transition = t.transition, let a = layouts.mathBox(t), let b = layouts.mathBox(transition.target) {
            drawMathTransition(cr, from: t, a, to: transition.target, b, progress: transition.progress)
            return
        }
        if t.math, let box = layouts.mathBox(t) {
            let height = box.ascent + box.descent
            cairo_save(cr)
            cairo_translate(cr, t.anchor.x, t.anchor.y)
            if t.rotation != 0 { cairo_rotate(cr, t.rotation) }
            cairo_translate(cr, -(t.alignX + 1) / 2 * box.width, -(t.alignY + 1) / 2 * height)
            let limit = t.reveal < 0.999 ? Checked.int((Double(box.glyphCount) * t.reveal).rounded(.up), clampedTo: 0...box.glyphCount) : nil
            layouts.drawMath(box, on: cr, baseline: box.ascent, color: t.color, glyphLimit: limit)
            cairo_restore(cr)
            cairo_new_path(cr)
            return
        }
        if !t.markup, let m = layouts.mixedLayout(t) {
            cairo_save(cr)
            cairo_translate(cr, t.anchor.x, t.anchor.y)
            if t.rotation != 0 { cairo_rotate(cr, t.rotation) }
            cairo_translate(cr, -(t.alignX + 1) / 2 * m.width, -(t.alignY + 1) / 2 * m.height)
            layouts.drawMixed(m, on: cr, color: t.color, reveal: t.reveal)
            cairo_restore(cr)
            return
        }
        let full = layouts.size(layouts.key(t))
        var key = layouts.key(t)
        var clip: Double?
        if t.reveal < 0.999 {
            if t.markup {
                clip = full.width * t.reveal
            } else {
                // Letter by letter: the first characters, laid out where the whole text will be.
                let count = Checked.int((Double(t.text.count) * t.reveal).rounded(.up), clampedTo: 0...t.text.count)
                key = layouts.key(t, text: String(t.text.prefix(count)))
            }
        }
        cairo_save(cr)
        cairo_translate(cr, t.anchor.x, t.anchor.y)
        if t.rotation != 0 { cairo_rotate(cr, t.rotation) }
        cairo_translate(cr, -(t.alignX + 1) / 2 * full.width, -(t.alignY + 1) / 2 * full.height)
        if let clip {
            cairo_rectangle(cr, 0, -full.height, clip, full.height * 3)
            cairo_clip(cr)
        }
        setSource(cr, t.color)
        cairo_scale(cr, 1 / transform.scale, 1 / transform.scale)
        let layout = layouts.layout(key)
        pango_cairo_update_layout(cr, layout)
        pango_cairo_show_layout(cr, layout)
        cairo_restore(cr)
        cairo_new_path(cr)
    }

    /// `transform` between formulas: each part named in both (`\mathid`) moves from its place in
    /// the first to its place in the second; everything else fades out and in.
    private func drawMathTransition(_ cr: OpaquePointer, from t: TextItem, _ a: MathBox, to u: TextItem, _ b: MathBox,
                                    progress p: Double) {
        func origin(_ item: TextItem, _ box: MathBox) -> Point2 {
            let height = box.ascent + box.descent
            return Point2(item.anchor.x - (item.alignX + 1) / 2 * box.width, item.anchor.y - (item.alignY + 1) / 2 * height + box.ascent)
        }
        func complement(_ ranges: [Range<Int>], _ count: Int) -> [Range<Int>] {
            var result: [Range<Int>] = []
            var start = 0
            for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if r.lowerBound > start { result.append(start..<r.lowerBound) }
                start = max(start, r.upperBound)
            }
            if start < count { result.append(start..<count) }
            return result
        }
        let shared = Set(a.partGlyphs.keys).intersection(b.partGlyphs.keys).sorted()
        let oa = origin(t, a), ob = origin(u, b)
        let fadingOut = complement(shared.compactMap { a.partGlyphs[$0] }, a.glyphCount)
        let fadingIn = complement(shared.compactMap { b.partGlyphs[$0] }, b.glyphCount)
        if !fadingOut.isEmpty {
            layouts.drawMath(a, on: cr, x: oa.x, baseline: oa.y, color: t.color.faded(1 - p), glyphLimit: nil, glyphs: fadingOut)
        }
        if !fadingIn.isEmpty {
            layouts.drawMath(b, on: cr, x: ob.x, baseline: ob.y, color: u.color.faded(p), glyphLimit: nil, glyphs: fadingIn)
        }
        for name in shared {
            guard let range = a.partGlyphs[name], let pa = a.parts[name], let pb = b.parts[name] else { continue }
            let dx = (ob.x + pb.x) - (oa.x + pa.x), dy = (ob.y + pb.y) - (oa.y + pa.y)
            layouts.drawMath(a, on: cr, x: oa.x + dx * p, baseline: oa.y + dy * p, color: t.color.mixed(u.color, p),
                             glyphLimit: nil, glyphs: [range])
        }
    }
}
