import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// The camera (`zoom`, `pan`, `pinned`) and the Critic's view of it, and the fixes the Critic
/// offers: in the object's own coordinates and keys, and working once applied.
@Suite struct VocabularyCameraTests: SceneProbe {
    // MARK: camera

    @Test(arguments: ["C3:D4", "D2:E3", "E5:F6"])
    func zoomToAnAreaFillsTheViewWithIt(target: String) throws {
        let e = try evaluator("""
            objects:
              - {id: r, kind: rectangle, at: D2, entrance: none}
              - {id: t, kind: text, text: Hi, at: E3, size: 30, entrance: none}
            steps:
              - {do: zoom, to: "\(target)", duration: 1}
              - {do: zoom, to: all, line: 1, duration: 1}
            """)
        let area = SceneLayout.rect(GridArea(target)!)
        #expect(e.camera(at: 0).isIdentity)
        let camera = e.camera(at: 1.5)
        #expect(camera.scale > 1)
        #expect(camera.shows.contains(area), "shows \(camera.shows), asked for \(area)")
        #expect(near(camera.center, area.center, 1e-6))
        // As large as the visual area allows, with a margin: the area is 1/3 of it each way.
        #expect(close(camera.scale, 3 / 1.15, 1e-6))

        // Items are filmed: their points mapped and their sizes scaled; lines keep their width.
        let plain = e.frame(at: 0), zoomed = e.frame(at: 1.5)
        let b0 = try #require(box(plain, "r")), b1 = try #require(box(zoomed, "r"))
        #expect(close(b1.width, b0.width * camera.scale, 1e-6))
        #expect(close(b1.height, b0.height * camera.scale, 1e-6))
        #expect(near(b1.center, camera.map(b0.center), 1e-6))
        let widths = items(zoomed, "r").compactMap { if case .path(let p) = $0 { return p.width } else { return nil } }
        #expect(widths.allSatisfy { $0 == SceneLayout.strokeWidth }, "\(widths)")
        #expect(close(texts(zoomed, "t").first?.size, 30 * camera.scale, 1e-6))

        // `to: all` shows the whole area again.
        #expect(e.camera(at: 4).isIdentity, "\(e.camera(at: 4))")
        #expect(near(box(e.frame(at: 4), "r")?.center, b0.center, 1e-6))
    }

    @Test func panMovesTheCentreKeepingTheZoom() throws {
        let e = try evaluator("""
            objects:
              - {id: r, kind: rectangle, at: C3, entrance: none}
            steps:
              - {do: pan, by: [100, 0]}
              - {do: zoom, factor: 2, line: 1}
              - {do: pan, by: [0, -50], line: 1}
            """)
        let start = Camera.identity.center
        let panned = e.camera(at: 1.5)
        #expect(near(panned.center, Point2(start.x + 100, start.y)))
        #expect(close(panned.scale, 1))
        // What it films moves the other way.
        let b0 = try #require(box(e.frame(at: 0), "r")), b1 = try #require(box(e.frame(at: 1.5), "r"))
        #expect(near(b1.center, Point2(b0.center.x - 100, b0.center.y)))
        // A later pan keeps the zoom it finds.
        let last = e.camera(at: 4.9)
        #expect(close(last.scale, 2))
        #expect(near(last.center, Point2(start.x + 100, start.y - 50)))
    }

    @Test func pinnedObjectsStayPutUnderTheCamera() throws {
        let e = try evaluator("""
            objects:
              - {id: caption, kind: text, text: caption, at: C6, pinned: true, entrance: none}
              - {id: r, kind: rectangle, at: C3, entrance: none}
            steps:
              - {do: zoom, to: "C3:D4"}
            """)
        #expect(!e.camera(at: 1.5).isIdentity)
        #expect(near(textBox(e.frame(at: 1.5), "caption")?.center, try #require(textBox(e.frame(at: 0), "caption")).center))
        #expect(texts(e.frame(at: 1.5), "caption").first?.size == 40)
    }

    @Test func zoomNeedsToOrFactor() {
        expectError("""
            objects:
              - {id: box, kind: rectangle, at: C3}
            steps:
              - {do: zoom}
            """, 4, 5, "`zoom` needs `to` (an area like C2:E4, an object id, or `all`) or `factor` (like 2)")
    }

    @Test func zoomToAnUnknownNameSuggestsTheNearest() {
        expectError("""
            objects:
              - {id: box, kind: rectangle, at: C3}
            steps:
              - {do: zoom, to: boxx}
            """, 4, 20,
            "`to` names `boxx`, which is not an area or an object; did you mean `box`?; give an area like C2:E4, an object id, or `all`")
    }

    @Test func zoomToAnObjectFramesItsBox() throws {
        let e = try evaluator("""
            objects:
              - {id: r, kind: rectangle, at: E5, size: [100, 50], entrance: none}
            steps:
              - {do: zoom, to: r}
            """)
        let camera = e.camera(at: 1.5)
        #expect(near(camera.center, cellCenter("E5"), 1e-6))
        // 100 x 50 in an 1100 x 860 view: the width limits, with the 15% margin.
        #expect(close(camera.scale, 11 / 1.15, 1e-6))
    }

    @Test func criticChecksWhatTheZoomShowsNotWhatItCutsOff() throws {
        // Zoomed onto C3:D4, F6 lands right of the canvas and A1 over the lecture column.
        let text = """
            objects:
              - {id: corner, kind: rectangle, at: F6}
              - {id: head, kind: text, text: Top, at: A1}
              - {id: ring, kind: circle, at: C3}
            steps:
              - {do: zoom, to: "C3:D4", duration: 1}
            """
        let e = try evaluator(text)
        let corner = try #require(box(e.frame(at: 1.5), "corner"))
        #expect(corner.x > SceneLayout.width, "the premise: `corner` is filmed off the canvas (\(corner))")
        let head = try #require(textBox(e.frame(at: 1.5), "head"))
        #expect(head.maxX < SceneLayout.visualArea.x, "the premise: `head` is filmed left of the view (\(head))")
        let found = try findings(text)
        #expect(!found.contains { $0.message.contains("off-screen") || $0.message.contains("lecture column") || $0.message.contains("title bar") },
                "\(found.map(\.description))")
        #expect(found.filter { $0.severity == .error }.isEmpty, "\(found.map(\.description))")
    }

    @Test func criticStillReportsTextTooSmallUnderAZoom() throws {
        let found = try findings("""
            objects:
              - {id: note, kind: text, text: note, at: C3, size: 30}
            steps:
              - {do: zoom, factor: 0.5, duration: 0.2}
            """)
        let small = found.filter { $0.message.contains("too small to read") }
        try #require(small.count == 1, "\(found.map(\.description))")
        #expect(small[0].object == "note")
        #expect(small[0].message.hasPrefix("text \"note\" is 15"), "\(small[0].message)")
        // Filmed at half size, the text is too small only once the zoom has gone far enough.
        #expect((small[0].time ?? 0) > 0.1, "\(small[0])")
    }

    // MARK: the Critic's fixes

    /// `text` with the Critic's fix for `id` applied: a grid `move` changes `at`, an `offset` fix sets it.
    func applying(_ fix: String, to text: String, id: String) throws -> String {
        if let m = fix.firstMatch(of: /move `(\w+)` from (\S+) to (\S+)/) {
            #expect(String(m.1) == id)
            var fixed = text.replacingOccurrences(of: "at: \(m.2),", with: "at: \"\(m.3)\",")
            if fix.hasSuffix("and remove its `offset`") {
                fixed = fixed.replacingOccurrences(of: #" offset: \[[^\]]*\],"#, with: "", options: .regularExpression)
            }
            return fixed
        }
        let m = try #require(fix.firstMatch(of: /set `offset: \[(-?\d+), (-?\d+)\]` on `(\w+)`/), "unexpected fix: \(fix)")
        #expect(String(m.3) == id)
        let offset = "offset: [\(m.1), \(m.2)]"
        if text.contains("offset: [") {
            return text.replacingOccurrences(of: #"offset: \[[^\]]*\]"#, with: offset, options: .regularExpression)
        }
        return text.replacingOccurrences(of: "id: \(id), ", with: "id: \(id), \(offset), ")
    }

    @Test func pointPlacedObjectInTheColumnGetsAnOffsetFixThatWorks() throws {
        let text = """
            objects:
              - {id: d, kind: dot, at: [650, 560], offset: [-20, 0], radius: 30}
            """
        let found = try findings(text)
        try #require(found.count == 1, "\(found.map(\.description))")
        #expect(found[0].message == "intrudes into the lecture column (600,530 to 660,590)")
        // The offset it had plus the way to A3, in scene units.
        #expect(found[0].fix == "set `offset: [202, -32]` on `d` (scene units), moving it toward A3")
        let fixed = try applying(try #require(found[0].fix), to: text, id: "d")
        #expect(try findings(fixed).isEmpty, "\(fixed)")
    }

    @Test func objectOnAHostGetsAnOffsetFix() throws {
        let found = try findings("""
            objects:
              - {id: ax, kind: axes, at: "A1:F6", x: [-1, 1], y: [-1, 1], labels: false}
              - {id: d, kind: dot, on: ax, at: [-1.4, 0], radius: 20}
            """)
        let column = found.filter { $0.object == "d" && $0.message.hasPrefix("intrudes into the lecture column") }
        try #require(column.count == 1, "\(found.map(\.description))")
        #expect(column[0].fix?.hasPrefix("set `offset: [") == true, "\(column[0].fix ?? "nil")")
    }

    @Test func gridPlacedObjectGetsAGridAreaFixThatWorks() throws {
        let text = """
            objects:
              - {id: r, kind: rectangle, at: A3, size: [400, 100]}
            """
        let found = try findings(text)
        try #require(found.count == 1, "\(found.map(\.description))")
        #expect(found[0].message.hasPrefix("intrudes into the lecture column"))
        // Three cells wide for its 406 units (the stroke included), the nearest such area.
        #expect(found[0].fix == "move `r` from A3 to A3:C3")
        #expect(try findings(try applying(try #require(found[0].fix), to: text, id: "r")).isEmpty)
    }

    @Test("A grid-placed object with an offset gets a fix that clears the column once applied")
    func gridPlacedObjectWithAnOffset() throws {
        let text = """
            objects:
              - {id: r, kind: rectangle, at: B3, offset: [-300, 0], size: [100, 100]}
            """
        let found = try findings(text)
        try #require(found.count == 1, "\(found.map(\.description))")
        #expect(found[0].message.hasPrefix("intrudes into the lecture column"))
        let fix = try #require(found[0].fix)
        let fixed = try findings(try applying(fix, to: text, id: "r"))
        #expect(fixed.isEmpty, "fix: \(fix); then: \(fixed.map(\.description))")
    }

    @Test func smallTickLabelsOfAxesAndPlanesGetNoSizeFix() throws {
        // At 180 pixels high a 28-unit tick label is under 5 pixels; axes and planes take no `size`.
        for host in ["{id: ax, kind: axes, at: \"A1:F6\", x: [-2, 2], y: [-1, 1]}",
                     "{id: ax, kind: plane, at: \"A1:F6\", x: [-2, 2], y: [-1, 1]}"] {
            let found = try findings("objects:\n  - \(host)\n", outputHeight: 180)
            let small = found.filter { $0.message.contains("too small to read") }
            try #require(small.count == 1, "\(host): \(found.map(\.description))")
            #expect(small[0].object == "ax")
            #expect(small[0].message.contains("is 28 units (4.7 px at this size)"), "\(small[0].message)")
            let fix = try #require(small[0].fix)
            #expect(!fix.contains("`size`"), "\(host): \(fix)")
            #expect(fix == "its labels are drawn at a fixed 28 units: build at a video height of at least 348 px")
        }
        // A text does take `size`: its fix names it.
        let text = try findings("objects:\n  - {id: t, kind: text, text: note, at: C3, size: 24}\n", outputHeight: 180)
        #expect(text.first?.fix == "set `size` to at least 54")
    }
}
