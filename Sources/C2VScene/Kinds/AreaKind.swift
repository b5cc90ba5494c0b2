import C2VLesson
import C2VUtil
import Foundation

/// `area`: the region between a graph and the x axis (or another graph, `to`) over `x: [a, b]`,
/// filled in the graph's colour; with `riemann: n`, n rectangles as high as the graph at their
/// left edge, right edge or middle (`rule`). Drawn on the graph's axes, inside their ranges.
enum AreaKind: SceneKind {
    static let kind = ObjectKind.area
    static let keys = ["of", "x", "to", "riemann", "rule"]
    static let placement = KindPlacement.own
    /// A fill lies under the curves and axes it shades.
    static let layer = -1.0

    static let rectangles = 1.0...500
    static let defaultOpacity = 0.35

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("of", "the id of the graph whose area it fills", &r) { o.object.graph = r.text(v, what: "`of`") }
        if let v = o["x"] { o.object.xs = r.expressions(v, count: 2, what: "`x` ([from, to])", bindings: o.bindings) }
        if let v = o["to"] { o.object.toGraph = r.text(v, what: "`to`") }
        if let v = o["riemann"] {
            o.object.riemann = r.expression(v, what: "`riemann` (the number of rectangles)", bindings: o.bindings, range: rectangles)
        }
        if let v = o["rule"], let s = r.text(v, what: "`rule`") {
            if let rule = RiemannRule(rawValue: s) { o.object.rule = rule } else {
                r.fail("unknown `rule` `\(s)`" + suggestion(s, RiemannRule.allCases.map(\.rawValue)), v.location)
            }
            if o["riemann"] == nil { r.fail("`rule` applies to rectangles: give `riemann`, their number, too", v.location) }
        }
    }

    static func resolve(_ draft: inout ObjectDraft, kinds: [String: ObjectKind], _ r: inout SceneReader) {
        guard let graph = draft.object.graph, let host = r.linkGraph(graph, key: "of", of: &draft, kinds: kinds) else { return }
        let graphDraft = r.drafts.first { $0.object.id == graph }
        // Outlined in its graph's colour unless told otherwise.
        if draft.fields["color"] == nil, let color = graphDraft?.object.color { draft.object.color = color }
        guard let other = draft.object.toGraph,
              r.reference(other, key: "to", of: draft, kinds: kinds, allowed: [.graph]) else { return }
        let otherHost = r.drafts.first { $0.object.id == other }?.object.on
        if otherHost != host {
            let drawn = otherHost.map { "on `\($0)`" } ?? "on no axes"
            r.fail("`to` names graph `\(other)`, which is drawn \(drawn); an area lies between two graphs on the same axes (`\(host)`)",
                   draft.fields["to"]?.location ?? draft.location)
        }
    }

    static func draw(_ d: inout KindDrawing) {
        guard let host = d.host, var f = GraphSampler(d.evaluator, id: d.object.graph, time: d.time, params: d.params) else { return }
        var lower = GraphSampler(d.evaluator, id: d.object.toGraph, time: d.time, params: d.params)
        let domain = f.domain(on: host)
        let a = d.value(d.object.xs?[0], domain.0), b = d.value(d.object.xs?[1], domain.1)
        let lo = max(min(a, b), host.x0), hi = min(max(a, b), host.x1)
        guard hi > lo else { return }
        let (y0, y1) = (min(host.y0, host.y1), max(host.y0, host.y1))
        func clamp(_ y: Double) -> Double { min(max(y, y0), y1) }
        let axis = clamp(0)
        let off = d.offset()
        func point(_ x: Double, _ y: Double) -> Point2 { host.map(x, clamp(y)) + off }
        let fill = d.evaluator.rgba(d.object.fill ?? f.graph.object.color).faded(d.object.fillOpacity ?? defaultOpacity)

        if let n = d.object.riemann {
            let count = Checked.int(d.value(n, 1).rounded(), clampedTo: Int(rectangles.lowerBound)...Int(rectangles.upperBound))
            let w = (hi - lo) / Double(count)
            let at: Double = switch d.object.rule ?? .left { case .left: 0; case .mid: 0.5; case .right: 1 }
            var boxes: [[Point2]] = []
            for i in 0..<count {
                let left = lo + w * Double(i), x = left + w * at
                let top = f(x), bottom = lower?(x) ?? axis
                guard top.isFinite, bottom.isFinite else { continue }
                boxes.append([point(left, bottom), point(left + w, bottom), point(left + w, top), point(left, top)])
            }
            // Narrow rectangles get thin outlines, so their fill still shows.
            let width = d.object.strokeWidth == nil ? min(3, w * host.scale.x * 0.15) : d.width
            d.path(boxes, closed: true, fill: fill, width: width)
            return
        }
        let n = SceneParser.graphSamples
        var regions: [[Point2]] = []
        var top: [Point2] = [], bottom: [Point2] = []
        func close() {
            if top.count >= 2 { regions.append(top + bottom.reversed()) }
            top = []
            bottom = []
        }
        for i in 0...n {
            let x = lo + (hi - lo) * Double(i) / Double(n)
            let upper = f(x), under = lower?(x) ?? axis
            // An undefined stretch of either curve splits the region there.
            guard upper.isFinite, under.isFinite else { close(); continue }
            top.append(point(x, upper))
            bottom.append(point(x, under))
        }
        close()
        d.path(regions, closed: true, fill: fill, strokeIt: false)
    }
}
