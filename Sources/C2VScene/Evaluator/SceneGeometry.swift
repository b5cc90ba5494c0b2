import C2VLesson
import C2VUtil
import Foundation

/// An object's untransformed look: paths, texts and images in scene units.
struct Geometry {
    var paths: [PathItem] = []
    var texts: [TextItem] = []
    var images: [ImageItem] = []
    /// Filled shapes that are part of the stroke's look (arrow heads): shown once drawing is nearly done.
    var tips: [PathItem] = []

    func bounds(_ measurer: any TextMeasuring) -> Rect? {
        var r = Polyline.bounds(paths.flatMap(\.subpaths) + tips.flatMap(\.subpaths))
        for t in texts {
            let box = Geometry.textBox(t, measurer)
            r = r.map { $0.union(box) } ?? box
        }
        for i in images { r = r.map { $0.union(i.rect) } ?? i.rect }
        return r
    }

    /// The rectangle a text covers (unrotated).
    static func textBox(_ t: TextItem, _ measurer: any TextMeasuring) -> Rect {
        let size = measurer.measure(t)
        return Rect(x: t.anchor.x - (t.alignX + 1) / 2 * size.width, y: t.anchor.y - (t.alignY + 1) / 2 * size.height,
                    width: size.width, height: size.height)
    }

    /// All outlines joined, for `follow` and `transform`.
    var outline: [Point2] {
        var points: [Point2] = []
        for path in paths {
            for (i, sub) in path.subpaths.enumerated() {
                points += sub
                if path.closed[i], let first = sub.first { points.append(first) }
            }
        }
        return points
    }

    /// Gives strokes (and text in the object's colour) `stroke`; fills become `fill` when a
    /// `color` step changes a filled object, keeping their opacity.
    mutating func recolor(stroke: RGBA, fill: RGBA?, object: SceneObject, theme: Theme) {
        for i in paths.indices where paths[i].stroke != nil { paths[i].stroke = stroke.faded(paths[i].stroke!.a) }
        if let fill { for i in paths.indices where paths[i].fill != nil { paths[i].fill = fill.faded(paths[i].fill!.a) } }
        for i in tips.indices { tips[i].fill = stroke }
        for i in texts.indices where texts[i].color.a < 0 { texts[i].color = stroke }
    }

    mutating func transform(scale: Double, rotation degrees: Double, about c: Point2, offset: Point2) {
        guard scale != 1 || degrees != 0 || offset != Point2(0, 0) else { return }
        let a = -degrees * .pi / 180, cosA = cos(a), sinA = sin(a)
        func map(_ p: Point2) -> Point2 {
            let dx = (p.x - c.x) * scale, dy = (p.y - c.y) * scale
            return Point2(c.x + dx * cosA - dy * sinA + offset.x, c.y + dx * sinA + dy * cosA + offset.y)
        }
        for i in paths.indices {
            paths[i].subpaths = paths[i].subpaths.map { $0.map(map) }
            paths[i].width *= scale
        }
        for i in tips.indices { tips[i].subpaths = tips[i].subpaths.map { $0.map(map) } }
        for i in texts.indices {
            texts[i].anchor = map(texts[i].anchor)
            texts[i].size *= scale
            texts[i].rotation += a
        }
        for i in images.indices {
            let r = images[i].rect, p = map(r.center)
            images[i].rect = Rect(x: p.x - r.width * scale / 2, y: p.y - r.height * scale / 2, width: r.width * scale, height: r.height * scale)
        }
    }

    /// Keeps the first `drawn` of every outline (by length) and the first `reveal` of every text.
    mutating func reveal(drawn: Double, reveal: Double) {
        if drawn < 0.999 {
            for i in paths.indices {
                var out: [[Point2]] = []
                for (k, sub) in paths[i].subpaths.enumerated() {
                    let full = paths[i].closed[k] && sub.count > 2 ? sub + [sub[0]] : sub
                    out.append(Polyline.prefix(full, length: Polyline.length(full) * drawn))
                }
                paths[i].subpaths = out
                paths[i].closed = paths[i].closed.map { _ in false }
                paths[i].fill = paths[i].fill.map { $0.faded(drawn * drawn) }
            }
            if drawn < 0.9 { tips = [] }
        }
        if reveal < 0.999 { for i in texts.indices { texts[i].reveal = min(texts[i].reveal, reveal) } }
    }

    func items(alpha: Double) -> [DrawItem] {
        var items: [DrawItem] = []
        for p in paths { items.append(.path(p.faded(alpha))) }
        for p in tips { items.append(.path(p.faded(alpha))) }
        for var t in texts where t.reveal > 0 {
            t.color = t.color.faded(alpha)
            items.append(.text(t))
        }
        for var i in images {
            i.alpha *= alpha
            items.append(.image(i))
        }
        return items
    }

    /// A point-wise blend of two outlines, resampled to the same number of points.
    static func morph(_ a: Geometry, _ b: Geometry, _ p: Double) -> PathItem {
        let n = 160
        var from = Polyline.resample(a.outline, count: n), to = Polyline.resample(b.outline, count: n)
        // Closed outlines run the same way round from the same side, or the blend twists through itself.
        if a.paths[0].closed.first == true && b.paths[0].closed.first == true {
            from = normalized(from)
            to = normalized(to)
        }
        let points = zip(from, to).map { $0.lerp($1, p) }
        let pa = a.paths[0], pb = b.paths[0]
        let stroke = (pa.stroke ?? pb.stroke ?? RGBA(r: 1, g: 1, b: 1, a: 1)).mixed(pb.stroke ?? pa.stroke ?? RGBA(r: 1, g: 1, b: 1, a: 1), p)
        var fill: RGBA?
        if pa.fill != nil || pb.fill != nil {
            fill = (pa.fill ?? (pb.fill!).faded(0)).mixed(pb.fill ?? (pa.fill!).faded(0), p)
        }
        return PathItem(subpaths: [points], closed: [false], stroke: stroke, fill: fill,
                        width: pa.width + (pb.width - pa.width) * p, dashed: false)
    }
}

/// A closed outline turned clockwise on screen, starting at its topmost point (as seen from its centre).
func normalized(_ points: [Point2]) -> [Point2] {
    var ring = points
    if let last = ring.last, let first = ring.first, last.distance(to: first) < 1e-6 { ring.removeLast() }
    guard ring.count > 2 else { return points }
    var twiceArea = 0.0
    for i in ring.indices {
        let p = ring[i], q = ring[(i + 1) % ring.count]
        twiceArea += p.x * q.y - q.x * p.y
    }
    // y points down, so a positive shoelace sum is clockwise on screen.
    if twiceArea < 0 { ring.reverse() }
    let cx = ring.map(\.x).reduce(0, +) / Double(ring.count), cy = ring.map(\.y).reduce(0, +) / Double(ring.count)
    let start = ring.indices.min { i, j in
        abs(atan2(ring[i].x - cx, cy - ring[i].y)) < abs(atan2(ring[j].x - cx, cy - ring[j].y))
    } ?? 0
    let rotated = Array(ring[start...] + ring[..<start])
    return rotated + [rotated[0]]
}

extension PathItem {
    func faded(_ k: Double) -> PathItem {
        var p = self
        p.stroke = stroke?.faded(k)
        p.fill = fill?.faded(k)
        return p
    }
}

extension SceneLayout {
    /// One cell of the 6x6 grid.
    public static var cellSize: (width: Double, height: Double) {
        (visualArea.width / Double(GridArea.size), visualArea.height / Double(GridArea.size))
    }
}

// MARK: shared by the kinds

extension SceneEvaluator {
    /// Accumulated samples of a traced point: extended frame by frame, recomputed only if time goes back.
    func tracePoints(_ o: CompiledObject, until time: Double, toScene: ((Double, Double) -> Point2)?) -> [Point2] {
        guard let index = byID[o.object.id], let exprs = o.object.expressions else { return [] }
        let since = o.object.traceFrom ?? o.object.appear
        guard time >= since else { return [] }
        var cached = objects[index].trace ?? (until: since - Self.traceStep, points: [])
        if time < cached.until { cached = (until: since - Self.traceStep, points: []) }
        let xs = o.compiled(exprs[0]), ys = o.compiled(exprs[1])
        func sample(_ t: Double) -> Point2 {
            var s = slots(o, time: t, params: paramValues(at: t))
            let x = xs(&s), y = ys(&s)
            return toScene?(x, y) ?? Point2(x, y)
        }
        var next = cached.until + Self.traceStep
        while next <= time + 1e-9 {
            // Samples closer than a fraction of a unit add cost, not detail.
            let p = sample(next)
            if let last = cached.points.last, last.distance(to: p) < 0.75 {
                cached.until = next
                next += Self.traceStep
                continue
            }
            cached.points.append(p)
            cached.until = next
            next += Self.traceStep
        }
        objects[index].trace = cached
        return cached.points + [sample(time)]
    }

    /// Splits a curve where it is undefined; fits it into `fit` (y up) when given.
    static func split(_ points: [Point2], fit: Rect?) -> [[Point2]] {
        var result: [[Point2]] = [[]]
        var mapped = points
        if let fit, let b = Polyline.bounds([points.filter { $0.x.isFinite && $0.y.isFinite }]) {
            let k = min(fit.width / max(b.width, 1e-9), fit.height / max(b.height, 1e-9))
            mapped = points.map { Point2(fit.midX + ($0.x - b.midX) * k, fit.midY - ($0.y - b.midY) * k) }
        }
        for p in mapped {
            if p.x.isFinite && p.y.isFinite { result[result.count - 1].append(p) } else if !result.last!.isEmpty { result.append([]) }
        }
        return result.filter { $0.count > 1 }
    }

    /// Multiples of `step` from `from` to `to`, but 0; none when there would be over 40.
    static func ticks(_ from: Double, _ to: Double, step: Double) -> [Double] {
        guard step > 0, (to - from) / step <= 40 else { return [] }
        var values: [Double] = []
        var v = (from / step).rounded(.up) * step
        while v <= to + step * 1e-9 { if abs(v) > step * 1e-9 { values.append(v) }; v += step }
        return values
    }

    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        let f = raw / magnitude
        return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * magnitude
    }

    static func label(_ v: Double) -> String {
        if abs(v - v.rounded()) < 1e-9 { return Checked.display(v.rounded()) }
        return String(format: "%g", (v * 1000).rounded() / 1000)
    }

    /// An arrow head whose size follows the stroke width, so arrows look alike at any resolution.
    static func arrowHead(from a: Point2, to b: Point2, length: Double) -> PathItem {
        let angle = atan2(b.y - a.y, b.x - a.x), spread = 0.42
        let points = [b, Point2(b.x - length * cos(angle - spread), b.y - length * sin(angle - spread)),
                      Point2(b.x - length * cos(angle + spread), b.y - length * sin(angle + spread))]
        return PathItem(subpaths: [points], closed: [true], stroke: nil, fill: RGBA(r: 1, g: 1, b: 1, a: 1), width: 0, dashed: false)
    }

    static func roundedRect(_ r: Rect, radius: Double) -> [Point2] {
        guard radius > 0.5 else { return [Point2(r.x, r.y), Point2(r.maxX, r.y), Point2(r.maxX, r.maxY), Point2(r.x, r.maxY)] }
        var points: [Point2] = []
        // Counter-clockwise on screen: top right, top left, bottom left, bottom right; each corner's
        // quarter turn starts where the previous straight edge ends.
        let corners = [(Point2(r.maxX - radius, r.y + radius), 0.0), (Point2(r.x + radius, r.y + radius), Double.pi / 2),
                       (Point2(r.x + radius, r.maxY - radius), Double.pi), (Point2(r.maxX - radius, r.maxY - radius), 1.5 * Double.pi)]
        for (c, start) in corners {
            points += Polyline.ellipse(center: c, rx: radius, ry: radius, from: start, to: start + .pi / 2, segments: 40)
        }
        return points
    }

    /// A curly brace from a to b bulging to the right of the direction of travel (below, for left to right).
    static func brace(from a: Point2, to b: Point2) -> (points: [Point2], tip: Point2, normal: Point2) {
        let length = a.distance(to: b)
        guard length > 1 else { return ([a, b], a, Point2(0, 1)) }
        let u = (b - a) * (1 / length), n = Point2(-u.y, u.x)
        let h = min(40, max(16, length * 0.08))
        func p(_ s: Double, _ v: Double) -> Point2 { a + u * s + n * v }
        let half = length / 2, q = min(h / 2, length / 4)
        var points = Polyline.quadratic(p(0, 0), p(0, h / 2), p(q, h / 2))
        points += [p(half - q, h / 2)]
        points += Polyline.quadratic(p(half - q, h / 2), p(half, h / 2), p(half, h)).dropFirst()
        points += Polyline.quadratic(p(half, h), p(half, h / 2), p(half + q, h / 2)).dropFirst()
        points += [p(length - q, h / 2)]
        points += Polyline.quadratic(p(length - q, h / 2), p(length, h / 2), p(length, 0)).dropFirst()
        return (points, p(half, h), n)
    }
}

extension SceneComponents {
    /// Objects -> paths, texts and images in scene units. 2: the x-axis label below the arrow tip.
    /// 3: an arc's segments are capped whatever its sweep; counts are clamped, never trapped.
    /// 4: tick labels are 28 units (readable at 360p); a circle on a host takes both its scales.
    public static let geometry = ComponentVersion("scene.geometry", 4)
}
