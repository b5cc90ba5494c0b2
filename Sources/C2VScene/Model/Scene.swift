import C2VCode
import C2VUtil
import Foundation

/// A validated scene program: what the Coder produces, the Critic checks and the renderer draws.
///
/// It is data, never code. Numbers are expressions (`Expr`) compiled by `SceneEvaluator`;
/// times are seconds from the start of the section; positions are anchors of the visual
/// area's 6x6 grid or points in scene units (a 1920x1080 canvas), so a scene is independent
/// of the output size.
/// The versions of C2VScene's parts that shape what steps produce (see `ComponentVersion`).
/// Each is declared beside its code; bump one when its output changes for the same input.
public enum SceneComponents {
    /// The scene JSON steps pass to each other.
    public static let format = ComponentVersion("scene.format", Scene.formatVersion)
}

public struct Scene: Codable, Sendable, Equatable {
    /// Version of this data model; part of every key that reads a scene.
    /// 3: steps may wait for a bookmark (`mark`), a scene may carry its narrated `timeline`.
    public static let formatVersion = 3

    public var title: String
    public var lines: [SceneLine]
    /// Named numbers the scene declares; `animate` steps change them over time.
    public var params: [SceneParam]
    /// Named functions usable in every expression of the scene.
    public var functions: [SceneFunction]
    public var objects: [SceneObject]
    public var animations: [SceneAnimation]
    public var duration: Double
    /// Narrated sections: how video time maps onto the scene's own time (lines stretched to their
    /// speech, steps waiting for bookmarks). Nil: the same.
    public var timeline: SceneTimeline?

    public init(title: String, lines: [SceneLine], params: [SceneParam] = [], functions: [SceneFunction] = [],
                objects: [SceneObject], animations: [SceneAnimation] = [], duration: Double) {
        self.title = title
        self.lines = lines
        self.params = params
        self.functions = functions
        self.objects = objects
        self.animations = animations
        self.duration = duration
    }

    /// The lecture line being explained at `time`, if any.
    public func currentLine(at time: Double) -> Int? {
        lines.lastIndex { $0.start <= time }
    }
}

/// One lecture line and the time span in which it is explained.
public struct SceneLine: Codable, Sendable, Equatable {
    public var text: String
    public var start: Double
    public var end: Double

    public init(text: String, start: Double, end: Double) {
        self.text = text
        self.start = start
        self.end = end
    }
}

public struct SceneParam: Codable, Sendable, Equatable {
    public var name: String
    public var initial: Double

    public init(name: String, initial: Double) {
        self.name = name
        self.initial = initial
    }
}

/// A function a scene defines (`define:`); the expression compiler expands its calls.
public typealias SceneFunction = MathExpression.Function

/// An expression's source text; compiled by `SceneEvaluator`, never executed as code.
public struct Expr: Codable, Sendable, Hashable, CustomStringConvertible,
    ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    public var source: String

    public init(_ source: String) { self.source = source }
    public init(_ value: Double) {
        source = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
    public init(stringLiteral value: String) { source = value }
    public init(floatLiteral value: Double) { self.init(value) }
    public init(integerLiteral value: Int) { source = String(value) }
    public init(from decoder: Decoder) throws { source = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
    public var description: String { source }
}

/// A rectangle of cells in the 6x6 anchor grid: columns A..F (left to right), rows 1..6 (top to bottom).
public struct GridArea: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    public var column0: Int
    public var row0: Int
    public var column1: Int
    public var row1: Int

    public static let columns = Array("ABCDEF")
    public static let size = 6

    public init(column0: Int, row0: Int, column1: Int, row1: Int) {
        self.column0 = min(column0, column1)
        self.row0 = min(row0, row1)
        self.column1 = max(column0, column1)
        self.row1 = max(row0, row1)
    }

    /// Parses `B2` or `A1:C3`; nil when it is not an anchor inside A1..F6.
    public init?(_ text: String) {
        let parts = text.uppercased().split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return nil }
        func cell(_ s: Substring) -> (Int, Int)? {
            guard s.count == 2, let c = Self.columns.firstIndex(of: s.first!), let r = Int(String(s.last!)),
                  (1...Self.size).contains(r) else { return nil }
            return (c, r - 1)
        }
        guard let a = cell(parts[0]), let b = cell(parts.last!) else { return nil }
        self.init(column0: a.0, row0: a.1, column1: b.0, row1: b.1)
    }

    public var width: Int { column1 - column0 + 1 }
    public var height: Int { row1 - row0 + 1 }

    public var description: String {
        let a = "\(Self.columns[column0])\(row0 + 1)", b = "\(Self.columns[column1])\(row1 + 1)"
        return a == b ? a : "\(a):\(b)"
    }
}

/// A point of a rectangle: its centre, an edge's middle or a corner.
public enum Edge: String, Codable, Sendable, CaseIterable {
    case center, top, bottom, left, right
    case topLeft = "top_left", topRight = "top_right", bottomLeft = "bottom_left", bottomRight = "bottom_right"

    /// -1, 0 or 1 along x and y (y down).
    public var unit: (x: Double, y: Double) {
        switch self {
        case .center: return (0, 0)
        case .top: return (0, -1)
        case .bottom: return (0, 1)
        case .left: return (-1, 0)
        case .right: return (1, 0)
        case .topLeft: return (-1, -1)
        case .topRight: return (1, -1)
        case .bottomLeft: return (-1, 1)
        case .bottomRight: return (1, 1)
        }
    }
}

/// Where something is: a grid cell or area (with an edge for points), or a point in scene units.
public struct Place: Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Base: Codable, Sendable, Equatable {
        case grid(GridArea)
        /// Scene units, or axis units when the object is drawn `on` axes.
        case point(Expr, Expr)
        /// A point of another object's box (`box.top`), where that object is drawn now.
        case object(String)
    }
    public var base: Base
    public var edge: Edge

    public init(_ base: Base, edge: Edge = .center) {
        self.base = base
        self.edge = edge
    }

    public static func grid(_ area: GridArea, _ edge: Edge = .center) -> Place { Place(.grid(area), edge: edge) }
    public static func point(_ x: Expr, _ y: Expr) -> Place { Place(.point(x, y)) }

    public var description: String {
        switch base {
        case .grid(let area): return edge == .center ? area.description : "\(area).\(edge.rawValue)"
        case .point(let x, let y): return "[\(x), \(y)]"
        case .object(let id): return edge == .center ? id : "\(id).\(edge.rawValue)"
        }
    }
}

/// `next_to`: placed beside another object, its facing edge `gap` scene units from that side.
public struct NextTo: Codable, Sendable, Equatable {
    public var object: String
    public var side: Edge
    public var gap: Double

    public init(object: String, side: Edge, gap: Double) {
        self.object = object
        self.side = side
        self.gap = gap
    }
}

/// A colour by role, so a theme change recolours scenes without re-coding them.
public enum ColorRef: Codable, Sendable, Equatable {
    case text
    case background
    case accent(Int)
    case rgb(RGBColor)
}

/// How an object enters the screen when it has no entrance step of its own.
public enum Entrance: String, Codable, Sendable, Equatable, CaseIterable {
    /// Fade in.
    case fade
    /// Draw the outline progressively.
    case create
    /// Reveal text letter by letter.
    case write
    /// Scale up from the centre.
    case grow
    /// Be there from the start of its line, with no animation.
    case none
}

/// One harmonic of a `wave`: amplitude × sin(k·x + phase).
public struct Harmonic: Codable, Sendable, Equatable {
    public var k: Double
    public var amplitude: Double
    public var phase: Double

    public init(k: Double, amplitude: Double, phase: Double = 0) {
        self.k = k
        self.amplitude = amplitude
        self.phase = phase
    }
}

/// Object kinds of the scene language (`kind:`).
public enum ObjectKind: String, Codable, Sendable, CaseIterable {
    case text, math, circle, ellipse, rectangle, polygon
    case regularPolygon = "regular_polygon"
    case line, arrow, dot, arc, brace, table, axes, graph, parametric, trace, field, image, group, wave
    case plane, code
    case network
    case angle, tangent, polyline, area
}

/// A piece of a live text: words as written, or a value shown as it changes.
public struct TextPiece: Codable, Sendable, Equatable {
    public var literal: String?
    public var value: Expr?
    /// `.2f` (two decimals) or `d` (a whole number); nil: as few digits as it needs, at most 3 significant.
    public var format: String?

    public init(literal: String) { self.literal = literal }
    public init(value: Expr, format: String?) {
        self.value = value
        self.format = format
    }

    /// `v` as the format says; an undefined value as a dash.
    public static func format(_ v: Double, _ format: String?) -> String {
        guard v.isFinite else { return "\u{2013}" }
        switch format {
        case "d": return Checked.display(v.rounded())
        case let f? where f.hasPrefix("."): return String(format: "%\(f)", v == 0 ? 0 : v)
        default: return v == v.rounded() && abs(v) < 1e12 ? Checked.display(v) : String(format: "%.3g", v)
        }
    }
}

/// Which ends of a line carry an arrow head.
public enum ArrowTips: String, Codable, Sendable, CaseIterable { case end, start, both }

/// A visual in the scene. Which fields matter depends on `kind`; the parser accepts only those.
public struct SceneObject: Codable, Sendable, Equatable {
    public var id: String
    public var kind: ObjectKind
    /// The cell, area or point the object fills or sits at.
    public var at: Place?
    /// Added to `at`, in scene units.
    public var offset: [Expr]?
    public var from: Place?
    public var to: Place?
    public var points: [Place]?
    /// `text`: plain text or the Pango markup subset; `math`: TeX source; `brace`: its label.
    public var text: String?
    /// Text with values that change while the section plays (`"θ = {theta:.2f}"`): its pieces.
    /// `text` then holds it with each value at its start.
    public var liveText: [TextPiece]?
    public var fontSize: Expr?
    public var font: String?
    public var bold: Bool?
    /// Circle/dot/arc/regular polygon radius; ellipse radii [rx, ry].
    public var radius: [Expr]?
    /// Rectangle [width, height] in scene units (default: the area, inset 10%).
    public var size: [Expr]?
    public var corner: Expr?
    public var sides: Expr?
    /// Arc start and end, degrees counter-clockwise from 3 o'clock.
    public var angles: [Expr]?
    /// Degrees counter-clockwise, about the object's centre.
    public var rotation: Expr?
    public var harmonics: [Harmonic]?
    public var periods: Double?
    /// `graph`: y(x); `parametric`: [x(s), y(s)]; `trace`: [x(t), y(t)]; `field`: [dx(x,y), dy(x,y)].
    public var expressions: [Expr]?
    /// `graph`/`axes`: x range; `parametric`: s range.
    public var domain: [Expr]?
    /// `axes`: y range.
    public var range: [Expr]?
    /// `axes`: tick spacing [x, y]; 0 means none.
    public var ticks: [Expr]?
    public var labels: Bool?
    public var axisLabels: [String]?
    /// `table`: rows of cell texts.
    public var cells: [[String]]?
    /// `code`: the block's lines (tabs as 4 spaces), its language, and the highlighter's spans of
    /// each line, kept in the scene so its keys cover them.
    public var codeLines: [String]?
    public var language: String?
    public var codeSpans: [[CodeSpan]]?
    /// `code`: how many lines show (all when nil), and the 1-based line marked (none when 0).
    public var visibleLines: Expr?
    public var markedLine: Expr?
    /// `plane`: label the y axis in multiples of i.
    public var complex: Bool?
    /// `image`: the path as written (relative to the lesson folder) and the PNG's or SVG's bytes
    /// (a PNG starts with its signature; anything else is an SVG).
    public var imagePath: String?
    public var imageData: [UInt8]?
    /// `group`: member ids.
    public var members: [String]?
    /// Draw in the units of these axes (`graph`, `parametric`, `trace`, `dot`, `line`, `arrow`, `field`).
    public var on: String?
    /// Stays where it is on screen while the camera zooms and pans (a caption, a readout).
    public var pinned: Bool?
    /// Placed beside another object instead of `at`.
    public var nextTo: NextTo?
    /// Drawing order: higher is drawn later, on top; ties keep the order objects are written in.
    /// Nil: the kind's layer (texts, formulas and braces above shapes).
    public var z: Double?
    public var color: ColorRef
    public var fill: ColorRef?
    public var fillOpacity: Double?
    public var strokeWidth: Expr?
    public var dashed: Bool?
    public var tips: ArrowTips?
    /// `trace`: the time it starts drawing.
    public var traceFrom: Double?
    /// Values of `repeat` variables for a member of a generated family (`arm[3]` has i = 3).
    public var bindings: [String: Double]
    /// The family this object was generated from, if any (`arm` for `arm[3]`).
    public var family: String?

    public var appear: Double
    /// When it starts fading out; nil keeps it to the end of the section.
    public var disappear: Double?
    public var entrance: Entrance
    /// An animation brings it in (`create`, `fade_in`, `transform ... into` it, ...): hidden until then.
    public var entersByAnimation: Bool

    // `network`
    /// Its nodes, edges and layout.
    public var network: NetworkSpec?

    // Angle marks, tangents, polylines and areas (`angle`, `tangent`, `polyline`, `area`).
    /// `angle`: the corner its rays leave from; `from` and `to` are points on the rays.
    public var vertex: Place?
    /// `angle`: mark the larger of the two angles between the rays.
    public var reflex: Bool?
    /// `angle`: the square mark (true) or the arc (false); nil: the square when the angle is 90°.
    public var rightMark: Bool?
    /// `tangent`, `area`: the graph it is drawn from, on that graph's host.
    public var graph: String?
    /// `area`: the graph it fills up to, instead of the x axis.
    public var toGraph: String?
    /// `tangent`: [x] where it touches; `area`: the x bounds [from, to].
    public var xs: [Expr]?
    /// `tangent`: its length in scene units.
    public var length: Expr?
    /// `tangent`: the normal instead of the tangent.
    public var normal: Bool?
    /// `polyline`: joined back to its first point.
    public var closed: Bool?
    /// `polyline`: points computed from a variable instead of listed.
    public var sweep: PointSweep?
    /// `area`: that many rectangles instead of the region, each as high as the graph at `rule`'s point.
    public var riemann: Expr?
    public var rule: RiemannRule?

    public init(id: String, kind: ObjectKind, at: Place? = nil, color: ColorRef = .accent(0), appear: Double = 0,
                disappear: Double? = nil, entrance: Entrance = .fade) {
        self.id = id
        self.kind = kind
        self.at = at
        self.color = color
        self.appear = appear
        self.disappear = disappear
        self.entrance = entrance
        self.bindings = [:]
        self.entersByAnimation = false
    }

    /// Seconds an entrance or exit takes.
    public static let entranceSeconds = 0.8
    public static let exitSeconds = 0.4
}

/// Animation kinds (`do:` of a step).
public enum AnimationKind: String, Codable, Sendable, CaseIterable {
    case create, write
    case fadeIn = "fade_in", fadeOut = "fade_out"
    case grow, shrink, move, shift, scale, rotate, color, transform, indicate, animate, follow, wait
    /// The camera: `zoom` to an area or an object (or by a factor), `pan` to a place or by [dx, dy].
    case zoom, pan

    /// Kinds that move the camera rather than an object.
    public var isCamera: Bool { self == .zoom || self == .pan }

    /// Kinds that bring a hidden object onto the screen.
    public var isEntrance: Bool { [.create, .write, .fadeIn, .grow].contains(self) }
    /// Kinds that take an object off the screen.
    public var isExit: Bool { [.fadeOut, .shrink].contains(self) }
}

public enum Easing: String, Codable, Sendable, CaseIterable {
    case linear, smooth
    case easeIn = "ease_in", easeOut = "ease_out", easeInOut = "ease_in_out"
    case thereAndBack = "there_and_back"

    public func apply(_ x: Double) -> Double {
        let t = max(0, min(1, x))
        switch self {
        case .linear: return t
        case .smooth: return smoothstep(t)
        case .easeIn: return t * t * t
        case .easeOut: return 1 - pow(1 - t, 3)
        case .easeInOut: return t < 0.5 ? 4 * t * t * t : 1 - pow(-2 * t + 2, 3) / 2
        case .thereAndBack: return smoothstep(t < 0.5 ? 2 * t : 2 - 2 * t)
        }
    }
}

public enum IndicateStyle: String, Codable, Sendable, CaseIterable { case pulse, underline, box }

/// One animation with absolute times, on one object (families and groups are expanded).
public struct SceneAnimation: Codable, Sendable, Equatable {
    public var kind: AnimationKind
    /// The object it changes; nil for `animate` (a parameter) and `wait`.
    public var target: String?
    public var start: Double
    public var duration: Double
    public var easing: Easing
    /// The lecture line it belongs to.
    public var line: Int
    /// `move`: where the object's centre goes.
    public var place: Place?
    /// `shift`: [dx, dy] in scene units.
    public var by: [Double]?
    /// `move`/`shift`: degrees of the arc it travels along (positive: counter-clockwise on
    /// screen); nil or 0 is a straight line. Two objects swapping with the same arc pass on
    /// opposite sides of each other.
    public var arc: Double?
    /// `scale`: the factor; `rotate`: degrees; `animate`: the parameter's final value.
    public var value: Double?
    /// `animate`: the start value (default: the parameter's value when the step starts).
    public var fromValue: Double?
    /// `animate`: the parameter.
    public var param: String?
    public var color: ColorRef?
    /// `transform`: the object this one becomes; `follow`: the path object.
    public var other: String?
    public var style: IndicateStyle?
    /// `indicate`: a named part of a formula (`\mathid{name}{...}`).
    public var part: String?
    /// Narrated lessons: the bookmark (`[[name]]` in the line's spoken text) this step waits for.
    public var mark: String?

    public init(kind: AnimationKind, target: String?, start: Double, duration: Double, easing: Easing, line: Int) {
        self.kind = kind
        self.target = target
        self.start = start
        self.duration = duration
        self.easing = easing
        self.line = line
    }

    public var end: Double { start + duration }
}

/// Smooth ease in and out on 0...1.
public func smoothstep(_ x: Double) -> Double {
    let t = max(0, min(1, x))
    return t * t * (3 - 2 * t)
}
