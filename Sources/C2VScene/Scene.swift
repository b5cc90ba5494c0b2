import C2VUtil

/// An evaluated-free scene value: what the Coder produces and the renderer draws.
///
/// Times are seconds from the start of the section. Positions are grid areas of the
/// visual region (see `SceneLayout`), so a scene is independent of the output size.
public struct Scene: Codable, Sendable, Equatable {
    /// Version of this data model; part of every key that reads a scene.
    public static let formatVersion = 1

    public var title: String
    public var lines: [SceneLine]
    public var objects: [SceneObject]
    public var duration: Double

    public init(title: String, lines: [SceneLine], objects: [SceneObject], duration: Double) {
        self.title = title
        self.lines = lines
        self.objects = objects
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

    public var description: String {
        let a = "\(Self.columns[column0])\(row0 + 1)", b = "\(Self.columns[column1])\(row1 + 1)"
        return a == b ? a : "\(a):\(b)"
    }
}

/// A colour by role, so a theme change recolours scenes without re-coding them.
public enum ColorRef: Codable, Sendable, Equatable {
    case text
    case accent(Int)
    case rgb(RGBColor)
}

/// How an object enters the screen.
public enum Entrance: String, Codable, Sendable, Equatable, CaseIterable {
    /// Fade in.
    case fade
    /// Draw the outline progressively.
    case create
    /// Reveal text left to right.
    case write
    /// Scale up from the centre.
    case grow
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

public enum Shape: Codable, Sendable, Equatable {
    case text(String)
    case circle
    case rectangle
    case dot
    /// A line between the centres of two cells.
    case line(from: GridArea, to: GridArea)
    case arrow(from: GridArea, to: GridArea)
    /// Axes through the middle of the area.
    case axes
    /// A sum of sines over x in [-π, π]·periods, scaled to fill the area.
    case wave(harmonics: [Harmonic], periods: Double)
    /// The graph of `y` (an expression in `x`) for x from `xFrom` to `xTo`, scaled to fill the area.
    case graph(y: String, xFrom: Double, xTo: Double)
}

/// A visual in the right-hand area.
public struct SceneObject: Codable, Sendable, Equatable {
    public var id: String
    public var shape: Shape
    public var area: GridArea
    public var color: ColorRef
    public var appear: Double
    /// When it starts fading out; nil keeps it to the end of the section.
    public var disappear: Double?
    public var entrance: Entrance

    public init(id: String, shape: Shape, area: GridArea, color: ColorRef, appear: Double, disappear: Double?,
                entrance: Entrance) {
        self.id = id
        self.shape = shape
        self.area = area
        self.color = color
        self.appear = appear
        self.disappear = disappear
        self.entrance = entrance
    }

    /// Seconds an entrance or exit takes.
    public static let entranceSeconds = 0.8
    public static let exitSeconds = 0.4

    /// Opacity and entrance progress at `time`: (0, 0) before it appears and after it is gone.
    public func visibility(at time: Double) -> (alpha: Double, progress: Double) {
        guard time >= appear else { return (0, 0) }
        let progress = smoothstep(min(1, (time - appear) / Self.entranceSeconds))
        var alpha = entrance == .fade ? progress : min(1, progress * 3)
        if let disappear, time >= disappear {
            alpha *= max(0, 1 - (time - disappear) / Self.exitSeconds)
        }
        return (alpha, progress)
    }
}

/// Smooth ease in and out on 0...1.
public func smoothstep(_ x: Double) -> Double {
    let t = max(0, min(1, x))
    return t * t * (3 - 2 * t)
}
