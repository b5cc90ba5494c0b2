import C2VLesson
import C2VUtil

/// One object kind of the scene language: the keys it takes, how they are read and what it
/// looks like. Each kind is one file in this folder and one entry of `SceneKinds.all`; the
/// parser, the evaluator and the Critic ask the registry, never switch over kinds themselves.
protocol SceneKind: Sendable {
    static var kind: ObjectKind { get }
    /// Keys it takes besides `SceneParser.commonKeys`.
    static var keys: [String] { get }
    /// Where its place comes from.
    static var placement: KindPlacement { get }
    /// Drawn in the theme's text colour unless told otherwise (else an accent by position).
    static var textColored: Bool { get }
    /// Variables only its expressions read, after the clock, params and bindings (a graph's `x`).
    static var locals: [String] { get }
    /// Its locals for one object: `locals`, and any the object names itself (a polyline's `var`).
    static func locals(of object: SceneObject) -> [String]
    /// Its default `z`: labels (1) are drawn above the shapes (0) they annotate.
    static var layer: Double { get }
    /// Reads its own keys into `o.object`; the common keys are read already.
    static func read(_ o: inout KindInput, _ r: inout SceneReader)
    /// Checks what it refers to by id (`of: wave`), once every object of the scene is known.
    static func resolve(_ draft: inout ObjectDraft, kinds: [String: ObjectKind], _ r: inout SceneReader)
    /// Its look at one moment, in scene units, before steps move, fade or reveal it.
    static func draw(_ d: inout KindDrawing)
    /// For hosts (axes, planes): where its units lie when it fills `rect`; others draw `on` it
    /// in those units. Nil for kinds that are not hosts.
    static func frame(_ o: CompiledObject, rect: Rect) -> HostFrame?
    /// Works out once per evaluator what every frame of it needs (a network's layout); kept in
    /// `CompiledObject.prepared`.
    static func prepare(_ object: SceneObject) -> (any Sendable)?
    /// The names an `indicate` step may give as its `part`, or nil when the kind has no named
    /// parts (formulas name theirs with `\mathid`, checked apart).
    static func partNames(_ object: SceneObject) -> [String]?
    /// The error for a `part` it does not have, with what to write instead.
    static func noPart(_ name: String, of object: SceneObject) -> String
    /// Where part `name` lies when the object fills `rect`, before steps move it.
    static func part(_ name: String, of o: CompiledObject, rect: Rect) -> KindPart?
}

/// Where a named part of an object lies: its box, and the outline a `box` highlight draws round
/// it when that is not the box itself (a slanted edge gets a slanted frame).
struct KindPart {
    var box: Rect
    /// A closed outline, margin included.
    var outline: [Point2]?
}

/// A host's coordinates: the box in scene units that its x and y ranges span.
struct HostFrame {
    var x0: Double, x1: Double, y0: Double, y1: Double
    var box: Rect

    func map(_ x: Double, _ y: Double) -> Point2 {
        Point2(box.x + (x - x0) / (x1 - x0) * box.width, box.maxY - (y - y0) / (y1 - y0) * box.height)
    }

    /// Scene units per host unit, along x and along y.
    var scale: (x: Double, y: Double) { (box.width / (x1 - x0), box.height / (y1 - y0)) }

    /// Whether a unit is as long along x as along y (to 1%), so circles stay round.
    var isEqualAspect: Bool { abs(scale.x - scale.y) <= 0.01 * max(scale.x, scale.y) }
}

enum KindPlacement {
    /// It needs `at`: a cell, an area or a point.
    case at
    /// `on` a host, or `at` an area to fill.
    case atOrOn
    /// Its own keys place it (`from`/`to`, `points`, `members`, expressions).
    case own
}

extension SceneKind {
    static var textColored: Bool { false }
    static var locals: [String] { [] }
    static func locals(of object: SceneObject) -> [String] { locals }
    static var layer: Double { 0 }
    static var placement: KindPlacement { .at }
    static func resolve(_ draft: inout ObjectDraft, kinds: [String: ObjectKind], _ r: inout SceneReader) {}
    static func frame(_ o: CompiledObject, rect: Rect) -> HostFrame? { nil }
    static func prepare(_ object: SceneObject) -> (any Sendable)? { nil }
    static func partNames(_ object: SceneObject) -> [String]? { nil }
    static func noPart(_ name: String, of object: SceneObject) -> String {
        "\(object.kind.rawValue) `\(object.id)` has no part `\(name)`" + didYouMean(name, partNames(object) ?? [])
    }
    static func part(_ name: String, of o: CompiledObject, rect: Rect) -> KindPart? { nil }
}

extension SceneReader {
    /// Whether `name`, given under `key` of `draft`, is an object of one of `allowed`; if not, says
    /// so at the key and suggests a near id.
    mutating func reference(_ name: String, key: String, of draft: ObjectDraft, kinds: [String: ObjectKind],
                            allowed: Set<ObjectKind>) -> Bool {
        let at = draft.fields[key]?.location ?? draft.location
        guard let kind = kinds[name] else {
            fail("`\(key)` names `\(name)`, which is not an object" + didYouMean(name, Array(kinds.keys).sorted()), at)
            return false
        }
        guard allowed.contains(kind) else {
            let names = allowed.map(\.rawValue).sorted().joined(separator: " or ")
            fail("`\(key)` must name a \(names); `\(name)` is a \(kind.rawValue)", at)
            return false
        }
        return true
    }
}

/// The kinds, by name.
enum SceneKinds {
    static let all: [any SceneKind.Type] = [
        TextKind.self, MathKind.self, CircleKind.self, EllipseKind.self, RectangleKind.self, PolygonKind.self,
        RegularPolygonKind.self, LineKind.self, ArrowKind.self, DotKind.self, ArcKind.self, BraceKind.self, TableKind.self,
        AxesKind.self, GraphKind.self, ParametricKind.self, TraceKind.self, FieldKind.self, ImageKind.self, GroupKind.self,
        WaveKind.self, PlaneKind.self, CodeKind.self, NetworkKind.self,
        AngleKind.self, TangentKind.self, PolylineKind.self, AreaKind.self,
    ]

    static let byKind: [ObjectKind: any SceneKind.Type] = {
        let table = Dictionary(all.map { ($0.kind, $0) }, uniquingKeysWith: { a, _ in a })
        precondition(table.count == ObjectKind.allCases.count, "every ObjectKind has exactly one SceneKind")
        return table
    }()

    static func of(_ kind: ObjectKind) -> any SceneKind.Type { byKind[kind]! }

    /// Kinds other objects can be drawn `on`.
    static let hosts: Set<ObjectKind> = [.axes, .plane]

    /// The expression scope of `object`, with the locals it names itself.
    static func scope(of object: SceneObject, params: [String]) -> VariableScope {
        VariableScope(params: params, bindings: object.bindings.keys, locals: of(object.kind).locals(of: object))
    }
}

/// One object's keys as written, while its kind reads them.
struct KindInput {
    let id: String
    let kind: ObjectKind
    let fields: [String: YAMLValue]
    let location: SourceLocation
    let bindings: [String: Double]
    var object: SceneObject
    /// False once a key the kind needs is missing: the object is left out.
    var ok = true

    /// The value of a key the kind needs; a missing one is an error saying what to give.
    mutating func need(_ key: String, _ example: String, _ r: inout SceneReader) -> YAMLValue? {
        if let v = fields[key] { return v }
        r.fail("\(kind.rawValue) `\(id)` needs `\(key)`, \(example)", location)
        ok = false
        return nil
    }

    subscript(_ key: String) -> YAMLValue? { fields[key] }
}
