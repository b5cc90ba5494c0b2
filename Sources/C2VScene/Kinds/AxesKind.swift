import C2VUtil
import Foundation

/// `axes`: x and y ranges drawn in their area, with ticks, tick labels and axis names. Other
/// objects are drawn in their units with `on`.
enum AxesKind: SceneKind {
    static let kind = ObjectKind.axes
    static let keys = ["x", "y", "ticks", "labels", "axis_labels"]
    static let textColored = true

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        func range(_ key: String) -> [Expr]? {
            guard let v = o[key] else { return nil }
            guard case .sequence(let items, _) = v, items.count == 2 else {
                r.fail("`\(key)` must be [from, to] with numbers, like [-pi, pi]", v.location); return nil
            }
            // Each number reports its own mistake.
            let a = r.constant(items[0], what: "`\(key)` start", bindings: o.bindings)
            let b = r.constant(items[1], what: "`\(key)` end", bindings: o.bindings)
            guard let a, let b else { return nil }
            guard a < b else { r.fail("`\(key)` must go from a smaller to a larger number", v.location); return nil }
            return [Expr(a), Expr(b)]
        }
        o.object.domain = range("x") ?? [-1, 1]
        o.object.range = range("y") ?? [-1, 1]
        if let v = o["ticks"] {
            if case .sequence(let items, _) = v, items.count == 2,
               let a = r.constant(items[0], what: "x tick spacing"), let b = r.constant(items[1], what: "y tick spacing"), a >= 0, b >= 0 {
                o.object.ticks = [Expr(a), Expr(b)]
            } else { r.fail("`ticks` must be [x spacing, y spacing], numbers >= 0 (0: no ticks)", v.location) }
        }
        if let v = o["labels"] { o.object.labels = r.bool(v, what: "`labels`") }
        if let v = o["axis_labels"] {
            if case .sequence(let items, _) = v, items.count == 2, case .scalar(let a, _) = items[0], case .scalar(let b, _) = items[1] {
                o.object.axisLabels = [a, b]
            } else { r.fail("`axis_labels` must be [x label, y label]", v.location) }
        }
    }

    /// Where the axes' own units lie: inside their box, inset for the arrows and labels.
    static func inner(_ rect: Rect) -> Rect { rect.insetBy(24) }

    static func frame(_ o: CompiledObject, rect: Rect) -> HostFrame? {
        HostFrame(x0: o.number(o.object.domain?[0], -1), x1: o.number(o.object.domain?[1], 1),
                  y0: o.number(o.object.range?[0], -1), y1: o.number(o.object.range?[1], 1), box: inner(rect))
    }

    static func draw(_ d: inout KindDrawing) {
        let o = d.compiled
        let frame = frame(o, rect: d.rect)!
        let (x0, x1, y0, y1) = (frame.x0, frame.x1, frame.y0, frame.y1)
        let map = frame.map
        let xAxisY = min(max(0, y0), y1), yAxisX = min(max(0, x0), x1)
        let w = d.width * 0.6
        let xa = map(x0, xAxisY), xb = map(x1, xAxisY) + Point2(16, 0)
        let ya = map(yAxisX, y0), yb = map(yAxisX, y1) - Point2(0, 16)
        var lines: [[Point2]] = [[xa, xb], [ya, yb]]
        d.geometry.tips.append(SceneEvaluator.arrowHead(from: xa, to: xb, length: w * 4.5))
        d.geometry.tips.append(SceneEvaluator.arrowHead(from: ya, to: yb, length: w * 4.5))
        let labelColor = RGBA(d.theme.text).mixed(RGBA(d.theme.background), 0.25)
        func ticks(_ from: Double, _ to: Double, _ given: Double?) -> [Double] {
            SceneEvaluator.ticks(from, to, step: given ?? SceneEvaluator.niceStep((to - from) / 5))
        }
        let showLabels = o.object.labels ?? true
        let labelSize = 28.0
        // An axis's name sits by its arrow tip, so the tick label at that end gives way to it.
        let named = o.object.axisLabels.map { ($0[0].isEmpty ? nil : x1, $0[1].isEmpty ? nil : y1) }
        for x in ticks(x0, x1, o.object.ticks.map { o.number($0[0], 0) }) {
            let p = map(x, xAxisY)
            lines.append([p - Point2(0, 8), p + Point2(0, 8)])
            if showLabels, named?.0.map({ abs($0 - x) > (x1 - x0) * 1e-6 }) ?? true {
                d.text(SceneEvaluator.label(x), at: p + Point2(0, 14), size: labelSize, alignX: 0, alignY: -1, color: labelColor)
            }
        }
        for y in ticks(y0, y1, o.object.ticks.map { o.number($0[1], 0) }) {
            let p = map(yAxisX, y)
            lines.append([p - Point2(8, 0), p + Point2(8, 0)])
            if showLabels, named?.1.map({ abs($0 - y) > (y1 - y0) * 1e-6 }) ?? true {
                d.text(SceneEvaluator.label(y), at: p - Point2(14, 0), size: labelSize, alignX: 1, alignY: 0, color: labelColor)
            }
        }
        if let names = o.object.axisLabels {
            // Below the arrow's tip, where a curve drawn to the axes' end cannot run through it.
            if !names[0].isEmpty { d.text(names[0], at: xb + Point2(0, 14), size: 30, font: .serif, alignX: 1, alignY: -1) }
            if !names[1].isEmpty { d.text(names[1], at: yb + Point2(14, 0), size: 30, font: .serif, alignX: -1, alignY: -1) }
        }
        d.geometry.paths.append(PathItem(subpaths: lines, closed: lines.map { _ in false }, stroke: KindDrawing.stroke, fill: nil,
                                         width: w, dashed: false))
    }
}
