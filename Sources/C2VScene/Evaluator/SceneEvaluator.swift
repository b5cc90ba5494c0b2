import C2VLesson
import C2VUtil
import Foundation

/// Measures text as the renderer will draw it; the renderer supplies the real (Pango) one.
public protocol TextMeasuring {
    /// Size in scene units of `text` at `fontSize` (scene units), wrapped at `wrapWidth` when given.
    func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double)
    /// The same for a styled run (`font`, markup); defaults to `measure`.
    func measure(_ item: TextItem) -> (width: Double, height: Double)
    /// Where a named part of a formula lies, relative to the formula's top left; nil when unknown.
    func part(_ name: String, of item: TextItem) -> Rect?
}

extension TextMeasuring {
    public func measure(_ item: TextItem) -> (width: Double, height: Double) {
        measure(item.text, fontSize: item.size, bold: item.bold, wrapWidth: nil)
    }

    public func part(_ name: String, of item: TextItem) -> Rect? { nil }
}

/// A rough measurer (average glyph widths) for when no font is at hand.
public struct ApproximateTextMeasurer: TextMeasuring {
    public init() {}
    public func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double) {
        let stripped = text.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        let width = Double(stripped.count) * fontSize * (bold ? 0.6 : 0.55)
        if let wrap = wrapWidth, width > wrap {
            return (wrap, fontSize * 1.25 * ceil(width / wrap))
        }
        return (width, fontSize * 1.25)
    }
}

/// Turns a scene into what is on screen at any moment: compiled once (expressions are parsed
/// here, never per frame), then evaluated per frame into draw items in scene units. The
/// renderer draws those items; the Critic measures them. Not thread-safe: one per user.
public final class SceneEvaluator {
    public let scene: Scene
    let theme: Theme
    let measurer: any TextMeasuring
    let paramNames: [String]
    var objects: [CompiledObject] = []
    var byID: [String: Int] = [:]
    /// Animations by target, in start order.
    var animationsByTarget: [String: [SceneAnimation]] = [:]
    var paramAnimations: [SceneAnimation] = []
    /// `zoom` and `pan` steps, in start order.
    var cameraAnimations: [SceneAnimation] = []
    /// Where each camera step takes the camera (worked out on first use).
    var cameraTargets: [Camera]?
    /// Object indices by `z`, then as written.
    let drawingOrder: [Int]
    /// Count of expression compilations; stays fixed while frames are drawn.
    public private(set) var compilations = 0
    /// Expressions that were undefined (NaN or infinite) when drawn: object id -> (source, first time).
    public private(set) var undefined: [String: (expression: String, time: Double)] = [:]

    func noteUndefined(_ id: String, _ source: String, time: Double) {
        if undefined[id] == nil { undefined[id] = (source, time) }
    }

    /// Seconds between samples of a traced path (and of a `follow` path).
    public static let traceStep = 1.0 / 120

    public init(scene: Scene, theme: Theme, measurer: any TextMeasuring = ApproximateTextMeasurer()) throws {
        self.scene = scene
        self.theme = theme
        self.measurer = measurer
        paramNames = scene.params.map(\.name)
        let functions = scene.functions
        for a in scene.animations {
            if let target = a.target { animationsByTarget[target, default: []].append(a) }
            if a.kind == .animate { paramAnimations.append(a) }
            if a.kind.isCamera { cameraAnimations.append(a) }
        }
        cameraAnimations.sort { $0.start < $1.start }
        drawingOrder = scene.objects.indices.sorted { a, b in
            let za = scene.objects[a].z ?? SceneKinds.of(scene.objects[a].kind).layer
            let zb = scene.objects[b].z ?? SceneKinds.of(scene.objects[b].kind).layer
            return za != zb ? za < zb : a < b
        }
        var cache: [String: MathExpression] = [:]
        for (i, object) in scene.objects.enumerated() {
            byID[object.id] = i
            // A `move ... to: [x, y]` is evaluated with the moving object's variables.
            let places = (animationsByTarget[object.id] ?? []).compactMap(\.place)
            objects.append(try CompiledObject(object, places: places, params: paramNames, functions: functions,
                                              cache: &cache, count: &compilations))
        }
    }

    // MARK: clock and parameters

    /// Parameter values at `time`: each `animate` step moves its parameter from where it was to its target.
    func paramValues(at time: Double) -> [Double] {
        var values = scene.params.map(\.initial)
        for a in paramAnimations where a.start <= time {
            guard let name = a.param, let i = paramNames.firstIndex(of: name), let to = a.value else { continue }
            let p = progress(a, time)
            let from = a.fromValue ?? values[i]
            values[i] = from + (to - from) * p
        }
        return values
    }

    /// Fraction `p` of the way along displacement `d`: straight, or along an arc of `arc`
    /// degrees (counter-clockwise on screen for positive arcs).
    static func along(_ d: Point2, arc: Double?, _ p: Double) -> Point2 {
        let length = hypot(d.x, d.y)
        guard let degrees = arc, abs(degrees) > 0.5, length > 1e-9 else { return d * p }
        let theta = degrees * .pi / 180
        // The arc's centre lies on the chord's perpendicular bisector; turning the start about it
        // by theta*p walks the arc. y points down, so counter-clockwise on screen is a negative angle.
        let half = d * 0.5
        let normal = Point2(d.y / length, -d.x / length)
        let centre = half + normal * (length / 2 / tan(theta / 2))
        let a = theta * p
        let r = Point2(0, 0) - centre
        let turned = Point2(r.x * cos(a) + r.y * sin(a), -r.x * sin(a) + r.y * cos(a))
        return centre + turned
    }

    func progress(_ a: SceneAnimation, _ time: Double) -> Double {
        guard a.duration > 0 else { return time >= a.start ? 1 : 0 }
        return a.easing.apply((time - a.start) / a.duration)
    }

    /// The slot array an object's expressions read at `time`.
    func slots(_ o: CompiledObject, time: Double, params: [Double]) -> [Double] {
        o.scope.slots(time: time, progress: scene.duration > 0 ? min(1, max(0, time / scene.duration)) : 0, params: params,
                      bindings: o.object.bindings)
    }

    // MARK: frames

    /// Every visible object's draw items at `time`, in drawing order.
    public func frame(at time: Double) -> [ObjectFrame] {
        let params = paramValues(at: time)
        let camera = cameraAnimations.isEmpty ? Camera.identity : camera(at: time)
        var result: [ObjectFrame] = []
        for index in drawingOrder {
            let o = objects[index]
            guard o.object.kind != .group else { continue }
            var items = objectItems(index, time: time, params: params)
            if !camera.isIdentity, o.object.pinned != true {
                let scalesText = !SceneKinds.hosts.contains(o.object.kind)
                items = items.map { camera.apply($0, scalesText: scalesText) }
            }
            items = items.map { $0.bounded() }
            if !items.isEmpty { result.append(ObjectFrame(id: o.object.id, items: items)) }
        }
        return result
    }

    /// The object's state at `time` from its own entrance/exit and the steps that target it.
    struct State {
        var alpha = 1.0
        var drawn = 1.0
        var reveal = 1.0
        var scale = 1.0
        var rotation = 0.0
        var offset = Point2(0, 0)
        var color: RGBA?
        /// A `color` step's fill, blended from the object's own fill (not from its stroke).
        var fill: RGBA?
        var morph: (other: Int, p: Double)?
        var highlight: (style: IndicateStyle, p: Double, color: RGBA, part: String?)?
        var followPath: (other: Int, p: Double)?
    }

    func state(_ o: CompiledObject, time: Double, base: Point2, params: [Double]) -> State? {
        let object = o.object
        if time < object.appear - 1e-9 { return nil }
        var s = State()
        if !object.entersByAnimation {
            let p = smoothstep((time - object.appear) / SceneObject.entranceSeconds)
            switch object.entrance {
            case .fade: s.alpha = p
            case .create: s.drawn = p; s.alpha = min(1, p * 3)
            case .write: s.reveal = p; s.drawn = p; s.alpha = min(1, p * 3)
            case .grow: s.scale = max(0.001, p)
            case .none: break
            }
        }
        if let d = object.disappear, time >= d {
            s.alpha *= max(0, 1 - (time - d) / SceneObject.exitSeconds)
            if s.alpha <= 0 { return nil }
        }
        for a in animationsByTarget[object.id] ?? [] where a.start <= time {
            let p = progress(a, time)
            let done = time >= a.end
            switch a.kind {
            case .create: s.drawn = p; s.reveal = p; s.alpha = min(s.alpha, max(0.001, min(1, p * 3)))
            case .write: s.reveal = p; s.drawn = p
            case .fadeIn: s.alpha *= p
            case .grow: s.scale *= max(0.001, p)
            case .fadeOut:
                if done { return nil }
                s.alpha *= 1 - p
            case .shrink:
                if done { return nil }
                s.scale *= max(0.001, 1 - p)
            case .move:
                guard let place = a.place else { break }
                let target = point(place, o, time: time, params: params)
                let goal = target - base
                s.offset = s.offset + Self.along(goal - s.offset, arc: a.arc, p)
            case .shift:
                if let by = a.by { s.offset = s.offset + Self.along(Point2(by[0], by[1]), arc: a.arc, p) }
            case .scale:
                if let f = a.value { s.scale *= 1 + (f - 1) * p }
            case .rotate:
                if let deg = a.value { s.rotation += deg * p }
            case .color:
                if let c = a.color {
                    s.color = (s.color ?? rgba(object.color)).mixed(rgba(c), p)
                    if let own = object.fill { s.fill = (s.fill ?? rgba(own)).mixed(rgba(c), p) }
                }
            case .transform:
                if done { return nil }
                if let other = a.other.flatMap({ byID[$0] }) { s.morph = (other, p) }
            case .indicate:
                if !done {
                    // A formula's part cannot pulse on its own; it gets a box.
                    let style = a.part != nil && (a.style ?? .pulse) == .pulse ? .box : (a.style ?? .pulse)
                    s.highlight = (style, p, a.color.map(rgba) ?? rgba(.accent(1)), a.part)
                }
            case .follow:
                if let other = a.other.flatMap({ byID[$0] }) { s.followPath = (other, p) }
            case .animate, .wait, .zoom, .pan:
                break
            }
        }
        if let h = s.highlight, h.style == .pulse {
            s.scale *= 1 + 0.2 * h.p
            s.color = (s.color ?? rgba(object.color)).mixed(h.color, h.p)
        }
        return s.alpha > 0.002 ? s : nil
    }

    func objectItems(_ index: Int, time: Double, params: [Double]) -> [DrawItem] {
        let o = objects[index]
        var slots = slots(o, time: time, params: params)
        var shape = geometry(o, time: time, params: params, slots: &slots)
        guard let bounds = shape.bounds(measurer) else { return [] }
        let base = bounds.center
        guard var s = state(o, time: time, base: base, params: params) else { return [] }
        if let f = s.followPath {
            let path = objects[f.other]
            var pathSlots = self.slots(path, time: time, params: params)
            let outline = geometry(path, time: time, params: params, slots: &pathSlots).outline
            if let p = Polyline.point(outline, at: f.p) { s.offset = p - base }
        }
        let color = (s.color ?? rgba(o.object.color))
        shape.recolor(stroke: color, fill: s.fill, object: o.object, theme: theme)
        if let morph = s.morph {
            let other = objects[morph.other]
            var otherSlots = self.slots(other, time: time, params: params)
            var target = geometry(other, time: time, params: params, slots: &otherSlots)
            target.recolor(stroke: rgba(other.object.color), fill: nil, object: other.object, theme: theme)
            if shape.texts.isEmpty && target.texts.isEmpty && !shape.paths.isEmpty && !target.paths.isEmpty {
                return [.path(Geometry.morph(shape, target, morph.p).faded(s.alpha))]
            }
            // Formula into formula: named parts travel, the rest cross-fades (drawn by the renderer).
            if shape.paths.isEmpty, target.paths.isEmpty, shape.texts.count == 1, target.texts.count == 1,
               shape.texts[0].math, target.texts[0].math {
                var from = shape.texts[0], to = target.texts[0]
                from.color = from.color.faded(s.alpha)
                to.color = to.color.faded(s.alpha)
                from.transition = TextTransition(target: to, progress: morph.p)
                return [.text(from)]
            }
            // Other text involved: cross-fade.
            return shape.items(alpha: s.alpha * (1 - morph.p)) + target.items(alpha: s.alpha * morph.p)
        }
        shape.transform(scale: s.scale, rotation: s.rotation, about: base, offset: s.offset)
        shape.reveal(drawn: s.drawn, reveal: s.reveal)
        var items = shape.items(alpha: s.alpha)
        if let h = s.highlight, h.style != .pulse, var box = shape.bounds(measurer) {
            var outline: [Point2]?
            if let name = h.part, let part = kindPart(o, name, time: time, params: params, state: s, base: base) {
                box = part.box
                outline = part.outline
            } else if let name = h.part, let t = shape.texts.first, let part = measurer.part(name, of: t) {
                box = Rect(x: box.x + part.x, y: box.y + part.y, width: part.width, height: part.height)
            }
            let c = h.color.faded(s.alpha * h.p)
            if h.style == .box {
                let r = box.outset(14)
                items.append(.path(PathItem(subpaths: [outline ?? [Point2(r.x, r.y), Point2(r.maxX, r.y), Point2(r.maxX, r.maxY), Point2(r.x, r.maxY)]],
                                            closed: [true], stroke: c, fill: nil, width: SceneLayout.strokeWidth * 0.8, dashed: false)))
            } else {
                let y = box.maxY + 10
                let w = box.width * min(1, h.p * 2)
                items.append(.path(PathItem(subpaths: [[Point2(box.x, y), Point2(box.x + w, y)]], closed: [false], stroke: c,
                                            fill: nil, width: SceneLayout.strokeWidth, dashed: false)))
            }
        }
        return items
    }

    func rgba(_ ref: ColorRef) -> RGBA {
        switch ref {
        case .text: return RGBA(theme.text)
        case .background: return RGBA(theme.background)
        case .accent(let i): return RGBA(theme.accents.isEmpty ? theme.text : theme.accents[i % theme.accents.count])
        case .rgb(let c): return RGBA(c)
        }
    }

    // MARK: places

    /// The rectangle an object fills: its grid area, or a cell-sized box centred on its point.
    func rect(_ o: CompiledObject, time: Double, params: [Double], slots: inout [Double]) -> Rect {
        let cell = SceneLayout.cellSize
        guard let at = o.object.at else {
            // Placed `next_to` another: a cell's box, moved beside it once drawn.
            if o.object.nextTo != nil {
                let c = SceneLayout.visualArea.center
                return Rect(x: c.x - cell.width / 2, y: c.y - cell.height / 2, width: cell.width, height: cell.height)
            }
            return SceneLayout.visualArea
        }
        var r: Rect
        switch at.base {
        case .grid(let area):
            r = SceneLayout.rect(area)
            if at.edge != .center {
                let u = at.edge.unit
                let p = Point2(r.midX + u.x * r.width / 2, r.midY + u.y * r.height / 2)
                let cell = SceneLayout.cellSize
                r = Rect(x: p.x - cell.width / 2, y: p.y - cell.height / 2, width: cell.width, height: cell.height)
            }
        case .point, .object:
            let p = point(at, o, time: time, params: params, slots: &slots)
            r = Rect(x: p.x - cell.width / 2, y: p.y - cell.height / 2, width: cell.width, height: cell.height)
        }
        if let off = o.offset {
            r.x += off[0](&slots)
            r.y += off[1](&slots)
        }
        return r
    }

    func point(_ place: Place, _ o: CompiledObject, time: Double, params: [Double]) -> Point2 {
        var s = slots(o, time: time, params: params)
        return point(place, o, time: time, params: params, slots: &s)
    }

    /// A place as a point: a grid area's centre or edge, or [x, y] (in axis units when drawn `on` axes).
    func point(_ place: Place, _ o: CompiledObject, time: Double, params: [Double], slots: inout [Double]) -> Point2 {
        switch place.base {
        case .grid(let area):
            let r = SceneLayout.rect(area), u = place.edge.unit
            return Point2(r.midX + u.x * r.width / 2, r.midY + u.y * r.height / 2)
        case .point(let xe, let ye):
            let x = o.compiled(xe)(&slots), y = o.compiled(ye)(&slots)
            if !x.isFinite { noteUndefined(o.object.id, xe.source, time: time) }
            if !y.isFinite { noteUndefined(o.object.id, ye.source, time: time) }
            if let axes = o.object.on.flatMap({ byID[$0] }) {
                return axesMap(axes, time: time, params: params)(x.isFinite ? x : 0, y.isFinite ? y : 0)
            }
            return Point2(x.isFinite ? x : 0, y.isFinite ? y : 0)
        case .object(let id):
            guard let box = byID[id].flatMap({ placedBox($0, time: time, params: params) }) else { return SceneLayout.visualArea.center }
            let u = place.edge.unit
            return Point2(box.midX + u.x * box.width / 2, box.midY + u.y * box.height / 2)
        }
    }

    /// Where object `index` is drawn at `time`: its box with the moves, shifts and scales of its
    /// steps so far, whether or not it has entered yet. What `box.top` and `next_to` refer to.
    func placedBox(_ index: Int, time: Double, params: [Double]) -> Rect? {
        let o = objects[index]
        var s = slots(o, time: time, params: params)
        guard var box = geometry(o, time: time, params: params, slots: &s).bounds(measurer) else { return nil }
        var state = State()
        if let st = self.state(o, time: max(time, o.object.appear), base: box.center, params: params) { state = st }
        let w = box.width * state.scale, h = box.height * state.scale
        box = Rect(x: box.midX - w / 2 + state.offset.x, y: box.midY - h / 2 + state.offset.y, width: w, height: h)
        return box
    }

    /// The coordinates of host object `index` (axes or a plane) at `time`.
    func hostFrame(_ index: Int, time: Double, params: [Double]) -> HostFrame {
        let host = objects[index]
        var s = slots(host, time: time, params: params)
        let r = rect(host, time: time, params: params, slots: &s)
        return SceneKinds.of(host.object.kind).frame(host, rect: r)
            ?? HostFrame(x0: 0, x1: r.width, y0: 0, y1: r.height, box: r)
    }

    /// Host units to scene units for host object `index`.
    func axesMap(_ index: Int, time: Double, params: [Double]) -> (Double, Double) -> Point2 {
        let frame = hostFrame(index, time: time, params: params)
        return { x, y in frame.map(x, y) }
    }
}

/// An object with its expressions compiled.
struct CompiledObject {
    typealias Node = (inout [Double]) -> Double
    let object: SceneObject
    /// What its expressions read, in slot order.
    let scope: VariableScope
    var offset: [Node]?
    private var nodes: [String: Node] = [:]
    private var constants: [String: Double] = [:]
    /// Traced path samples, extended as time moves forward.
    var trace: (until: Double, points: [Point2])?
    /// What its kind worked out once for every frame (`SceneKind.prepare`).
    let prepared: (any Sendable)?

    init(_ object: SceneObject, places extra: [Place] = [], params: [String], functions: [MathExpression.Function],
         cache: inout [String: MathExpression], count: inout Int) throws {
        self.object = object
        scope = SceneKinds.scope(of: object, params: params)
        prepared = SceneKinds.of(object.kind).prepare(object)
        var all: [Expr] = []
        func add(_ e: Expr?) { if let e { all.append(e) } }
        func add(_ list: [Expr]?) { all += list ?? [] }
        add(object.offset); add(object.fontSize); add(object.radius); add(object.size); add(object.corner); add(object.sides)
        add(object.angles); add(object.rotation); add(object.expressions); add(object.domain); add(object.range)
        add(object.ticks); add(object.strokeWidth); add(object.liveText?.compactMap(\.value))
        add(object.visibleLines); add(object.markedLine)
        add(object.markExpressions)
        for place in [object.at, object.from, object.to].compactMap({ $0 }) + (object.points ?? []) + object.markPlaces + extra {
            if case .point(let x, let y) = place.base { all += [x, y] }
        }
        for e in all where nodes[e.source] == nil {
            do {
                // Members of a family have the same variables and texts: one compilation serves all.
                let key = scope.key(e.source)
                let compiled: MathExpression
                if let known = cache[key] { compiled = known } else {
                    compiled = try MathExpression(e.source, variables: scope.names, functions: functions)
                    cache[key] = compiled
                    count += 1
                }
                nodes[e.source] = { compiled.evaluate(slots: &$0) }
            } catch {
                throw C2VError(.invalidInput, "scene object `\(object.id)`: expression `\(e.source)`: \(error.message)")
            }
        }
        offset = object.offset.map { $0.map { e in nodes[e.source]! } }
        // Ranges and ticks are fixed numbers (the parser allows only constants there): evaluated
        // once here instead of on every frame that maps a point onto the axes.
        var zeros = [Double](repeating: 0, count: scope.names.count)
        for e in (object.domain ?? []) + (object.range ?? []) + (object.ticks ?? []) {
            let v = nodes[e.source]!(&zeros)
            if v.isFinite { constants[e.source] = v }
        }
    }

    func compiled(_ e: Expr) -> Node { nodes[e.source] ?? { _ in .nan } }

    /// A constant field's value (ranges, ticks), or `fallback`.
    func number(_ e: Expr?, _ fallback: Double) -> Double {
        guard let e, let v = constants[e.source] else { return fallback }
        return v
    }
}

extension SceneComponents {
    /// Scene + time -> draw items (steps, easing, traced paths, transforms).
    /// 2: every item is bounded (`DrawLimits`) before it is drawn or checked.
    /// 3: objects are drawn by `z` (labels above shapes); texts show live values.
    public static let evaluator = ComponentVersion("scene.evaluator", 3)
}
