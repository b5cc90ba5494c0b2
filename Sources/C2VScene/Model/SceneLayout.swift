/// A rectangle in scene units.
public struct Rect: Sendable, Equatable, Codable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var midX: Double { x + width / 2 }
    public var midY: Double { y + height / 2 }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
    public func contains(_ r: Rect) -> Bool { r.x >= x && r.y >= y && r.maxX <= maxX && r.maxY <= maxY }
    public func insetBy(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

/// The screen's regions in scene units: a 1920x1080 canvas scaled uniformly to any
/// output size, so a scene has the same composition at 320x180 and at 3840x2160.
public enum SceneLayout {
    public static let width = 1920.0
    public static let height = 1080.0

    public static let canvas = Rect(x: 0, y: 0, width: width, height: height)
    public static let titleBar = Rect(x: 60, y: 24, width: 1800, height: 110)
    public static let lectureColumn = Rect(x: 60, y: 170, width: 640, height: 860)
    public static let visualArea = Rect(x: 760, y: 170, width: 1100, height: 860)

    public static let titleFontSize = 60.0
    public static let lineFontSize = 34.0
    public static let lineSpacing = 26.0
    public static let objectFontSize = 40.0
    public static let strokeWidth = 6.0

    /// The rectangle a grid area covers.
    public static func rect(_ area: GridArea) -> Rect {
        let cw = visualArea.width / Double(GridArea.size), ch = visualArea.height / Double(GridArea.size)
        return Rect(x: visualArea.x + Double(area.column0) * cw, y: visualArea.y + Double(area.row0) * ch,
                    width: Double(area.column1 - area.column0 + 1) * cw, height: Double(area.row1 - area.row0 + 1) * ch)
    }

    /// Scale and offset that fit the canvas into a `width`x`height` frame (letterboxed if not 16:9).
    public static func transform(width: Int, height: Int) -> (scale: Double, dx: Double, dy: Double) {
        let scale = min(Double(width) / Self.width, Double(height) / Self.height)
        return (scale, (Double(width) - Self.width * scale) / 2, (Double(height) - Self.height * scale) / 2)
    }
}

/// Ranges of a scene's numbers where they are read, so an error points at the number; values
/// that change over time are bounded where they are drawn (`DrawLimits`). Documented in
/// docs/lesson-format.md.
public enum SceneLimits {
    /// Any number: a coordinate, an axis range, an offset.
    public static let number = -SceneParser.numberLimit...SceneParser.numberLimit
    /// Lengths in scene units: radii, sizes, corners.
    public static let length = 0.0...1e6
    /// Line widths in scene units.
    public static let stroke = 0.0...1000
    /// Text and formula sizes in scene units: positive, and at most about a screen high.
    public static let textSize = 1.0...1000
    /// Angles in degrees (rotations, arc ends); an arc is drawn with at most 4096 segments
    /// whatever its sweep.
    public static let angle = -1e6...1e6
}

/// How the title and lecture lines are laid out: one function for the renderer and the Critic,
/// so what is checked is what is drawn.
extension SceneLayout {
    /// The smallest the title shrinks to before it wraps onto two lines.
    public static let smallestTitleFontSize = 44.0

    /// The title's size and wrap width: 60 units on one line; shrunk (to 44) to fit the bar;
    /// else two lines at 44. Never clipped off both edges.
    public static func titleLayout(_ title: String, measurer: some TextMeasuring) -> (fontSize: Double, wrapWidth: Double?) {
        let width = measurer.measure(title, fontSize: titleFontSize, bold: true, wrapWidth: nil).width
        guard width > titleBar.width else { return (titleFontSize, nil) }
        let fitting = (titleFontSize * titleBar.width / width * 0.98).rounded(.down)
        if fitting >= smallestTitleFontSize { return (fitting, nil) }
        return (smallestTitleFontSize, titleBar.width)
    }

    /// A lecture line's wrap width: the column's, narrowed a little when that would leave one
    /// word alone on the last row (a widow), as long as the line takes no more rows for it.
    public static func lineWrapWidth(_ text: String, bold: Bool, measurer: some TextMeasuring) -> Double {
        let full = lectureColumn.width - 36
        let words = text.split(separator: " ")
        guard words.count >= 4 else { return full }
        let rows = { (w: Double) in measurer.measure(text, fontSize: lineFontSize, bold: bold, wrapWidth: w).height }
        let height = rows(full)
        let withoutLast = words.dropLast().joined(separator: " ")
        // The last word alone on its row: without it, the line is a row shorter.
        guard measurer.measure(withoutLast, fontSize: lineFontSize, bold: bold, wrapWidth: full).height < height - 1 else { return full }
        var w = full
        for _ in 0..<8 {
            w *= 0.94
            if rows(w) > height + 1 { return full }
            if measurer.measure(withoutLast, fontSize: lineFontSize, bold: bold, wrapWidth: w).height >= height - 1 { return w }
        }
        return full
    }
}
