import C2VUtil

/// A rectangle in a formula's coordinates: origin at the left end of the baseline, y growing down.
public struct MathRect: Sendable, Equatable, CustomStringConvertible {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }

    /// The smallest rectangle holding both.
    public func union(_ other: MathRect) -> MathRect {
        let minX = Swift.min(x, other.x), minY = Swift.min(y, other.y)
        return MathRect(x: minX, y: minY, width: Swift.max(maxX, other.maxX) - minX,
                        height: Swift.max(maxY, other.maxY) - minY)
    }

    func offsetBy(_ dx: Double, _ dy: Double) -> MathRect {
        MathRect(x: x + dx, y: y + dy, width: width, height: height)
    }

    public var description: String { "(\(x), \(y), \(width)x\(height))" }
}

/// A typeset formula: its extent and what to draw. Plain data, so it can be cached and sent anywhere;
/// ``MathTypesetter/draw(_:on:x:baseline:color:glyphLimit:)`` turns it into pixels.
public struct MathBox: Sendable {
    /// Advance width, in the caller's units (the units of `fontSize`).
    public internal(set) var width: Double
    /// Height above the baseline.
    public internal(set) var ascent: Double
    /// Depth below the baseline (positive downwards).
    public internal(set) var descent: Double
    /// Boxes of the `\mathid{name}{...}` parts, relative to the left end of the baseline, y down.
    public internal(set) var parts: [String: MathRect]
    /// Which glyphs (in drawing order) belong to each named part, for revealing or highlighting one.
    public internal(set) var partGlyphs: [String: Range<Int>]
    /// How many glyphs `draw` reveals in total; rules and stretched delimiters count as one each.
    public internal(set) var glyphCount: Int
    /// Device pixels per caller unit that glyphs were measured at.
    public internal(set) var scale: Double

    let items: [MathItem]

    /// Everything the box covers, ink of tall delimiters included: (0, -ascent, width, ascent+descent).
    public var bounds: MathRect { MathRect(x: 0, y: -ascent, width: width, height: ascent + descent) }
}

/// The face a glyph run is set in.
enum MathGlyphFace: Int, Hashable, Sendable {
    case upright, italic, bold, boldItalic
}

/// A text run to draw with Pango at one size and face.
struct MathGlyphRun: Sendable {
    var text: String
    var face: MathGlyphFace
    /// Font size in caller units.
    var size: Double
    /// Characters in the run; each counts as one glyph when revealing.
    var glyphCount: Int
    /// For runs of several characters: the x (caller units, from the run's left) where each prefix ends.
    var prefixEnds: [Double]
}

/// A path in caller units, filled or stroked.
struct MathPath: Sendable {
    enum Element: Sendable {
        case move(Double, Double)
        case line(Double, Double)
        case curve(Double, Double, Double, Double, Double, Double)
        case arc(x: Double, y: Double, radius: Double)
        case close
    }

    var elements: [Element]
    /// Fill the path's inside.
    var fill = false
    /// Stroke the path with this width (round caps and joins); nil draws no outline.
    var strokeWidth: Double?

    func offsetBy(_ dx: Double, _ dy: Double) -> MathPath {
        transformed { ($0 + dx, $1 + dy) }
    }

    /// The path flipped left to right inside a box `width` wide (a right parenthesis from a left one).
    func mirrored(width: Double) -> MathPath {
        transformed { (width - $0, $1) }
    }

    private func transformed(_ f: (Double, Double) -> (Double, Double)) -> MathPath {
        var copy = self
        copy.elements = elements.map { element in
            switch element {
            case .move(let x, let y): let p = f(x, y); return .move(p.0, p.1)
            case .line(let x, let y): let p = f(x, y); return .line(p.0, p.1)
            case .curve(let a, let b, let c, let d, let e, let g):
                let p = f(a, b), q = f(c, d), r = f(e, g)
                return .curve(p.0, p.1, q.0, q.1, r.0, r.1)
            case .arc(let x, let y, let radius): let p = f(x, y); return .arc(x: p.0, y: p.1, radius: radius)
            case .close: return .close
            }
        }
        return copy
    }
}

/// One thing to draw, positioned relative to its box's origin (left end of the baseline, y down).
struct MathItem: Sendable {
    enum Shape: Sendable {
        /// Glyphs whose baseline starts at (x, y).
        case run(MathGlyphRun, x: Double, y: Double)
        case rule(MathRect)
        /// Paths drawn together as one shape (a radical sign, a stretched delimiter, an accent).
        case paths([MathPath])
    }

    var shape: Shape
    /// Set by `\color`; nil draws in the caller's colour.
    var color: RGBColor?
    /// The `\mathid` parts this item belongs to, innermost first.
    var parts: [String] = []

    var glyphCount: Int {
        if case .run(let run, _, _) = shape { return run.glyphCount }
        return 1
    }

    func offsetBy(_ dx: Double, _ dy: Double) -> MathItem {
        var copy = self
        switch shape {
        case .run(let run, let x, let y): copy.shape = .run(run, x: x + dx, y: y + dy)
        case .rule(let rect): copy.shape = .rule(rect.offsetBy(dx, dy))
        case .paths(let paths): copy.shape = .paths(paths.map { $0.offsetBy(dx, dy) })
        }
        return copy
    }
}

/// A box under construction: TeX's hbox with width, height, depth and italic correction.
struct LayoutBox {
    var width = 0.0
    var height = 0.0
    var depth = 0.0
    /// How far the ink leans past the advance (italic letters); superscripts start after it.
    var italicCorrection = 0.0
    var items: [MathItem] = []
    var parts: [String: MathRect] = [:]
    /// A single character: scripts use the font's shifts, not the box's height.
    var isCharacter = false

    /// Adds `other` with its origin at (dx, dy) from this box's origin (y down).
    mutating func place(_ other: LayoutBox, dx: Double, dy: Double) {
        items.reserveCapacity(items.count + other.items.count)
        for item in other.items { items.append(item.offsetBy(dx, dy)) }
        for (name, rect) in other.parts { parts[name] = rect.offsetBy(dx, dy) }
    }

    /// Marks everything in this box with a colour (unless set deeper) and part names (innermost first).
    mutating func tag(color: RGBColor?, parts names: [String]) {
        guard color != nil || !names.isEmpty else { return }
        for i in items.indices {
            if items[i].color == nil { items[i].color = color }
            items[i].parts.append(contentsOf: names)
        }
    }

    var rect: MathRect { MathRect(x: 0, y: -height, width: width, height: height + depth) }
}
