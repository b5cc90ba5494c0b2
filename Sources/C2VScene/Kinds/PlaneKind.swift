import C2VUtil
import Foundation

/// `plane`: a coordinate plane with a background grid where one unit is as long across as up,
/// so a unit circle drawn `on` it is round (Manim's NumberPlane; `complex: true` for the complex
/// plane). The ranges it is given are the least it shows: the longer side of its area shows more.
enum PlaneKind: SceneKind {
    static let kind = ObjectKind.plane
    static let keys = ["x", "y", "grid", "labels", "complex"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        func range(_ key: String, _ fallback: [Expr]) -> [Expr] {
            guard let v = o[key] else { return fallback }
            return r.constantRange(v, key: key, bindings: o.bindings) ?? fallback
        }
        o.object.domain = range("x", [-4, 4])
        o.object.range = range("y", [-2, 2])
        if let v = o["grid"], let step = r.constant(v, what: "`grid`", bindings: o.bindings, range: 0...SceneLimits.length.upperBound) {
            o.object.ticks = [Expr(step), Expr(step)]
        }
        if let v = o["labels"] { o.object.labels = r.bool(v, what: "`labels`") }
        if let v = o["complex"] { o.object.complex = r.bool(v, what: "`complex`") }
    }

    static func frame(_ o: CompiledObject, rect: Rect) -> HostFrame? {
        let box = AxesKind.inner(rect)
        let x0 = o.number(o.object.domain?[0], -4), x1 = o.number(o.object.domain?[1], 4)
        let y0 = o.number(o.object.range?[0], -2), y1 = o.number(o.object.range?[1], 2)
        // One scale for both axes: the one that fits both ranges; the other side shows more.
        let k = min(box.width / (x1 - x0), box.height / (y1 - y0))
        let cx = (x0 + x1) / 2, cy = (y0 + y1) / 2
        let hw = box.width / k / 2, hh = box.height / k / 2
        return HostFrame(x0: cx - hw, x1: cx + hw, y0: cy - hh, y1: cy + hh, box: box)
    }

    static func draw(_ d: inout KindDrawing) {
        let o = d.compiled
        let frame = frame(o, rect: d.rect)!
        let step = o.number(o.object.ticks?[0], 1)
        let box = frame.box
        var grid: [[Point2]] = []
        let xs = SceneEvaluator.ticks(frame.x0, frame.x1, step: step), ys = SceneEvaluator.ticks(frame.y0, frame.y1, step: step)
        for x in xs { grid.append([frame.map(x, frame.y0), frame.map(x, frame.y1)]) }
        for y in ys { grid.append([frame.map(frame.x0, y), frame.map(frame.x1, y)]) }
        // Faint lines in its colour, the axes through 0 in full.
        d.geometry.paths.append(PathItem(subpaths: grid, closed: grid.map { _ in false }, stroke: KindDrawing.stroke.faded(0.3),
                                         fill: nil, width: d.width * 0.35, dashed: false))
        var axes: [[Point2]] = []
        if frame.y0 <= 0, frame.y1 >= 0 { axes.append([Point2(box.x, frame.map(0, 0).y), Point2(box.maxX, frame.map(0, 0).y)]) }
        if frame.x0 <= 0, frame.x1 >= 0 { axes.append([Point2(frame.map(0, 0).x, box.y), Point2(frame.map(0, 0).x, box.maxY)]) }
        d.geometry.paths.append(PathItem(subpaths: axes, closed: axes.map { _ in false }, stroke: KindDrawing.stroke,
                                         fill: nil, width: d.width * 0.6, dashed: false))
        guard o.object.labels ?? true else { return }
        let labelColor = RGBA(d.theme.text).mixed(RGBA(d.theme.background), 0.25)
        let complex = o.object.complex ?? false
        let origin = frame.map(0, 0)
        let size = 28.0
        // Labels sit below the x axis and left of the y axis, on a background-coloured plate so
        // grid lines do not cross them; the outermost are left off where they would touch the edge.
        for x in xs where abs(frame.map(x, 0).x - box.x) > 30 && abs(frame.map(x, 0).x - box.maxX) > 30 {
            let p = Point2(frame.map(x, 0).x, min(max(origin.y, box.y), box.maxY - 30))
            d.text(SceneEvaluator.label(x).replacingOccurrences(of: "-", with: "\u{2212}"), at: p + Point2(-6, 8), size: size, alignX: 1, alignY: -1, color: labelColor)
        }
        for y in ys where abs(frame.map(0, y).y - box.y) > 20 && abs(frame.map(0, y).y - box.maxY) > 20 {
            let text = complex ? imaginary(y) : SceneEvaluator.label(y)
            let p = Point2(min(max(origin.x, box.x + 40), box.maxX), frame.map(0, y).y)
            d.text(text, at: p + Point2(-8, 6), size: size, alignX: 1, alignY: -1, color: labelColor)
        }
    }

    /// `2i`, `-i`, `0.5i`.
    static func imaginary(_ y: Double) -> String {
        switch y {
        case 1: return "i"
        case -1: return "\u{2212}i"
        default: return SceneEvaluator.label(y).replacingOccurrences(of: "-", with: "\u{2212}") + "i"
        }
    }
}
