import C2VUtil
import Foundation

/// `circle`: a circle filling its cell, or of `radius` (in its host's x units when drawn `on` axes).
enum CircleKind: SceneKind {
    static let kind = ObjectKind.circle
    static let keys = ["radius"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        r.readRadius(&o)
    }

    static func draw(_ d: inout KindDrawing) {
        let r = d.rect
        // In host units on a host, with both of its scales: on stretched axes a circle is drawn as
        // the ellipse it is in their coordinates (the Critic says so; a plane keeps it round).
        let radius = d.value(d.object.radius?.first, 0.42 * min(r.width, r.height) / d.unit.x)
        let rx = radius * d.unit.x, ry = radius * d.unit.y
        d.path([Polyline.ellipse(center: d.center, rx: rx, ry: ry, from: .pi / 2, to: .pi / 2 + 2 * .pi,
                                 segments: Polyline.segments(radius: max(rx, ry)))], closed: true, fill: d.fill)
    }
}

/// `dot`: a small filled disc, a point to mark or to move.
enum DotKind: SceneKind {
    static let kind = ObjectKind.dot
    static let keys = ["radius"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        r.readRadius(&o)
    }

    static func draw(_ d: inout KindDrawing) {
        let radius = d.value(d.object.radius?.first, 12)
        let disc = Polyline.ellipse(center: d.center, rx: radius, ry: radius, segments: 40)
        if let fill = d.fill {
            d.path([disc], closed: true, fill: fill, strokeIt: false)
        } else {
            // Filled with the object's colour, which `recolor` gives to tips.
            d.geometry.tips.append(PathItem(subpaths: [disc], closed: [true], stroke: nil, fill: KindDrawing.stroke, width: 0, dashed: false))
        }
    }
}

/// `ellipse`: radii [rx, ry], or filling its area.
enum EllipseKind: SceneKind {
    static let kind = ObjectKind.ellipse
    static let keys = ["radius"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o["radius"] {
            o.object.radius = r.expressions(v, count: 2, what: "`radius` of an ellipse ([rx, ry])", bindings: o.bindings, range: SceneLimits.length)
        }
    }

    static func draw(_ d: inout KindDrawing) {
        let rx = d.value(d.object.radius?[0], 0.45 * d.rect.width), ry = d.value(d.object.radius?[1], 0.45 * d.rect.height)
        d.path([Polyline.ellipse(center: d.center, rx: rx, ry: ry, from: .pi / 2, to: .pi / 2 + 2 * .pi)], closed: true, fill: d.fill)
    }
}

/// `arc`: part of a circle, from and to angles in degrees counter-clockwise from 3 o'clock.
enum ArcKind: SceneKind {
    static let kind = ObjectKind.arc
    static let keys = ["radius", "angles"]

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        r.readRadius(&o)
        if let v = o.need("angles", "[start, end] in degrees, like [0, 90]", &r) {
            o.object.angles = r.expressions(v, count: 2, what: "`angles`", bindings: o.bindings, range: SceneLimits.angle)
        }
    }

    static func draw(_ d: inout KindDrawing) {
        let radius = d.value(d.object.radius?.first, 0.42 * min(d.rect.width, d.rect.height))
        let a0 = d.value(d.object.angles?[0], 0) * .pi / 180, a1 = d.value(d.object.angles?[1], 90) * .pi / 180
        d.path([Polyline.ellipse(center: d.center, rx: radius, ry: radius, from: a0, to: a1)], closed: false, fill: d.fill)
    }
}
