import C2VUtil
import Foundation

/// A point in scene units (x right, y down, on the 1920x1080 canvas).
public struct Point2: Sendable, Equatable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }

    static func + (a: Point2, b: Point2) -> Point2 { Point2(a.x + b.x, a.y + b.y) }
    static func - (a: Point2, b: Point2) -> Point2 { Point2(a.x - b.x, a.y - b.y) }
    static func * (a: Point2, k: Double) -> Point2 { Point2(a.x * k, a.y * k) }
    func distance(to b: Point2) -> Double { hypot(b.x - x, b.y - y) }
    func lerp(_ b: Point2, _ p: Double) -> Point2 { Point2(x + (b.x - x) * p, y + (b.y - y) * p) }
}

/// A colour with opacity, each channel 0...1.
public struct RGBA: Sendable, Equatable {
    public var r: Double, g: Double, b: Double, a: Double

    public init(_ c: RGBColor, alpha: Double = 1) {
        r = Double(c.red) / 255
        g = Double(c.green) / 255
        b = Double(c.blue) / 255
        a = alpha
    }

    public init(r: Double, g: Double, b: Double, a: Double) {
        self.r = r; self.g = g; self.b = b; self.a = a
    }

    public func mixed(_ o: RGBA, _ p: Double) -> RGBA {
        RGBA(r: r + (o.r - r) * p, g: g + (o.g - g) * p, b: b + (o.b - b) * p, a: a + (o.a - a) * p)
    }

    public func faded(_ k: Double) -> RGBA { RGBA(r: r, g: g, b: b, a: a * k) }
}

/// Polylines, stroked and/or filled.
public struct PathItem: Sendable {
    public var subpaths: [[Point2]]
    public var closed: [Bool]
    public var stroke: RGBA?
    public var fill: RGBA?
    public var width: Double
    public var dashed: Bool
}

public enum TextFont: String, Sendable { case sans, serif, mono }

/// A run of text anchored at a point; `align` says which part of its box sits there
/// (-1: left/top edge, 0: centre, 1: right/bottom edge).
public struct TextItem: Sendable {
    public var text: String
    public var markup: Bool
    public var font: TextFont
    public var size: Double
    public var bold: Bool
    public var anchor: Point2
    public var alignX: Double
    public var alignY: Double
    /// Radians, clockwise on screen.
    public var rotation: Double
    public var color: RGBA
    /// Fraction of the characters shown (writing).
    public var reveal: Double
    /// `text` is TeX, typeset by the math typesetter.
    public var math: Bool = false
    /// A `transform` into another formula in progress: named parts (`\mathid`) move to their
    /// place in the target, the rest cross-fades.
    public var transition: TextTransition?

    public init(text: String, markup: Bool, font: TextFont, size: Double, bold: Bool, anchor: Point2, alignX: Double,
                alignY: Double, rotation: Double, color: RGBA, reveal: Double, math: Bool = false) {
        self.text = text
        self.markup = markup
        self.font = font
        self.size = size
        self.bold = bold
        self.anchor = anchor
        self.alignX = alignX
        self.alignY = alignY
        self.rotation = rotation
        self.color = color
        self.reveal = reveal
        self.math = math
    }
}

/// A formula on its way to becoming another one.
public final class TextTransition: Sendable {
    public let target: TextItem
    public let progress: Double

    public init(target: TextItem, progress: Double) {
        self.target = target
        self.progress = progress
    }
}

public struct ImageItem: Sendable {
    /// The object whose `imageData` holds the PNG or SVG.
    public var object: String
    public var rect: Rect
    public var alpha: Double
}

public enum DrawItem: Sendable {
    case path(PathItem)
    case text(TextItem)
    case image(ImageItem)
}

/// What one object looks like at one moment.
public struct ObjectFrame: Sendable {
    public var id: String
    public var items: [DrawItem]
}

// MARK: polyline helpers

enum Polyline {
    static func length(_ points: [Point2]) -> Double {
        guard points.count > 1 else { return 0 }
        var total = 0.0
        for i in 1..<points.count { total += points[i - 1].distance(to: points[i]) }
        return total
    }

    /// The first `length` units of a polyline.
    static func prefix(_ points: [Point2], length: Double) -> [Point2] {
        guard points.count > 1 else { return points }
        var result = [points[0]]
        var left = length
        for i in 1..<points.count {
            let d = points[i - 1].distance(to: points[i])
            if d >= left {
                if d > 0 { result.append(points[i - 1].lerp(points[i], left / d)) }
                return result
            }
            left -= d
            result.append(points[i])
        }
        return result
    }

    /// `count` points evenly spaced by arc length.
    static func resample(_ points: [Point2], count: Int) -> [Point2] {
        guard points.count > 1, count > 1 else { return Array(repeating: points.first ?? Point2(0, 0), count: max(count, 1)) }
        let total = length(points)
        guard total > 0 else { return Array(repeating: points[0], count: count) }
        var result: [Point2] = []
        result.reserveCapacity(count)
        var segment = 1, walked = 0.0
        var segmentLength = points[0].distance(to: points[1])
        for k in 0..<count {
            let target = total * Double(k) / Double(count - 1)
            while walked + segmentLength < target && segment < points.count - 1 {
                walked += segmentLength
                segment += 1
                segmentLength = points[segment - 1].distance(to: points[segment])
            }
            let p = segmentLength > 0 ? (target - walked) / segmentLength : 0
            result.append(points[segment - 1].lerp(points[segment], min(1, max(0, p))))
        }
        return result
    }

    /// The point at fraction `p` of the way along.
    static func point(_ points: [Point2], at p: Double) -> Point2? {
        guard let first = points.first else { return nil }
        guard points.count > 1 else { return first }
        return prefix(points, length: length(points) * max(0, min(1, p))).last
    }

    static func bounds(_ points: [[Point2]]) -> Rect? {
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for path in points {
            for p in path where p.x.isFinite && p.y.isFinite {
                minX = min(minX, p.x); minY = min(minY, p.y); maxX = max(maxX, p.x); maxY = max(maxY, p.y)
            }
        }
        guard minX <= maxX else { return nil }
        return Rect(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    /// The most segments one curve is drawn with.
    static let maxSegments = 4096

    /// `n` points around an ellipse, starting at angle `start` (radians, counter-clockwise on screen).
    static func ellipse(center c: Point2, rx: Double, ry: Double, from start: Double = 0, to end: Double = 2 * .pi,
                        segments: Int = 128) -> [Point2] {
        // At most `maxSegments` whatever the sweep: a sweep of 1e9 degrees is still one shape.
        let n = Checked.int(Double(segments) * abs(end - start) / (2 * .pi), clampedTo: 2...maxSegments)
        return (0...n).map { i in
            let a = start + (end - start) * Double(i) / Double(n)
            return Point2(c.x + rx * cos(a), c.y - ry * sin(a))
        }
    }

    /// Segments for a full circle of `radius` scene units: chords stay under about 0.1 unit.
    static func segments(radius: Double) -> Int {
        Checked.int(abs(radius) * 0.5, clampedTo: 24...128)
    }

    /// A quadratic Bézier from a through control b to c.
    static func quadratic(_ a: Point2, _ b: Point2, _ c: Point2, segments: Int = 8) -> [Point2] {
        (0...segments).map { i in
            let t = Double(i) / Double(segments)
            let u = 1 - t
            return Point2(u * u * a.x + 2 * u * t * b.x + t * t * c.x, u * u * a.y + 2 * u * t * b.y + t * t * c.y)
        }
    }
}

extension Rect {
    public var center: Point2 { Point2(midX, midY) }
    func union(_ r: Rect) -> Rect {
        let x0 = min(x, r.x), y0 = min(y, r.y)
        return Rect(x: x0, y: y0, width: max(maxX, r.maxX) - x0, height: max(maxY, r.maxY) - y0)
    }
    public func intersection(_ r: Rect) -> Rect? {
        let x0 = max(x, r.x), y0 = max(y, r.y), x1 = min(maxX, r.maxX), y1 = min(maxY, r.maxY)
        return x1 > x0 && y1 > y0 ? Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0) : nil
    }
    public var area: Double { width * height }
    func outset(_ d: Double) -> Rect { insetBy(-d) }
}

// MARK: bounds on what is drawn

/// Limits on what one frame may ask the renderer and the Critic for, whatever the scene's
/// numbers: expressions can compute 1e300 or NaN at any time, and no value may reach Cairo,
/// Pango or an integer conversion unbounded.
public enum DrawLimits {
    /// Farthest a drawn point may be from the origin, in scene units (the canvas is 1920x1080):
    /// farther points are moved to this distance, still off screen, where the Critic sees them.
    public static let farthest = 1e6
    /// Widest stroke and largest text, in scene units.
    public static let maxStroke = 1000.0
    public static let maxTextSize = 1000.0
    /// Points one frame may draw in all (the Critic fails a scene that goes past it).
    public static let maxPointsPerFrame = 2_000_000

    static func clamp(_ v: Double) -> Double { min(farthest, max(-farthest, v)) }
    static func clamp(_ p: Point2) -> Point2 { Point2(clamp(p.x), clamp(p.y)) }
    static func inBounds(_ p: Point2) -> Bool { abs(p.x) <= farthest && abs(p.y) <= farthest }
}

extension DrawItem {
    /// The item with its numbers inside `DrawLimits`: undefined points dropped, far ones pulled in,
    /// widths and sizes capped. Returns the item unchanged (no copy) when all are within.
    func bounded() -> DrawItem {
        switch self {
        case .path(var p):
            let widthOK = p.width.isFinite && p.width >= 0 && p.width <= DrawLimits.maxStroke
            if widthOK, p.subpaths.allSatisfy({ $0.allSatisfy(DrawLimits.inBounds) }) { return self }
            p.width = widthOK ? p.width : (p.width.isNaN ? 0 : min(DrawLimits.maxStroke, max(0, p.width)))
            p.subpaths = p.subpaths.map { path in
                path.compactMap { q in q.x.isNaN || q.y.isNaN ? nil : DrawLimits.clamp(q) }
            }
            return .path(p)
        case .text(var t):
            let sizeOK = t.size.isFinite && t.size > 0 && t.size <= DrawLimits.maxTextSize
            if sizeOK, DrawLimits.inBounds(t.anchor), t.rotation.isFinite, t.transition == nil { return self }
            if !sizeOK { t.size = t.size.isNaN ? 1 : min(DrawLimits.maxTextSize, max(1, t.size)) }
            t.anchor = t.anchor.x.isNaN || t.anchor.y.isNaN ? Point2(DrawLimits.farthest, DrawLimits.farthest) : DrawLimits.clamp(t.anchor)
            if !t.rotation.isFinite { t.rotation = 0 }
            if let transition = t.transition, case .text(let target) = DrawItem.text(transition.target).bounded() {
                t.transition = TextTransition(target: target, progress: transition.progress.isFinite ? min(1, max(0, transition.progress)) : 1)
            }
            return .text(t)
        case .image(var i):
            let r = i.rect
            guard [r.x, r.y, r.width, r.height].allSatisfy({ $0.isFinite && abs($0) <= DrawLimits.farthest }) else {
                i.rect = Rect(x: DrawLimits.farthest, y: DrawLimits.farthest, width: 1, height: 1)
                return .image(i)
            }
            return self
        }
    }

    /// How many points drawing it takes.
    var pointCount: Int {
        switch self {
        case .path(let p): p.subpaths.reduce(0) { $0 + $1.count }
        case .text, .image: 1
        }
    }
}
