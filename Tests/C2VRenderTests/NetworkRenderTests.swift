import Foundation
import Testing
import C2VTestSupport
import C2VLesson
import C2VScene
import C2VUtil
@testable import C2VRender

/// A `network` drawn at 320x180: outlines, fills, a node's own colour and edges where the grid
/// layout puts them.
@Suite struct NetworkRenderTests {
    static let blue = RGBColor(hex: "#0000FF")!

    /// A rendered frame that a failed expectation describes in a few words, not pixel by pixel.
    struct Shot: CustomStringConvertible {
        let frame: Frame
        var description: String { "\(frame.width)x\(frame.height) frame" }

        /// Whether some pixel within `d` pixels of scene point (x, y) is `color` (320x180 is 1/6 of the canvas).
        func has(_ color: RGBColor, _ x: Double, _ y: Double, _ d: Int = 2, tolerance: Int = 60) -> Bool {
            let px = Int((x / 6).rounded()), py = Int((y / 6).rounded())
            return frame.contains(color, x0: px - d, y0: py - d, x1: px + d + 1, y1: py + d + 1, tolerance: tolerance)
        }
    }

    func render(steps: String = "", at time: Double) throws -> Shot {
        let scene = try SceneParser.parse(text: """
            scene:
              objects:
                - {id: g, kind: network, at: "A1:F6", layout: grid, nodes: [a, {id: b, color: 1}, c, d], edges: [[a, b], [c, d]],
                   node_radius: 60, stroke: 12, color: 0, fill: "#0000FF", labels: false}
            \(steps.isEmpty ? "" : "  steps:\n" + steps)
            """, file: "net.yaml", title: "T", lectureLines: ["One", "Two"], durationHint: nil)
        return Shot(frame: try Frame(try FrameRenderer(scene: scene, theme: theme, width: 320, height: 180), at: time))
    }

    /// Where the grid layout puts the nodes' centres: A1:F6 is x 760..1860, y 170..1030, and
    /// centres keep 60 + 6 units inside it, so two columns at x 826 and 1794, two rows at y 236 and 964.
    static let centres = (826.0, 1794.0, 236.0, 964.0)

    @Test func nodesAndEdgesAreDrawnWhereTheGridPutsThem() throws {
        let shot = try render(at: 2)
        let red = theme.accents[0], green = theme.accents[1]
        let (left, right, top, bottom) = Self.centres
        // Plain nodes: a red outline, filled blue.
        #expect(shot.has(red, left - 60, top))
        #expect(shot.has(red, right - 60, bottom))
        #expect(shot.has(Self.blue, left, top + 30, 1, tolerance: 20))
        #expect(shot.has(Self.blue, left, bottom + 30, 1, tolerance: 20))
        // Node b keeps its own colour (green) for its outline.
        #expect(shot.has(green, right - 60, top))
        #expect(!shot.has(red, right - 60, top, 1, tolerance: 30))
        // Edges a-b and c-d run along the rows; nothing crosses the middle.
        #expect(shot.has(red, (left + right) / 2, top, 1))
        #expect(shot.has(red, (left + right) / 2, bottom, 1))
        let (r, g, b) = shot.frame.rgb(Int(1310.0 / 6), Int(600.0 / 6))
        #expect(r == 0x10 && g == 0x20 && b == 0x30, "middle is \(r),\(g),\(b)")
    }

    @Test func indicatingANodeBoxesItAlone() throws {
        // The box (accent 1, green) goes round node c, 14 units outside its circle.
        let shot = try render(steps: "    - {line: 0, do: indicate, target: g, part: c, style: box, duration: 2}", at: 1)
        let green = theme.accents[1]
        let (left, right, _, bottom) = Self.centres
        #expect(shot.has(green, left - 60 - 14, bottom, 1))
        #expect(!shot.has(green, right - 60 - 14, bottom, 1, tolerance: 30))
    }
}
