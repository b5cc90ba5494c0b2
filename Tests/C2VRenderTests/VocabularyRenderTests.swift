import Foundation
import Testing
import C2VTestSupport
import C2VLesson
import C2VScene
import C2VUtil
@testable import C2VRender

/// The camera and the plane as drawn: frames at 320x180 (one pixel is 6 scene units), sampled
/// at known points. Uses the suite's theme: background #102030, accent 0 red, accent 1 green.
@Suite struct VocabularyRenderTests {
    let red = RGBColor(hex: "#FF0000")!

    func renderer(_ yaml: String) throws -> FrameRenderer {
        let scene = try SceneParser.parse(try YAMLReader.read(yaml, file: "scene.yaml"), title: "Title",
                                          lectureLines: ["First line", "Second line"], durationHint: nil)
        return try FrameRenderer(scene: scene, theme: theme, width: 320, height: 180)
    }

    /// The pixel at a point in scene units.
    func pixel(_ frame: Frame, _ x: Double, _ y: Double) -> (Int, Int, Int) {
        frame.rgb(Int(x / 6), Int(y / 6))
    }

    func isRed(_ c: (Int, Int, Int)) -> Bool { c.0 > 200 && c.1 < 60 && c.2 < 60 }

    func isBackground(_ c: (Int, Int, Int)) -> Bool {
        abs(c.0 - 0x10) <= 3 && abs(c.1 - 0x20) <= 3 && abs(c.2 - 0x30) <= 3
    }

    @Test func zoomedObjectsAreCutOffAtTheVisualArea() throws {
        // An 880 x 688 slab about the view's centre, zoomed 2.6 times onto C3:D4, would reach
        // x 162 and y -294: over the lecture column and the title bar.
        let r = try renderer("""
            objects:
              - {id: slab, kind: rectangle, at: "A1:F6", fill: 0, color: 0, entrance: none}
            steps:
              - {do: zoom, to: "C3:D4", duration: 0.5}
            """)
        let before = try Frame(r, at: 0.1), after = try Frame(r, at: 2)
        let v = SceneLayout.visualArea
        // Unzoomed, the slab covers the middle of the view but not its corners.
        #expect(isRed(pixel(before, v.midX, v.midY)))
        #expect(!isRed(pixel(before, v.x + 12, v.y + 12)))
        // Zoomed, it fills the whole visual area, corners included ...
        for (x, y) in [(v.x + 12, v.y + 12), (v.maxX - 12, v.y + 12), (v.x + 12, v.maxY - 12), (v.maxX - 12, v.maxY - 12),
                       (v.midX, v.midY)] {
            #expect(isRed(pixel(after, x, y)), "(\(x), \(y)) is \(pixel(after, x, y))")
        }
        // ... and nothing beyond it: the lecture column, the gap beside it and the title bar's
        // right end stay background.
        for (x, y) in [(300.0, 950.0), (600.0, 700.0), (730.0, 600.0), (1800.0, 100.0), (1890.0, 600.0), (1310.0, 1060.0)] {
            #expect(isBackground(pixel(after, x, y)), "(\(x), \(y)) is \(pixel(after, x, y))")
        }
    }

    @Test func filledCircleOnAPlaneIsRound() throws {
        // The plane's unit is 812 / 4 = 203 scene units (33.8 px) both ways; axes over the
        // same area stretch x to 263 units (43.8 px), so the samples at 40 px tell them apart.
        let plane = try Frame(try renderer("""
            objects:
              - {id: p, kind: plane, at: "A1:F6", x: [-2, 2], y: [-2, 2], grid: 0, labels: false, entrance: none}
              - {id: c, kind: circle, on: p, at: [0, 0], radius: 1, fill: 0, color: 0, entrance: none}
            """), at: 1)
        let cx = 1310.0, cy = 600.0
        for d in [150.0, 180.0] {
            for (x, y) in [(cx - d, cy), (cx + d, cy), (cx, cy - d), (cx, cy + d)] {
                #expect(isRed(pixel(plane, x, y)), "inside at \(d): (\(x), \(y)) is \(pixel(plane, x, y))")
            }
        }
        for (x, y) in [(cx - 240, cy), (cx + 240, cy), (cx, cy - 240), (cx, cy + 240)] {
            #expect(!isRed(pixel(plane, x, y)), "outside: (\(x), \(y)) is \(pixel(plane, x, y))")
        }

        // The same circle on axes is the ellipse of their units: wider than high.
        let axes = try Frame(try renderer("""
            objects:
              - {id: p, kind: axes, at: "A1:F6", x: [-2, 2], y: [-2, 2], labels: false, entrance: none}
              - {id: c, kind: circle, on: p, at: [0, 0], radius: 1, fill: 0, color: 0, entrance: none}
            """), at: 1)
        #expect(isRed(pixel(axes, cx - 240, cy)) && isRed(pixel(axes, cx + 240, cy)))
        #expect(!isRed(pixel(axes, cx, cy - 240)) && !isRed(pixel(axes, cx, cy + 240)))
    }

    @Test("A pinned object outside the visual area stays drawn while the camera zooms")
    func pinnedObjectInTheMarginUnderAZoom() throws {
        // Right of the visual area (x 1860..1920) is on the canvas, and the Critic accepts it.
        let r = try renderer("""
            objects:
              - {id: badge, kind: rectangle, at: [1890, 600], size: [40, 40], fill: 0, color: 0, pinned: true, entrance: none}
              - {id: ring, kind: circle, at: C3, entrance: none}
            steps:
              - {do: zoom, to: "C3:D4", duration: 0.5, line: 1}
            """)
        #expect(isRed(pixel(try Frame(r, at: 1), 1890, 600)), "drawn before the zoom")
        let zoomed = try Frame(r, at: 4)
        #expect(isRed(pixel(zoomed, 1890, 600)), "after the zoom: \(pixel(zoomed, 1890, 600))")
    }
}
