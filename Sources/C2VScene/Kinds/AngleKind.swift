import C2VLesson
import C2VUtil
import Foundation

/// `angle`: the mark of the angle at `vertex` between the rays toward `from` and `to`: an arc of
/// `radius` round the smaller angle (the larger with `reflex`), or the square mark of a right
/// angle, with an optional `label` beyond it on the bisector. Measured on screen, as it is seen.
enum AngleKind: SceneKind {
    static let kind = ObjectKind.angle
    static let keys = ["vertex", "from", "to", "radius", "label", "size", "reflex", "right"]
    static let placement = KindPlacement.own
    /// A mark, like a brace: above the shapes it annotates.
    static let layer = 1.0

    static let defaultRadius = 60.0
    static let labelSize = 32.0
    /// How far from 90° (in degrees) an angle still gets the square mark.
    static let rightTolerance = 0.5

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("vertex", "the corner: an anchor like C4 or a point [x, y]", &r) {
            o.object.vertex = r.place(v, what: "`vertex`", bindings: o.bindings)
        }
        if let v = o.need("from", "a point on the first ray: an anchor like E4 or a point [x, y]", &r) {
            o.object.from = r.place(v, what: "`from`", bindings: o.bindings)
        }
        if let v = o.need("to", "a point on the second ray: an anchor like C2 or a point [x, y]", &r) {
            o.object.to = r.place(v, what: "`to`", bindings: o.bindings)
        }
        r.readRadius(&o)
        r.readFontSize(&o)
        if let v = o["label"], let s = r.text(v, what: "`label`") {
            (o.object.text, o.object.liveText) = r.liveText(s, at: v.location, bindings: o.bindings)
        }
        if let v = o["reflex"] { o.object.reflex = r.bool(v, what: "`reflex`") }
        if let v = o["right"] { o.object.rightMark = r.bool(v, what: "`right`") }
    }

    static func draw(_ d: inout KindDrawing) {
        guard let vertex = d.object.vertex, let from = d.object.from, let to = d.object.to else { return }
        let off = d.offset()
        let v = d.point(vertex) + off, a = d.point(from) + off, b = d.point(to) + off
        let la = v.distance(to: a), lb = v.distance(to: b)
        // A ray of no length has no direction: there is no angle to mark.
        guard la > 1e-9, lb > 1e-9 else { return }
        let ua = (a - v) * (1 / la), ub = (b - v) * (1 / lb)
        let radius = d.value(d.object.radius?.first, defaultRadius)
        // Angles counter-clockwise on screen (y points down).
        let start = atan2(-ua.y, ua.x)
        var sweep = remainder(atan2(-ub.y, ub.x) - start, 2 * .pi)
        if d.object.reflex == true { sweep += sweep >= 0 ? -2 * .pi : 2 * .pi }
        let square = d.object.rightMark ?? (abs(abs(sweep) * 180 / .pi - 90) <= rightTolerance)
        var bisector: Point2
        if square {
            // The square's far corner lies at `radius` from the vertex, as the arc would.
            let side = radius / 2.squareRoot()
            let p1 = v + ua * side, p3 = v + ub * side, p2 = p1 + ub * side
            if let fill = d.fill { d.path([[v, p1, p2, p3]], closed: true, fill: fill, strokeIt: false) }
            d.path([[p1, p2, p3]], closed: false)
            let diagonal = p2 - v, length = v.distance(to: p2)
            bisector = length > 1e-9 ? diagonal * (1 / length) : Point2(-ua.y, ua.x)
        } else {
            let steps = max(8, Int((abs(sweep) / (2 * .pi) * 96).rounded(.up)))
            let arc = (0...steps).map { i -> Point2 in
                let angle = start + sweep * Double(i) / Double(steps)
                return Point2(v.x + radius * cos(angle), v.y - radius * sin(angle))
            }
            if let fill = d.fill { d.path([[v] + arc], closed: true, fill: fill, strokeIt: false) }
            d.path([arc], closed: false)
            let middle = start + sweep / 2
            bisector = Point2(cos(middle), -sin(middle))
        }
        if var label = d.object.text, !label.isEmpty {
            if let pieces = d.object.liveText { label = d.live(pieces) }
            let size = d.value(d.object.fontSize, labelSize)
            let box = d.measurer.measure(label, fontSize: size, bold: false, wrapWidth: nil)
            // Clear of the mark by 12 units whichever way the bisector points.
            let gap = 12 + abs(bisector.x) * box.width / 2 + abs(bisector.y) * box.height / 2
            d.text(label, at: v + bisector * (radius + gap), size: size)
        }
    }
}
