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

// MARK: geometry of each kind

extension SceneEvaluator {
    /// A text colour of alpha < 0 means "the object's colour", filled in by `recolor`.
    static let objectColor = RGBA(r: 0, g: 0, b: 0, a: -1)

    func geometry(_ o: CompiledObject, time: Double, params: [Double], slots: inout [Double]) -> Geometry {
        let object = o.object
        var g = Geometry()
        let r = rect(o, time: time, params: params, slots: &slots)
        func value(_ e: Expr?, _ fallback: Double) -> Double {
            guard let e else { return fallback }
            let v = o.compiled(e)(&slots)
            if !v.isFinite { noteUndefined(object.id, e.source, time: time) }
            return v.isFinite ? v : fallback
        }
        let width = value(object.strokeWidth, SceneLayout.strokeWidth)
        let stroke = RGBA(r: 1, g: 1, b: 1, a: 1)
        let fill = object.fill.map { rgba($0).faded(object.fillOpacity ?? 1) }
        func path(_ subpaths: [[Point2]], closed: Bool, fill: RGBA? = nil, strokeIt: Bool = true, width w: Double? = nil) {
            g.paths.append(PathItem(subpaths: subpaths, closed: subpaths.map { _ in closed }, stroke: strokeIt ? stroke : nil,
                                    fill: fill, width: w ?? width, dashed: object.dashed ?? false))
        }
        func text(_ s: String, at p: Point2, size: Double, bold: Bool = false, font: TextFont = .sans, alignX: Double = 0,
                  alignY: Double = 0, markup: Bool = false, color: RGBA = SceneEvaluator.objectColor) {
            g.texts.append(TextItem(text: s, markup: markup, font: font, size: size, bold: bold, anchor: p, alignX: alignX,
                                    alignY: alignY, rotation: 0, color: color, reveal: 1))
        }
        let axes = object.on.flatMap { byID[$0] }
        let toScene = axes.map { axesMap($0, time: time, params: params) }
        let unit = axes.map { a -> Double in
            let map = axesMap(a, time: time, params: params)
            return map(1, 0).x - map(0, 0).x
        } ?? 1
        let center: Point2 = {
            if let at = object.at, case .point = at.base, toScene != nil {
                var p = point(at, o, time: time, params: params, slots: &slots)
                if let off = o.offset { p = p + Point2(off[0](&slots), off[1](&slots)) }
                return p
            }
            return r.center
        }()

        switch object.kind {
        case .text, .math:
            let size = value(object.fontSize, object.kind == .math ? 44 : SceneLayout.objectFontSize)
            var alignX = 0.0, alignY = 0.0, p = r.center
            if let at = object.at, case .grid = at.base, at.edge != .center {
                // `B2.left`: the text's left edge sits on the cell's left edge (`rect` is already
                // centred on that point).
                let u = at.edge.unit
                alignX = u.x; alignY = u.y
                p = r.center
            }
            let s = object.text ?? ""
            text(s, at: p, size: size, bold: object.bold ?? false,
                 font: object.kind == .math ? .serif : TextFont(rawValue: object.font ?? "sans") ?? .sans,
                 alignX: alignX, alignY: alignY, markup: object.kind == .text && s.contains("<"))
            g.texts[g.texts.count - 1].math = object.kind == .math
        case .circle:
            let radius = value(object.radius?.first, 0.42 * min(r.width, r.height) / unit) * unit
            path([Polyline.ellipse(center: center, rx: radius, ry: radius, from: .pi / 2, to: .pi / 2 + 2 * .pi,
                                   segments: Polyline.segments(radius: radius))], closed: true, fill: fill)
        case .dot:
            let radius = value(object.radius?.first, 12)
            let disc = Polyline.ellipse(center: center, rx: radius, ry: radius, segments: 40)
            if let fill {
                path([disc], closed: true, fill: fill, strokeIt: false)
            } else {
                // Filled with the object's colour, which `recolor` gives to tips.
                g.tips.append(PathItem(subpaths: [disc], closed: [true], stroke: nil, fill: stroke, width: 0, dashed: false))
            }
        case .ellipse:
            let rx = value(object.radius?[0], 0.45 * r.width), ry = value(object.radius?[1], 0.45 * r.height)
            path([Polyline.ellipse(center: center, rx: rx, ry: ry, from: .pi / 2, to: .pi / 2 + 2 * .pi)], closed: true, fill: fill)
        case .rectangle:
            let w = value(object.size?[0], r.width * 0.8), h = value(object.size?[1], r.height * 0.8)
            let c = max(0, min(value(object.corner, 0), w / 2, h / 2))
            path([Self.roundedRect(Rect(x: center.x - w / 2, y: center.y - h / 2, width: w, height: h), radius: c)], closed: true, fill: fill)
        case .regularPolygon:
            let n = Checked.int(value(object.sides, 5), clampedTo: 3...64), radius = value(object.radius?.first, 0.42 * min(r.width, r.height))
            let points = (0..<n).map { k -> Point2 in
                let a = .pi / 2 + 2 * .pi * Double(k) / Double(n)
                return Point2(center.x + radius * cos(a), center.y - radius * sin(a))
            }
            path([points], closed: true, fill: fill)
        case .polygon:
            let points = (object.points ?? []).map { point($0, o, time: time, params: params, slots: &slots) }
            path([points], closed: true, fill: fill)
        case .arc:
            let radius = value(object.radius?.first, 0.42 * min(r.width, r.height))
            let a0 = value(object.angles?[0], 0) * .pi / 180, a1 = value(object.angles?[1], 90) * .pi / 180
            path([Polyline.ellipse(center: center, rx: radius, ry: radius, from: a0, to: a1)], closed: false, fill: fill)
        case .line, .arrow:
            guard let fromPlace = object.from, let toPlace = object.to else { break }
            var a = point(fromPlace, o, time: time, params: params, slots: &slots)
            var b = point(toPlace, o, time: time, params: params, slots: &slots)
            if let off = o.offset { let d = Point2(off[0](&slots), off[1](&slots)); a = a + d; b = b + d }
            if object.kind == .arrow {
                let tips = object.tips ?? .end
                let head = min(width * 4.5, a.distance(to: b) * 0.45)
                if tips != .start { g.tips.append(Self.arrowHead(from: a, to: b, length: head)) }
                if tips != .end { g.tips.append(Self.arrowHead(from: b, to: a, length: head)) }
                // Stop the shaft inside the head so its round cap does not poke through the tip.
                let d = a.distance(to: b)
                if d > 0 {
                    let u = (b - a) * (1 / d)
                    if tips != .start { b = b - u * (head * 0.7) }
                    if tips != .end { a = a + u * (head * 0.7) }
                }
            }
            path([[a, b]], closed: false)
        case .brace:
            guard let fromPlace = object.from, let toPlace = object.to else { break }
            let a = point(fromPlace, o, time: time, params: params, slots: &slots)
            let b = point(toPlace, o, time: time, params: params, slots: &slots)
            let (points, tip, normal) = Self.brace(from: a, to: b)
            path([points], closed: false, width: width * 0.7)
            if let label = object.text, !label.isEmpty {
                let size = 32.0
                let box = measurer.measure(label, fontSize: size, bold: false, wrapWidth: nil)
                let gap = 12 + abs(normal.x) * box.width / 2 + abs(normal.y) * box.height / 2
                text(label, at: tip + normal * gap, size: size)
            }
        case .table:
            let cells = object.cells ?? []
            let rows = cells.count, columns = cells.first?.count ?? 0
            guard rows > 0, columns > 0 else { break }
            let size = value(object.fontSize, 30)
            let cw = r.width / Double(columns), ch = r.height / Double(rows)
            var lines: [[Point2]] = []
            for k in 0...rows { lines.append([Point2(r.x, r.y + ch * Double(k)), Point2(r.maxX, r.y + ch * Double(k))]) }
            for k in 0...columns { lines.append([Point2(r.x + cw * Double(k), r.y), Point2(r.x + cw * Double(k), r.maxY)]) }
            path(lines, closed: false, width: width * 0.5)
            for (i, row) in cells.enumerated() {
                for (j, cell) in row.enumerated() {
                    text(cell, at: Point2(r.x + cw * (Double(j) + 0.5), r.y + ch * (Double(i) + 0.5)), size: size, bold: i == 0,
                         color: RGBA(theme.text))
                }
            }
        case .axes:
            axesGeometry(o, rect: r, into: &g, width: width)
        case .graph:
            graphGeometry(o, rect: r, toScene: toScene, slots: &slots, into: &g, width: width)
        case .wave:
            let n = SceneParser.graphSamples, periods = object.periods ?? 1
            let harmonics = object.harmonics ?? []
            let values = (0...n).map { i -> Double in
                let x = (Double(i) / Double(n) * 2 - 1) * .pi * periods
                return harmonics.reduce(0) { $0 + $1.amplitude * sin($1.k * x + $1.phase) }
            }
            let area = r.insetBy(20)
            let peak = max(1e-9, values.map(abs).max() ?? 0) / 0.9
            let points = values.enumerated().map { i, v in
                Point2(area.x + area.width * Double(i) / Double(n), area.midY - v / peak * area.height / 2)
            }
            path([points], closed: false)
        case .parametric:
            guard let exprs = object.expressions, exprs.count == 2 else { break }
            let s0 = value(object.domain?[0], 0), s1 = value(object.domain?[1], 2 * .pi)
            let xs = o.compiled(exprs[0]), ys = o.compiled(exprs[1])
            let local = slots.count - 2
            let n = 360
            var raw: [Point2] = []
            raw.reserveCapacity(n + 1)
            for i in 0...n {
                slots[local] = s0 + (s1 - s0) * Double(i) / Double(n)
                raw.append(Point2(xs(&slots), ys(&slots)))
            }
            path(Self.split(raw.map { toScene?($0.x, $0.y) ?? $0 }, fit: toScene == nil && object.at != nil ? r.insetBy(20) : nil), closed: false)
        case .trace:
            path([tracePoints(o, until: time, toScene: toScene)], closed: false)
        case .field:
            guard let exprs = object.expressions, exprs.count == 2, let axesIndex = axes else { break }
            let a = objects[axesIndex]
            let x0 = a.number(a.object.domain?[0], -1), x1 = a.number(a.object.domain?[1], 1)
            let y0 = a.number(a.object.range?[0], -1), y1 = a.number(a.object.range?[1], 1)
            let map = axesMap(axesIndex, time: time, params: params)
            let dxs = o.compiled(exprs[0]), dys = o.compiled(exprs[1])
            let nx = 11, ny = 9
            let cell = min((x1 - x0) / Double(nx), (y1 - y0) / Double(ny))
            var samples: [(Double, Double, Double, Double)] = []
            var longest = 1e-12
            for i in 0..<nx {
                for j in 0..<ny {
                    let x = x0 + (Double(i) + 0.5) * (x1 - x0) / Double(nx), y = y0 + (Double(j) + 0.5) * (y1 - y0) / Double(ny)
                    slots[slots.count - 2] = x
                    slots[slots.count - 1] = y
                    let dx = dxs(&slots), dy = dys(&slots)
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
                g.tips.append(Self.arrowHead(from: a, to: b, length: min(width * 2.5, a.distance(to: b) * 0.5)))
            }
            path(shafts, closed: false, width: width * 0.5)
        case .image:
            g.images.append(ImageItem(object: object.id, rect: r, alpha: 1))
        case .group:
            break
        }
        if let rot = object.rotation, let bounds = g.bounds(measurer) {
            let degrees = value(rot, 0)
            g.transform(scale: 1, rotation: degrees, about: bounds.center, offset: Point2(0, 0))
        }
        return g
    }

    func graphGeometry(_ o: CompiledObject, rect r: Rect, toScene: ((Double, Double) -> Point2)?, slots: inout [Double],
                       into g: inout Geometry, width: Double) {
        guard let e = o.object.expressions?.first else { return }
        let y = o.compiled(e)
        let axes = o.object.on.flatMap { byID[$0] }.map { objects[$0] }
        let x0 = o.number(o.object.domain?[0], axes?.number(axes?.object.domain?[0], -.pi) ?? -.pi)
        let x1 = o.number(o.object.domain?[1], axes?.number(axes?.object.domain?[1], .pi) ?? .pi)
        let n = SceneParser.graphSamples
        let local = slots.count - 2
        var values: [Double] = []
        values.reserveCapacity(n + 1)
        for i in 0...n {
            slots[local] = x0 + (x1 - x0) * Double(i) / Double(n)
            values.append(y(&slots))
        }
        var subpaths: [[Point2]] = [[]]
        if let toScene, let axes {
            let y0 = axes.number(axes.object.range?[0], -1), y1 = axes.number(axes.object.range?[1], 1)
            let margin = (y1 - y0) * 0.05
            for (i, v) in values.enumerated() {
                guard v.isFinite, v >= y0 - margin, v <= y1 + margin else {
                    if !(subpaths.last!.isEmpty) { subpaths.append([]) }
                    continue
                }
                subpaths[subpaths.count - 1].append(toScene(x0 + (x1 - x0) * Double(i) / Double(n), v))
            }
        } else {
            let area = r.insetBy(20)
            let finite = values.filter(\.isFinite)
            let low = finite.min() ?? 0, high = finite.max() ?? 1
            let span = high - low
            for (i, v) in values.enumerated() {
                guard v.isFinite else {
                    if !(subpaths.last!.isEmpty) { subpaths.append([]) }
                    continue
                }
                let py = span > 1e-12 ? area.maxY - (v - low) / span * area.height : area.midY
                subpaths[subpaths.count - 1].append(Point2(area.x + area.width * Double(i) / Double(n), py))
            }
        }
        subpaths.removeAll { $0.count < 2 }
        g.paths.append(PathItem(subpaths: subpaths, closed: subpaths.map { _ in false }, stroke: RGBA(r: 1, g: 1, b: 1, a: 1),
                                fill: nil, width: width, dashed: o.object.dashed ?? false))
    }

    func axesGeometry(_ o: CompiledObject, rect r: Rect, into g: inout Geometry, width: Double) {
        let inner = r.insetBy(24)
        let x0 = o.number(o.object.domain?[0], -1), x1 = o.number(o.object.domain?[1], 1)
        let y0 = o.number(o.object.range?[0], -1), y1 = o.number(o.object.range?[1], 1)
        let map = { (x: Double, y: Double) in
            Point2(inner.x + (x - x0) / (x1 - x0) * inner.width, inner.maxY - (y - y0) / (y1 - y0) * inner.height)
        }
        let xAxisY = min(max(0, y0), y1), yAxisX = min(max(0, x0), x1)
        let w = width * 0.6
        let xa = map(x0, xAxisY), xb = map(x1, xAxisY) + Point2(16, 0)
        let ya = map(yAxisX, y0), yb = map(yAxisX, y1) - Point2(0, 16)
        var lines: [[Point2]] = [[xa, xb], [ya, yb]]
        g.tips.append(Self.arrowHead(from: xa, to: xb, length: w * 4.5))
        g.tips.append(Self.arrowHead(from: ya, to: yb, length: w * 4.5))
        let labelColor = RGBA(theme.text).mixed(RGBA(theme.background), 0.25)
        func ticks(_ from: Double, _ to: Double, _ given: Double?) -> [Double] {
            let step = given ?? Self.niceStep((to - from) / 5)
            guard step > 0, (to - from) / step <= 40 else { return [] }
            var values: [Double] = []
            var v = (from / step).rounded(.up) * step
            while v <= to + step * 1e-9 { if abs(v) > step * 1e-9 { values.append(v) }; v += step }
            return values
        }
        let showLabels = o.object.labels ?? true
        let labelSize = 22.0
        for x in ticks(x0, x1, o.object.ticks.map { o.number($0[0], 0) }) {
            let p = map(x, xAxisY)
            lines.append([p - Point2(0, 8), p + Point2(0, 8)])
            if showLabels {
                g.texts.append(TextItem(text: Self.label(x), markup: false, font: .sans, size: labelSize, bold: false,
                                        anchor: p + Point2(0, 14), alignX: 0, alignY: -1, rotation: 0, color: labelColor, reveal: 1))
            }
        }
        for y in ticks(y0, y1, o.object.ticks.map { o.number($0[1], 0) }) {
            let p = map(yAxisX, y)
            lines.append([p - Point2(8, 0), p + Point2(8, 0)])
            if showLabels {
                g.texts.append(TextItem(text: Self.label(y), markup: false, font: .sans, size: labelSize, bold: false,
                                        anchor: p - Point2(14, 0), alignX: 1, alignY: 0, rotation: 0, color: labelColor, reveal: 1))
            }
        }
        if let names = o.object.axisLabels {
            // Below the arrow's tip, where a curve drawn to the axes' end cannot run through it.
            g.texts.append(TextItem(text: names[0], markup: false, font: .serif, size: 30, bold: false, anchor: xb + Point2(0, 14),
                                    alignX: 1, alignY: -1, rotation: 0, color: SceneEvaluator.objectColor, reveal: 1))
            g.texts.append(TextItem(text: names[1], markup: false, font: .serif, size: 30, bold: false, anchor: yb + Point2(14, 0),
                                    alignX: -1, alignY: -1, rotation: 0, color: SceneEvaluator.objectColor, reveal: 1))
        }
        g.paths.append(PathItem(subpaths: lines, closed: lines.map { _ in false }, stroke: RGBA(r: 1, g: 1, b: 1, a: 1), fill: nil,
                                width: w, dashed: false))
    }

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
    public static let geometry = ComponentVersion("scene.geometry", 3)
}
