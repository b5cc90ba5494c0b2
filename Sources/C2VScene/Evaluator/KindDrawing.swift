import C2VLesson
import C2VUtil
import Foundation

/// What a kind draws with at one moment: its compiled object, its box, its host's units, and
/// the geometry it adds to.
struct KindDrawing {
    let evaluator: SceneEvaluator
    let compiled: CompiledObject
    let time: Double
    let params: [Double]
    var slots: [Double]
    /// The cell or area it fills (a cell-sized box about its point).
    let rect: Rect
    /// Where it is centred: its point mapped through its host when it has one, else `rect`'s centre.
    let center: Point2
    /// Its host's coordinates, when drawn `on` axes or a plane.
    let host: HostFrame?
    /// Scene units per host unit along x and y (1 without a host).
    let unit: (x: Double, y: Double)
    /// Its stroke width.
    let width: Double
    /// Its fill, with its opacity.
    let fill: RGBA?
    var geometry = Geometry()

    var object: SceneObject { compiled.object }
    /// Host units to scene units, when drawn `on` a host.
    var toScene: ((Double, Double) -> Point2)? { host.map { h in { x, y in h.map(x, y) } } }
    var theme: Theme { evaluator.theme }
    var measurer: any TextMeasuring { evaluator.measurer }

    /// White until `recolor` gives strokes the object's colour.
    static let stroke = RGBA(r: 1, g: 1, b: 1, a: 1)

    /// `e`'s value now, or `fallback` without one; an undefined value is noted for the Critic.
    mutating func value(_ e: Expr?, _ fallback: Double) -> Double {
        guard let e else { return fallback }
        let v = compiled.compiled(e)(&slots)
        if !v.isFinite { evaluator.noteUndefined(object.id, e.source, time: time) }
        return v.isFinite ? v : fallback
    }

    /// A live text as it reads now.
    mutating func live(_ pieces: [TextPiece]) -> String {
        var s = ""
        for p in pieces {
            if let l = p.literal { s += l } else if let e = p.value {
                let v = compiled.compiled(e)(&slots)
                if !v.isFinite { evaluator.noteUndefined(object.id, e.source, time: time) }
                s += TextPiece.format(v, p.format)
            }
        }
        return s
    }

    /// A place as a point (through the host when drawn `on` one).
    mutating func point(_ place: Place) -> Point2 {
        evaluator.point(place, compiled, time: time, params: params, slots: &slots)
    }

    /// The object's `offset` now, in scene units.
    mutating func offset() -> Point2 {
        guard let off = compiled.offset else { return Point2(0, 0) }
        return Point2(off[0](&slots), off[1](&slots))
    }

    /// Sets local `name` (a graph's `x`) for the next evaluation.
    mutating func setLocal(_ name: String, _ value: Double) {
        slots[compiled.scope.slot(ofLocal: name)] = value
    }

    mutating func path(_ subpaths: [[Point2]], closed: Bool, fill: RGBA? = nil, strokeIt: Bool = true, width w: Double? = nil) {
        geometry.paths.append(PathItem(subpaths: subpaths, closed: subpaths.map { _ in closed }, stroke: strokeIt ? Self.stroke : nil,
                                       fill: fill, width: w ?? width, dashed: object.dashed ?? false))
    }

    mutating func text(_ s: String, at p: Point2, size: Double, bold: Bool = false, font: TextFont = .sans, alignX: Double = 0,
                       alignY: Double = 0, markup: Bool = false, color: RGBA = SceneEvaluator.objectColor, math: Bool = false) {
        geometry.texts.append(TextItem(text: s, markup: markup, font: font, size: size, bold: bold, anchor: p, alignX: alignX,
                                       alignY: alignY, rotation: 0, color: color, reveal: 1, math: math))
    }
}

extension SceneEvaluator {
    /// A text colour of alpha < 0 means "the object's colour", filled in by `recolor`.
    static let objectColor = RGBA(r: 0, g: 0, b: 0, a: -1)

    /// An object's look at `time`: its kind draws it, then its `rotation` turns it.
    func geometry(_ o: CompiledObject, time: Double, params: [Double], slots: inout [Double]) -> Geometry {
        let object = o.object
        let r = rect(o, time: time, params: params, slots: &slots)
        let host = object.on.flatMap { byID[$0] }.map { hostFrame($0, time: time, params: params) }
        let unit = host?.scale ?? (1, 1)
        var center = r.center
        if let at = object.at, case .point = at.base, host != nil {
            center = point(at, o, time: time, params: params, slots: &slots)
            if let off = o.offset { center = center + Point2(off[0](&slots), off[1](&slots)) }
        }
        let width: Double = {
            guard let e = object.strokeWidth else { return SceneLayout.strokeWidth }
            let v = o.compiled(e)(&slots)
            if !v.isFinite { noteUndefined(object.id, e.source, time: time) }
            return v.isFinite ? v : SceneLayout.strokeWidth
        }()
        var d = KindDrawing(evaluator: self, compiled: o, time: time, params: params, slots: slots, rect: r, center: center,
                            host: host, unit: unit, width: width,
                            fill: object.fill.map { rgba($0).faded(object.fillOpacity ?? 1) })
        SceneKinds.of(object.kind).draw(&d)
        slots = d.slots
        var g = d.geometry
        if let rotation = object.rotation, let bounds = g.bounds(measurer) {
            let degrees = d.value(rotation, 0)
            g.transform(scale: 1, rotation: degrees, about: bounds.center, offset: Point2(0, 0))
        }
        if let next = object.nextTo, let own = g.bounds(measurer), let other = byID[next.object].flatMap({ placedBox($0, time: time, params: params) }) {
            // Its facing edge `gap` from the other's side, centred along that side.
            let u = next.side.unit
            let target = Point2(other.midX + u.x * (other.width / 2 + next.gap + own.width / 2),
                                other.midY + u.y * (other.height / 2 + next.gap + own.height / 2))
            var shift = target - own.center
            if let off = d.compiled.offset { shift = shift + Point2(off[0](&slots), off[1](&slots)) }
            g.transform(scale: 1, rotation: 0, about: own.center, offset: shift)
        }
        return g
    }
}
