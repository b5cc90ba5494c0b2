import C2VLesson
import C2VUtil
import Foundation

/// `tangent`: the tangent (or, with `normal`, the normal) to a graph at `x`, `length` scene units
/// long and centred where it touches, on the graph's axes. Its slope is a central difference of
/// the graph's own expression, so it follows the graph as its params move.
enum TangentKind: SceneKind {
    static let kind = ObjectKind.tangent
    static let keys = ["of", "x", "length", "normal"]
    static let placement = KindPlacement.own

    static let defaultLength = 400.0

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("of", "the id of the graph it touches", &r) { o.object.graph = r.text(v, what: "`of`") }
        if let v = o.need("x", "where it touches, in the graph's x units: a number or an expression like \"a\"", &r) {
            o.object.xs = r.expression(v, what: "`x`", bindings: o.bindings).map { [$0] }
        }
        if let v = o["length"] { o.object.length = r.expression(v, what: "`length`", bindings: o.bindings, range: SceneLimits.length) }
        if let v = o["normal"] { o.object.normal = r.bool(v, what: "`normal`") }
    }

    static func resolve(_ draft: inout ObjectDraft, kinds: [String: ObjectKind], _ r: inout SceneReader) {
        guard let graph = draft.object.graph else { return }
        _ = r.linkGraph(graph, key: "of", of: &draft, kinds: kinds)
    }

    static func draw(_ d: inout KindDrawing) {
        guard let host = d.host, let xe = d.object.xs?.first,
              var f = GraphSampler(d.evaluator, id: d.object.graph, time: d.time, params: d.params) else { return }
        let x = d.compiled.compiled(xe)(&d.slots)
        guard x.isFinite else {
            d.evaluator.noteUndefined(d.object.id, xe.source, time: d.time)
            return
        }
        // A step small against the axes' range: the rounding error stays far below a pixel.
        let h = max(abs(host.x1 - host.x0), 1e-9) * 1e-6
        let y = f(x), slope = (f(x + h) - f(x - h)) / (2 * h)
        guard y.isFinite, slope.isFinite else {
            d.evaluator.noteUndefined(d.object.id, "slope of \(f.source) at x = \(Checked.display((x * 1000).rounded() / 1000))", time: d.time)
            return
        }
        // Along (1, slope) in the graph's units, or across it for the normal; on screen y is down.
        let (dx, dy) = d.object.normal == true ? (-slope, 1.0) : (1.0, slope)
        let scale = host.scale
        let direction = Point2(dx * scale.x, -dy * scale.y)
        let norm = hypot(direction.x, direction.y)
        guard norm > 0, norm.isFinite else { return }
        let half = d.value(d.object.length, defaultLength) / 2
        let u = direction * (1 / norm), touch = host.map(x, y) + d.offset()
        d.path([[touch - u * half, touch + u * half]], closed: false)
    }
}
