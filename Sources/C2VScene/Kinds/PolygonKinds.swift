import C2VUtil
import Foundation

/// `rectangle`: [width, height] in scene units, or its area inset by 10%; `corner` rounds it.
enum RectangleKind: SceneKind {
    static let kind = ObjectKind.rectangle
    static let keys = ["size", "corner"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o["size"] {
            o.object.size = r.expressions(v, count: 2, what: "`size` ([width, height])", bindings: o.bindings, range: SceneLimits.length)
        }
        if let v = o["corner"] { o.object.corner = r.expression(v, what: "`corner`", bindings: o.bindings, range: SceneLimits.length) }
    }

    static func draw(_ d: inout KindDrawing) {
        let w = d.value(d.object.size?[0], d.rect.width * 0.8), h = d.value(d.object.size?[1], d.rect.height * 0.8)
        let c = max(0, min(d.value(d.object.corner, 0), w / 2, h / 2))
        let box = Rect(x: d.center.x - w / 2, y: d.center.y - h / 2, width: w, height: h)
        d.path([SceneEvaluator.roundedRect(box, radius: c)], closed: true, fill: d.fill)
    }
}

/// `regular_polygon`: `sides` from 3 to 64, with a vertex at the top.
enum RegularPolygonKind: SceneKind {
    static let kind = ObjectKind.regularPolygon
    static let keys = ["sides", "radius"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("sides", "a whole number from 3 to 64", &r), let n = r.constant(v, what: "`sides`", bindings: o.bindings, range: 3...64) {
            if n == n.rounded() { o.object.sides = Expr(n) } else { r.fail("`sides` must be a whole number from 3 to 64", v.location) }
        }
        r.readRadius(&o)
    }

    static func draw(_ d: inout KindDrawing) {
        let n = Checked.int(d.value(d.object.sides, 5), clampedTo: 3...64)
        let radius = d.value(d.object.radius?.first, 0.42 * min(d.rect.width, d.rect.height))
        let c = d.center
        let points = (0..<n).map { k -> Point2 in
            let a = .pi / 2 + 2 * .pi * Double(k) / Double(n)
            return Point2(c.x + radius * cos(a), c.y - radius * sin(a))
        }
        d.path([points], closed: true, fill: d.fill)
    }
}

/// `polygon`: at least 3 anchors or points (host units when drawn `on` axes).
enum PolygonKind: SceneKind {
    static let kind = ObjectKind.polygon
    static let keys = ["points"]
    static let placement = KindPlacement.own

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        guard let v = o.need("points", "a list of at least 3 anchors or [x, y] points", &r) else { return }
        if case .sequence(let items, _) = v, items.count >= 3 {
            let places = items.map { r.place($0, what: "a point of `points`", bindings: o.bindings) }
            if !places.contains(where: { $0 == nil }) { o.object.points = places.map { $0! } }
        } else { r.fail("`points` must be a list of at least 3 anchors or [x, y] points", v.location) }
    }

    static func draw(_ d: inout KindDrawing) {
        var points: [Point2] = []
        for place in d.object.points ?? [] { points.append(d.point(place)) }
        d.path([points], closed: true, fill: d.fill)
    }
}
