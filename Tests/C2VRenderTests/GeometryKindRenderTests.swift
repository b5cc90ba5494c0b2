import Foundation
import Testing
import C2VTestSupport
import C2VLesson
import C2VScene
import C2VUtil
@testable import C2VRender

/// `area`, `tangent` and `angle` as drawn at 320x180: colours at points worked out from the axes'
/// mapping (the visual area inset 24 units: x 784..1836, y 194..1006 in scene units, / 6 here).
@Suite struct GeometryKindRenderTests {
    static let theme = Theme(background: RGBColor(hex: "#102030")!, text: RGBColor(hex: "#F0F0F0")!,
                             accents: [RGBColor(hex: "#FF0000")!, RGBColor(hex: "#00FF00")!, RGBColor(hex: "#0000FF")!],
                             font: "DejaVu Sans")

    func frame(_ objects: String, at time: Double = 1) throws -> PixelImage {
        let scene = try SceneParser.parse(text: """
            objects:
              - {id: axes, kind: axes, at: "A1:F6", x: [0, 2], y: [0, 4], entrance: none}
              - {id: f, kind: graph, on: axes, y: "x^2", color: 0, entrance: none}
            \(objects)
            """, file: "scene.yaml", title: "T", lectureLines: ["One"], durationHint: 2)
        return try PixelImage(try FrameRenderer(scene: scene, theme: Self.theme, width: 320, height: 180), at: time)
    }

    /// Where the axes' point (x, y) lands at 320x180.
    func pixel(_ x: Double, _ y: Double) -> (Int, Int) {
        (Int(((784 + x / 2 * 1052) / 6).rounded()), Int(((1006 - y / 4 * 812) / 6).rounded()))
    }

    @Test func areaUnderTheCurveIsTheGraphsColourAtAThirdAndAboveItTheBackground() throws {
        let image = try frame("  - {id: shade, kind: area, of: f, x: [0, 2], entrance: none}")
        // Red at 0.35 over #102030.
        let (ux, uy) = pixel(1.6, 0.8)
        let (r, g, b) = image.rgb(ux, uy)
        #expect(abs(r - 100) <= 3 && abs(g - 21) <= 3 && abs(b - 31) <= 3, "under the curve: \(r),\(g),\(b)")
        let (ax, ay) = pixel(0.4, 3)
        let above = image.rgb(ax, ay)
        #expect(above.0 == 0x10 && above.1 == 0x20 && above.2 == 0x30, "above the curve: \(above)")
        // Outside the bounds [0, 2] nothing is filled: left of the y axis is background too.
        let (lx, ly) = pixel(-0.04, 0.5)
        #expect(image.rgb(lx, ly) == (0x10, 0x20, 0x30))
    }

    @Test func riemannRectanglesFillUpToTheirLeftHeightOnly() throws {
        // Left rule, 2 rectangles on [0, 2]: heights f(0) = 0 and f(1) = 1.
        let image = try frame("  - {id: bars, kind: area, of: f, x: [0, 2], riemann: 2, entrance: none}")
        let (ix, iy) = pixel(1.5, 0.5)
        let (r, _, _) = image.rgb(ix, iy)
        #expect(abs(r - 100) <= 3, "inside the second rectangle: red \(r)")
        // Under the curve but above the rectangle's top (y = 1): background.
        let (ox, oy) = pixel(1.5, 1.8)
        #expect(image.rgb(ox, oy) == (0x10, 0x20, 0x30))
    }

    @Test func tangentIsDrawnAlongItsSlope() throws {
        let image = try frame("  - {id: t, kind: tangent, of: f, x: 1, color: 1, entrance: none}")
        // 100 units from (1, 1) along (526, -406) per unit of x, the direction of slope 2 here.
        let length = hypot(526.0, 406.0)
        let (tx, ty) = pixel(1, 1)
        let px = Int((Double(tx) + 100 * 526 / length / 6).rounded()), py = Int((Double(ty) - 100 * 406 / length / 6).rounded())
        #expect(image.contains(Self.theme.accents[1], x0: px - 1, y0: py - 1, x1: px + 2, y1: py + 2, tolerance: 90))
        // Across the slope from there: no green.
        #expect(!image.contains(Self.theme.accents[1], x0: px + 4, y0: py + 4, x1: px + 7, y1: py + 7, tolerance: 90))
    }

    @Test func filledAngleWedgeIsShadedInsideItsRadiusOnly() throws {
        let image = try frame("  - {id: a, kind: angle, vertex: [1200, 600], from: [1500, 600], to: [1200, 300], radius: 120, right: false, fill: 2, entrance: none}")
        // Inside the quarter disc, up and to the right of the vertex: blue.
        let inside = image.rgb(Int((1200 + 50) / 6), Int((600 - 50) / 6))
        #expect(inside.2 > 200 && inside.0 < 40, "inside the wedge: \(inside)")
        // Below the vertex, outside the angle: background.
        #expect(image.rgb(Int(1250 / 6), Int(650 / 6)) == (0x10, 0x20, 0x30))
    }
}
