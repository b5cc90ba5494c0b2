import C2VUtil
import Foundation

/// `parametric`: the curve [x(s), y(s)] for s in a range, on axes or fitted into an area.
enum ParametricKind: SceneKind {
    static let kind = ObjectKind.parametric
    static let keys = ["x", "y", "s"]
    static let placement = KindPlacement.own
    static let locals = ["s"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        let bindings = o.bindings
        let x = o.need("x", "an expression in s like \"cos(s)\"", &r).flatMap { r.expression($0, what: "`x`", bindings: bindings, locals: locals) }
        let y = o.need("y", "an expression in s like \"sin(2*s)\"", &r).flatMap { r.expression($0, what: "`y`", bindings: bindings, locals: locals) }
        if let x, let y { o.object.expressions = [x, y] }
        o.object.domain = o["s"].flatMap { r.constantRange($0, key: "s", bindings: bindings) } ?? [0, "tau"]
    }

    static func draw(_ d: inout KindDrawing) {
        guard let exprs = d.object.expressions, exprs.count == 2 else { return }
        let s0 = d.value(d.object.domain?[0], 0), s1 = d.value(d.object.domain?[1], 2 * .pi)
        let xs = d.compiled.compiled(exprs[0]), ys = d.compiled.compiled(exprs[1])
        let n = 360
        var raw: [Point2] = []
        raw.reserveCapacity(n + 1)
        for i in 0...n {
            d.setLocal("s", s0 + (s1 - s0) * Double(i) / Double(n))
            raw.append(Point2(xs(&d.slots), ys(&d.slots)))
        }
        let fit = d.toScene == nil && d.object.at != nil ? d.rect.insetBy(20) : nil
        d.path(SceneEvaluator.split(raw.map { d.toScene?($0.x, $0.y) ?? $0 }, fit: fit), closed: false)
    }
}

/// `trace`: the path a moving point [x(t), y(t)] leaves behind, drawn as time passes.
enum TraceKind: SceneKind {
    static let kind = ObjectKind.trace
    static let keys = ["point", "since"]
    static let placement = KindPlacement.own

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("point", "[x(t), y(t)], the moving point whose path is drawn", &r) {
            o.object.expressions = r.expressions(v, count: 2, what: "`point`", bindings: o.bindings)
        }
        if let v = o["since"], let d = r.constant(v, what: "`since`") { o.object.traceFrom = max(0, d) }
    }

    static func draw(_ d: inout KindDrawing) {
        d.path([d.evaluator.tracePoints(d.compiled, until: d.time, toScene: d.toScene)], closed: false)
    }
}

/// `field`: arrows of the vector field [dx(x, y), dy(x, y)] on a grid over its axes.
enum FieldKind: SceneKind {
    static let kind = ObjectKind.field
    static let keys = ["dx", "dy"]
    static let placement = KindPlacement.own
    static let locals = ["x", "y"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        let bindings = o.bindings
        let dx = o.need("dx", "an expression in x and y", &r).flatMap { r.expression($0, what: "`dx`", bindings: bindings, locals: locals) }
        let dy = o.need("dy", "an expression in x and y", &r).flatMap { r.expression($0, what: "`dy`", bindings: bindings, locals: locals) }
        if let dx, let dy { o.object.expressions = [dx, dy] }
        if o["on"] == nil { r.fail("field `\(o.id)` needs `on`, the axes it is drawn on", o.location) }
    }

    static func draw(_ d: inout KindDrawing) {
        guard let exprs = d.object.expressions, exprs.count == 2, let host = d.host else { return }
        let map = host.map
        let (x0, x1, y0, y1) = (host.x0, host.x1, host.y0, host.y1)
        let dxs = d.compiled.compiled(exprs[0]), dys = d.compiled.compiled(exprs[1])
        let nx = 11, ny = 9
        let cell = min((x1 - x0) / Double(nx), (y1 - y0) / Double(ny))
        var samples: [(Double, Double, Double, Double)] = []
        var longest = 1e-12
        for i in 0..<nx {
            for j in 0..<ny {
                let x = x0 + (Double(i) + 0.5) * (x1 - x0) / Double(nx), y = y0 + (Double(j) + 0.5) * (y1 - y0) / Double(ny)
                d.setLocal("x", x)
                d.setLocal("y", y)
                let dx = dxs(&d.slots), dy = dys(&d.slots)
                guard dx.isFinite, dy.isFinite else { continue }
                samples.append((x, y, dx, dy))
                longest = max(longest, hypot(dx, dy))
            }
        }
        var shafts: [[Point2]] = []
        for (x, y, dx, dy) in samples where hypot(dx, dy) > longest * 0.02 {
            let k = 0.8 * cell / longest
            let a = map(x - dx * k / 2, y - dy * k / 2), b = map(x + dx * k / 2, y + dy * k / 2)
            shafts.append([a, b])
            d.geometry.tips.append(SceneEvaluator.arrowHead(from: a, to: b, length: min(d.width * 2.5, a.distance(to: b) * 0.5)))
        }
        d.path(shafts, closed: false, width: d.width * 0.5)
    }
}
