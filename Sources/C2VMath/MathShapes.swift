/// Paths for the parts a font glyph would not scale well: radical signs, tall delimiters, accents.
/// All coordinates are in caller units with y down; `em` is the font size of the current style.
enum MathShapes {
    struct Shape {
        var paths: [MathPath]
        var width = 0.0
        var height = 0.0
    }

    private static func stroke(_ width: Double, _ elements: [MathPath.Element]) -> MathPath {
        MathPath(elements: elements, fill: false, strokeWidth: width)
    }

    private static func rectangle(_ x: Double, _ y: Double, _ w: Double, _ h: Double) -> MathPath {
        MathPath(elements: [.move(x, y), .line(x + w, y), .line(x + w, y + h), .line(x, y + h), .close], fill: true)
    }

    /// Where the sign's lowest point is, from its left edge.
    static func radicalVertexX(em: Double) -> Double { 0.3 * em }

    /// How far above `bottom` the sign's short tick reaches; an index must clear it.
    static func radicalHookHeight(top: Double, bottom: Double, em: Double) -> Double {
        0.52 * min(0.9 * em, 0.6 * (bottom - top))
    }

    /// A radical sign from `bottom` up to the overbar at `top`; the overbar itself is a separate rule.
    static func radicalSign(top: Double, bottom: Double, thickness: Double, em: Double) -> Shape {
        let height = bottom - top
        let hook = min(0.9 * em, 0.6 * height)
        assert(abs(radicalHookHeight(top: top, bottom: bottom, em: em) - 0.52 * hook) < 1e-9)
        let vertexX = radicalVertexX(em: em)
        let width = vertexX + min(0.6 * em, 0.22 * em + 0.1 * height)
        let tickStart = (0.0, bottom - 0.42 * hook), tickTop = (0.1 * em, bottom - 0.52 * hook)
        let vertex = (vertexX, bottom), peak = (width, top + thickness / 2)
        return Shape(paths: [
            stroke(thickness, [.move(tickStart.0, tickStart.1), .line(tickTop.0, tickTop.1)]),
            stroke(2.3 * thickness, [.move(tickTop.0, tickTop.1), .line(vertex.0 - 0.4 * thickness, vertex.1 - thickness)]),
            stroke(thickness, [.move(vertex.0, vertex.1 - 0.5 * thickness), .line(peak.0, peak.1)]),
        ], width: width, height: height)
    }

    /// A delimiter spanning `top`...`bottom`, built left-facing and mirrored for the right-hand ones.
    static func delimiter(_ delimiter: MathDelimiter, top: Double, bottom: Double, em: Double, rule: Double) -> Shape {
        let height = bottom - top, middle = (top + bottom) / 2
        let side = 0.08 * em
        switch delimiter {
        case .none:
            return Shape(paths: [], width: 0.12 * em)
        case .leftParen, .rightParen:
            let width = 0.28 * em + 0.045 * em * min(height / em, 6)
            let thick = min(0.13 * em, 0.065 * em + 0.012 * height), tip = max(rule * 0.7, 0.03 * em)
            let tipX = width - side, outer = side, inner = side + thick
            let outerControl = (outer - 0.25 * tipX) / 0.75, innerControl = (inner - 0.25 * tipX) / 0.75
            let bend = 0.2 * height
            var path = MathPath(elements: [
                .move(tipX, top),
                .curve(outerControl, top + bend, outerControl, bottom - bend, tipX, bottom),
                .curve(innerControl, bottom - bend, innerControl, top + bend, tipX, top),
                .close,
            ], fill: true, strokeWidth: tip)
            if delimiter == .rightParen { path = path.mirrored(width: width) }
            return Shape(paths: [path], width: width)
        case .leftBracket, .rightBracket, .leftFloor, .rightFloor, .leftCeil, .rightCeil:
            let width = 0.34 * em
            let stem = max(rule * 1.3, 0.06 * em), arm = max(rule, 0.045 * em)
            let armLength = width - 2 * side
            var paths = [rectangle(side, top, stem, height)]
            if [.leftBracket, .rightBracket, .leftCeil, .rightCeil].contains(delimiter) {
                paths.append(rectangle(side, top, armLength, arm))
            }
            if [.leftBracket, .rightBracket, .leftFloor, .rightFloor].contains(delimiter) {
                paths.append(rectangle(side, bottom - arm, armLength, arm))
            }
            if [.rightBracket, .rightFloor, .rightCeil].contains(delimiter) {
                paths = paths.map { $0.mirrored(width: width) }
            }
            return Shape(paths: paths, width: width)
        case .leftBrace, .rightBrace:
            let width = 0.5 * em
            let left = side, centre = width / 2, right = width - side
            let q = min(0.15 * height, 0.25 * em)
            var path = stroke(max(rule * 1.3, 0.055 * em), [
                .move(right, top),
                .curve(centre, top, centre, top, centre, top + q),
                .line(centre, middle - q),
                .curve(centre, middle, centre, middle, left, middle),
                .curve(centre, middle, centre, middle, centre, middle + q),
                .line(centre, bottom - q),
                .curve(centre, bottom, centre, bottom, right, bottom),
            ])
            if delimiter == .rightBrace { path = path.mirrored(width: width) }
            return Shape(paths: [path], width: width)
        case .bar:
            let width = 0.3 * em, stem = max(rule * 1.2, 0.055 * em)
            return Shape(paths: [rectangle((width - stem) / 2, top, stem, height)], width: width)
        case .doubleBar:
            let width = 0.44 * em, stem = max(rule * 1.2, 0.055 * em), gap = 0.12 * em
            return Shape(paths: [rectangle(width / 2 - gap / 2 - stem, top, stem, height),
                                 rectangle(width / 2 + gap / 2, top, stem, height)], width: width)
        case .leftAngle, .rightAngle:
            let width = 0.3 * em + 0.05 * em * min(height / em, 4)
            var path = stroke(max(rule * 1.2, 0.05 * em), [.move(width - side, top), .line(side, middle), .line(width - side, bottom)])
            if delimiter == .rightAngle { path = path.mirrored(width: width) }
            return Shape(paths: [path], width: width)
        }
    }

    /// An accent whose lowest point is at `bottom`, centred at `centre`; `width` nil for the natural size.
    static func accent(_ accent: MathAccent, centre: Double, bottom: Double, width: Double?, em: Double, rule: Double) -> Shape {
        let line = max(rule, 0.045 * em)
        switch accent {
        case .hat:
            let w = width ?? 0.42 * em, h = min(0.28 * em, 0.16 * em + 0.04 * w)
            return Shape(paths: [stroke(line, [.move(centre - w / 2, bottom - line / 2), .line(centre, bottom - h),
                                               .line(centre + w / 2, bottom - line / 2)])], height: h)
        case .bar:
            let w = width ?? 0.46 * em
            return Shape(paths: [rectangle(centre - w / 2, bottom - rule, w, rule)], height: rule)
        case .vec:
            let w = width ?? 0.5 * em, head = 0.12 * em, y = bottom - head
            return Shape(paths: [stroke(line, [.move(centre - w / 2, y), .line(centre + w / 2, y)]),
                                 stroke(line, [.move(centre + w / 2 - head, y - head), .line(centre + w / 2, y),
                                               .line(centre + w / 2 - head, y + head)])],
                         height: 2 * head)
        case .dot, .ddot:
            let radius = 0.06 * em
            let xs = accent == .dot ? [centre] : [centre - 0.13 * em, centre + 0.13 * em]
            return Shape(paths: xs.map { MathPath(elements: [.arc(x: $0, y: bottom - radius, radius: radius)], fill: true) },
                         height: 2 * radius)
        case .tilde:
            let w = width ?? 0.46 * em, h = 0.1 * em
            let left = centre - w / 2, right = centre + w / 2
            return Shape(paths: [stroke(line, [.move(left, bottom - h * 0.3),
                                               .curve(left + w * 0.3, bottom - h * 1.9, right - w * 0.3, bottom + h * 0.9,
                                                      right, bottom - h * 1.3)])],
                         height: h * 1.6)
        }
    }
}
