import C2VUtil
import Foundation

/// `line`: from one place to another.
enum LineKind: SceneKind {
    static let kind = ObjectKind.line
    static let keys = ["from", "to"]
    static let placement = KindPlacement.own

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        readEnds(&o, &r)
    }

    static func draw(_ d: inout KindDrawing) {
        guard let (a, b) = ends(&d) else { return }
        d.path([[a, b]], closed: false)
    }

    /// `from` and `to`, which a line, an arrow and a brace all need.
    static func readEnds(_ o: inout KindInput, _ r: inout SceneReader) {
        if let v = o.need("from", "an anchor like B2 or a point [x, y]", &r) { o.object.from = r.place(v, what: "`from`", bindings: o.bindings) }
        if let v = o.need("to", "an anchor like D4 or a point [x, y]", &r) { o.object.to = r.place(v, what: "`to`", bindings: o.bindings) }
    }

    /// Both ends now, moved by the object's `offset`.
    static func ends(_ d: inout KindDrawing) -> (Point2, Point2)? {
        guard let from = d.object.from, let to = d.object.to else { return nil }
        let a = d.point(from), b = d.point(to), off = d.offset()
        return (a + off, b + off)
    }
}

/// `arrow`: a line with a head at its end, its start or both (`tips`).
enum ArrowKind: SceneKind {
    static let kind = ObjectKind.arrow
    static let keys = ["from", "to", "tips"]
    static let placement = KindPlacement.own

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        LineKind.readEnds(&o, &r)
        if let v = o["tips"], let s = r.text(v, what: "`tips`") {
            if let t = ArrowTips(rawValue: s) { o.object.tips = t } else {
                r.fail("unknown `tips` `\(s)`" + suggestion(s, ArrowTips.allCases.map(\.rawValue)), v.location)
            }
        }
    }

    static func draw(_ d: inout KindDrawing) {
        guard var (a, b) = LineKind.ends(&d) else { return }
        let tips = d.object.tips ?? .end
        let head = min(d.width * 4.5, a.distance(to: b) * 0.45)
        if tips != .start { d.geometry.tips.append(SceneEvaluator.arrowHead(from: a, to: b, length: head)) }
        if tips != .end { d.geometry.tips.append(SceneEvaluator.arrowHead(from: b, to: a, length: head)) }
        // Stop the shaft inside the head so its round cap does not poke through the tip.
        let length = a.distance(to: b)
        if length > 0 {
            let u = (b - a) * (1 / length)
            if tips != .start { b = b - u * (head * 0.7) }
            if tips != .end { a = a + u * (head * 0.7) }
        }
        d.path([[a, b]], closed: false)
    }
}

/// `brace`: a curly brace from one place to another, bulging to the right of its direction,
/// with an optional label beyond its tip.
enum BraceKind: SceneKind {
    static let kind = ObjectKind.brace
    static let keys = ["from", "to", "text"]
    static let layer = 1.0
    static let placement = KindPlacement.own
    static let textColored = true

    static func read(_ o: inout KindInput, _ r: inout SceneReader) {
        LineKind.readEnds(&o, &r)
        if let v = o["text"], case .scalar(let s, let at) = v {
            (o.object.text, o.object.liveText) = r.liveText(s, at: at, bindings: o.bindings)
        }
    }

    static func draw(_ d: inout KindDrawing) {
        guard let from = d.object.from, let to = d.object.to else { return }
        let a = d.point(from), b = d.point(to)
        let (points, tip, normal) = SceneEvaluator.brace(from: a, to: b)
        d.path([points], closed: false, width: d.width * 0.7)
        if var label = d.object.text, !label.isEmpty {
            if let pieces = d.object.liveText { label = d.live(pieces) }
            let size = 32.0
            let box = d.measurer.measure(label, fontSize: size, bold: false, wrapWidth: nil)
            let gap = 12 + abs(normal.x) * box.width / 2 + abs(normal.y) * box.height / 2
            d.text(label, at: tip + normal * gap, size: size)
        }
    }
}
