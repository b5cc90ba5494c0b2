internal import CC2VCairo
import C2VLesson
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
    /// Bumped whenever drawing changes for the same scene and theme; part of render keys.
    public static let version = 2

    private let transform: (scale: Double, dx: Double, dy: Double)
    /// Layouts belong to a Pango context made for this renderer; any Cairo target can show them.
    private let measureCanvas: CairoCanvas
    private let layouts: TextLayouts

    public init(scene: Scene, theme: Theme, width: Int, height: Int) throws {
        self.scene = scene
        self.theme = theme
        self.width = width
        self.height = height
        transform = SceneLayout.transform(width: width, height: height)
        measureCanvas = try CairoCanvas(width: 1, height: 1)
        layouts = TextLayouts(context: measureCanvas.context, fontFamily: theme.font, scale: transform.scale)
    }

    /// Draws the frame at `time` seconds into BGRA memory (Cairo ARGB32 layout).
    public func draw(at time: Double, into pixels: UnsafeMutableRawPointer, stride: Int) throws {
        let canvas = try CairoCanvas(pixels: pixels, width: width, height: height, stride: stride)
        draw(at: time, on: canvas.context)
        cairo_surface_flush(canvas.surface)
    }

    /// Renders one frame to a PNG file (posters, `c2v still`).
    public func writePNG(at time: Double, to path: String) throws {
        let canvas = try CairoCanvas(width: width, height: height)
        draw(at: time, on: canvas.context)
        try canvas.writePNG(to: path)
    }

    func color(_ ref: ColorRef) -> RGBColor {
        switch ref {
        case .text: return theme.text
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
        drawTitle(cr)
        drawLines(cr, time: time)
        for object in scene.objects {
            let (alpha, progress) = object.visibility(at: time)
            if alpha > 0.002 { drawObject(cr, object, alpha: alpha, progress: progress) }
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
        let key = TextLayouts.Key(text: scene.title, fontSize: SceneLayout.titleFontSize, bold: true, wrapWidth: nil)
        let size = layouts.size(key)
        let bar = SceneLayout.titleBar
        setSource(cr, theme.text)
        show(cr, key, x: bar.midX - size.width / 2, y: bar.midY - size.height / 2)
        setSource(cr, color(.accent(0)), 0.9)
        cairo_rectangle(cr, bar.midX - min(size.width, bar.width) / 2, bar.maxY + 4, min(size.width, bar.width), 4)
        cairo_fill(cr)
    }

    private func drawLines(_ cr: OpaquePointer, time: Double) {
        let column = SceneLayout.lectureColumn
        let current = scene.currentLine(at: time)
        var y = column.y
        for (i, line) in scene.lines.enumerated() where line.start <= time {
            let key = TextLayouts.Key(text: line.text, fontSize: SceneLayout.lineFontSize, bold: i == current,
                                      wrapWidth: column.width - 36)
            let fadeIn = smoothstep((time - line.start) / 0.4)
            let base = i == current ? color(.accent(0)) : theme.text.mixed(with: theme.background, 0.45)
            setSource(cr, base, fadeIn)
            cairo_arc(cr, column.x + 10, y + SceneLayout.lineFontSize * 0.62, 6, 0, 2 * .pi)
            cairo_fill(cr)
            show(cr, key, x: column.x + 36, y: y)
            y += layouts.size(key).height + SceneLayout.lineSpacing
        }
    }

    private func drawObject(_ cr: OpaquePointer, _ object: SceneObject, alpha: Double, progress: Double) {
        let area = SceneLayout.rect(object.area)
        let c = color(object.color)
        let stroke = SceneLayout.strokeWidth
        cairo_save(cr)
        if object.entrance == .grow {
            let s = max(0.01, progress)
            cairo_translate(cr, area.midX, area.midY)
            cairo_scale(cr, s, s)
            cairo_translate(cr, -area.midX, -area.midY)
        }
        let drawn = object.entrance == .create ? progress : 1
        setSource(cr, c, alpha)
        cairo_set_line_width(cr, stroke)
        switch object.shape {
        case .text(let text):
            let key = TextLayouts.Key(text: text, fontSize: SceneLayout.objectFontSize, bold: false, wrapWidth: nil)
            let size = layouts.size(key)
            if object.entrance == .write || object.entrance == .create {
                cairo_rectangle(cr, area.midX - size.width / 2, area.y - 4000, size.width * progress, 8000)
                cairo_clip(cr)
            }
            show(cr, key, x: area.midX - size.width / 2, y: area.midY - size.height / 2)
        case .circle:
            let r = 0.42 * min(area.width, area.height)
            cairo_new_sub_path(cr)
            cairo_arc(cr, area.midX, area.midY, r, -.pi / 2, -.pi / 2 + 2 * .pi * drawn)
            cairo_stroke(cr)
        case .rectangle:
            strokePartially(cr, drawn) { roundedRect(cr, area.insetBy(min(area.width, area.height) * 0.1), radius: 18) }
        case .dot:
            cairo_arc(cr, area.midX, area.midY, 14, 0, 2 * .pi)
            cairo_fill(cr)
        case .line(let from, let to), .arrow(let from, let to):
            let a = SceneLayout.rect(from), b = SceneLayout.rect(to)
            let x1 = a.midX + (b.midX - a.midX) * drawn, y1 = a.midY + (b.midY - a.midY) * drawn
            cairo_move_to(cr, a.midX, a.midY)
            cairo_line_to(cr, x1, y1)
            cairo_stroke(cr)
            if case .arrow = object.shape, drawn > 0.05 { arrowHead(cr, fromX: a.midX, fromY: a.midY, toX: x1, toY: y1) }
        case .axes:
            let inset = area.insetBy(12)
            strokePartially(cr, drawn) {
                cairo_move_to(cr, inset.x, inset.midY); cairo_line_to(cr, inset.maxX, inset.midY)
                cairo_move_to(cr, inset.x + 8, inset.maxY); cairo_line_to(cr, inset.x + 8, inset.y)
            }
            if drawn > 0.95 {
                arrowHead(cr, fromX: inset.x, fromY: inset.midY, toX: inset.maxX, toY: inset.midY)
                arrowHead(cr, fromX: inset.x + 8, fromY: inset.maxY, toX: inset.x + 8, toY: inset.y)
            }
        case .wave, .graph:
            if let plot = plot(for: object) { drawPlot(cr, plot, in: area.insetBy(20), drawn: drawn) }
        }
        cairo_restore(cr)
        cairo_new_path(cr)
    }

    /// Builds a path with `body`, then strokes only its first `fraction` (by length) using a dash.
    private func strokePartially(_ cr: OpaquePointer, _ fraction: Double, _ body: () -> Void) {
        body()
        if fraction < 0.999 {
            let length = pathLength(cr)
            var dashes = [max(0.001, length * fraction), length + 1]
            cairo_set_dash(cr, &dashes, 2, 0)
        }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    private func pathLength(_ cr: OpaquePointer) -> Double {
        guard let path = cairo_copy_path_flat(cr) else { return 0 }
        defer { cairo_path_destroy(path) }
        var length = 0.0, x = 0.0, y = 0.0, startX = 0.0, startY = 0.0
        var i = 0
        let data = path.pointee.data!
        while i < Int(path.pointee.num_data) {
            let header = data[i].header
            switch header.type {
            case CAIRO_PATH_MOVE_TO:
                x = data[i + 1].point.x; y = data[i + 1].point.y; startX = x; startY = y
            case CAIRO_PATH_LINE_TO:
                let nx = data[i + 1].point.x, ny = data[i + 1].point.y
                length += hypot(nx - x, ny - y); x = nx; y = ny
            case CAIRO_PATH_CLOSE_PATH:
                length += hypot(startX - x, startY - y); x = startX; y = startY
            default: break
            }
            i += Int(header.length)
        }
        return length
    }

    private func roundedRect(_ cr: OpaquePointer, _ r: Rect, radius: Double) {
        let rad = min(radius, r.width / 2, r.height / 2)
        cairo_new_sub_path(cr)
        cairo_arc(cr, r.maxX - rad, r.y + rad, rad, -.pi / 2, 0)
        cairo_arc(cr, r.maxX - rad, r.maxY - rad, rad, 0, .pi / 2)
        cairo_arc(cr, r.x + rad, r.maxY - rad, rad, .pi / 2, .pi)
        cairo_arc(cr, r.x + rad, r.y + rad, rad, .pi, 1.5 * .pi)
        cairo_close_path(cr)
    }

    /// An arrow head whose size follows the stroke width, so arrows look alike at any resolution.
    private func arrowHead(_ cr: OpaquePointer, fromX: Double, fromY: Double, toX: Double, toY: Double) {
        let angle = atan2(toY - fromY, toX - fromX)
        let length = SceneLayout.strokeWidth * 4.5, spread = 0.45
        cairo_move_to(cr, toX, toY)
        cairo_line_to(cr, toX - length * cos(angle - spread), toY - length * sin(angle - spread))
        cairo_line_to(cr, toX - length * cos(angle + spread), toY - length * sin(angle + spread))
        cairo_close_path(cr)
        cairo_fill(cr)
    }

    /// A plotted curve: its sampled values and the value range that fills the area's height.
    private struct Plot {
        var values: [Double]
        var low: Double
        var high: Double
    }

    /// A curve depends only on its object, never on time: sampled once per renderer, not per frame.
    private var plots: [String: Plot] = [:]

    private func plot(for object: SceneObject) -> Plot? {
        if let cached = plots[object.id] { return cached }
        let n = SceneParser.graphSamples
        let plot: Plot
        switch object.shape {
        case .wave(let harmonics, let periods):
            let values = (0...n).map { i -> Double in
                let x = (Double(i) / Double(n) * 2 - 1) * .pi * periods
                return harmonics.reduce(0) { $0 + $1.amplitude * sin($1.k * x + $1.phase) }
            }
            // Centred on zero; the peak reaches 45% of the height above and below the middle.
            let peak = max(1e-9, values.map(abs).max() ?? 0) / 0.9
            plot = Plot(values: values, low: -peak, high: peak)
        case .graph(let y, let xFrom, let xTo):
            // The scene parser compiled and checked this expression already; a failure here draws nothing.
            guard let expression = try? MathExpression(y, variables: ["x"]) else { return nil }
            var slots = [0.0]
            let values = (0...n).map { i -> Double in
                slots[0] = xFrom + (xTo - xFrom) * Double(i) / Double(n)
                return expression.evaluate(slots: &slots)
            }
            let finite = values.filter(\.isFinite)
            guard let low = finite.min(), let high = finite.max() else { return nil }
            plot = Plot(values: values, low: low, high: high)
        default:
            return nil
        }
        plots[object.id] = plot
        return plot
    }

    /// Draws the first `drawn` fraction of a plot left to right, lifting the pen over undefined points.
    private func drawPlot(_ cr: OpaquePointer, _ plot: Plot, in area: Rect, drawn: Double) {
        let count = plot.values.count
        let span = plot.high - plot.low
        let last = Int((Double(count - 1) * drawn).rounded())
        guard count > 1, last > 0 else { return }
        var penDown = false
        for i in 0...last where plot.values[i].isFinite {
            let x = area.x + area.width * Double(i) / Double(count - 1)
            let y = span > 1e-12 ? area.maxY - (plot.values[i] - plot.low) / span * area.height : area.midY
            if penDown { cairo_line_to(cr, x, y) } else { cairo_move_to(cr, x, y); penDown = true }
        }
        cairo_stroke(cr)
    }
}
