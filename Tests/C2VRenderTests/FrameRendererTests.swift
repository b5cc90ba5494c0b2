import Foundation
import Testing
import C2VTestSupport
import C2VLesson
import C2VScene
import C2VUtil
@testable import C2VRender

/// A frame drawn into memory (Cairo ARGB32: B, G, R, A in memory).
typealias Frame = PixelImage

extension PixelImage {
    /// True when some pixel in the box is within `tolerance` of `color` on every channel.
    func contains(_ color: RGBColor, x0: Int, y0: Int, x1: Int, y1: Int, tolerance: Int = 40) -> Bool {
        for y in y0..<y1 {
            for x in x0..<x1 {
                let (r, g, b) = rgb(x, y)
                if abs(r - Int(color.red)) <= tolerance && abs(g - Int(color.green)) <= tolerance && abs(b - Int(color.blue)) <= tolerance {
                    return true
                }
            }
        }
        return false
    }
}

let theme = Theme(background: RGBColor(hex: "#102030")!, text: RGBColor(hex: "#F0F0F0")!,
                  accents: [RGBColor(hex: "#FF0000")!, RGBColor(hex: "#00FF00")!], font: "DejaVu Sans")

func testScene() -> Scene {
    Scene(
        title: "Title",
        lines: [SceneLine(text: "First line", start: 0, end: 2), SceneLine(text: "Second line", start: 2, end: 4)],
        objects: [
            SceneObject(id: "box", kind: .rectangle, at: .grid(GridArea("A1:C3")!), color: .accent(1), appear: 0, disappear: 1.5, entrance: .fade),
            SceneObject(id: "dot", kind: .dot, at: .grid(GridArea("E5")!), color: .accent(1), appear: 2, disappear: nil, entrance: .fade),
        ],
        duration: 4)
}

@Suite struct FrameRendererTests {
    @Test func backgroundFillsTheCorners() throws {
        let frame = try Frame(try FrameRenderer(scene: testScene(), theme: theme, width: 320, height: 180), at: 1)
        for (x, y) in [(0, 0), (319, 0), (0, 179), (319, 179)] {
            let (r, g, b) = frame.rgb(x, y)
            #expect(r == 0x10 && g == 0x20 && b == 0x30, "pixel (\(x),\(y)) is \(r),\(g),\(b)")
        }
    }

    @Test func currentLectureLineIsHighlightedInAccentZero() throws {
        let renderer = try FrameRenderer(scene: testScene(), theme: theme, width: 640, height: 360)
        // Lecture column: x 60..700, first line near y 170 (scene units); at 640x360 divide by 3.
        let early = try Frame(renderer, at: 1)
        #expect(early.contains(theme.accents[0], x0: 20, y0: 55, x1: 230, y1: 75))
        // Later the first line is dimmed and the red highlight moves to the second line below it.
        let late = try Frame(renderer, at: 3)
        #expect(!late.contains(theme.accents[0], x0: 20, y0: 55, x1: 230, y1: 70, tolerance: 30))
        #expect(late.contains(theme.accents[0], x0: 20, y0: 70, x1: 230, y1: 95, tolerance: 30))
    }

    @Test func objectsAppearInTheirGridAreaAndLeaveOnTime() throws {
        let renderer = try FrameRenderer(scene: testScene(), theme: theme, width: 640, height: 360)
        let green = theme.accents[1]
        // E5 centre: visual area x 760 + 4.5 * 183.33 = 1585, y 170 + 4.5 * 143.33 = 815 -> /3.
        let dotX = Int(1585.0 / 3), dotY = Int(815.0 / 3)
        #expect(try !Frame(renderer, at: 1).contains(green, x0: dotX - 2, y0: dotY - 2, x1: dotX + 3, y1: dotY + 3))
        #expect(try Frame(renderer, at: 3.5).contains(green, x0: dotX - 2, y0: dotY - 2, x1: dotX + 3, y1: dotY + 3, tolerance: 10))
        // The box (A1:C3) is drawn at t=1 and gone after its 0.4 s exit at 1.5.
        let box = SceneLayout.rect(GridArea("A1:C3")!)
        // By default a rectangle covers the middle 80% of its area.
        let edgeX = Int((box.x + box.width * 0.1) / 3), midY = Int(box.midY / 3)
        #expect(try Frame(renderer, at: 1).contains(green, x0: edgeX - 3, y0: midY - 2, x1: edgeX + 4, y1: midY + 2))
        #expect(try !Frame(renderer, at: 2.5).contains(green, x0: edgeX - 3, y0: midY - 2, x1: edgeX + 4, y1: midY + 2))
    }

    @Test func compositionIsIndependentOfResolution() throws {
        let small = try Frame(try FrameRenderer(scene: testScene(), theme: theme, width: 320, height: 180), at: 3.5)
        let large = try Frame(try FrameRenderer(scene: testScene(), theme: theme, width: 1280, height: 720), at: 3.5)
        let dotX = 1585.0 / 1920, dotY = 815.0 / 1080
        #expect(small.contains(theme.accents[1], x0: Int(dotX * 320) - 1, y0: Int(dotY * 180) - 1, x1: Int(dotX * 320) + 2, y1: Int(dotY * 180) + 2, tolerance: 60))
        #expect(large.contains(theme.accents[1], x0: Int(dotX * 1280) - 1, y0: Int(dotY * 720) - 1, x1: Int(dotX * 1280) + 2, y1: Int(dotY * 720) + 2, tolerance: 10))
    }

    @Test func writesAPNG() throws {
        let path = try FileIO.makeTemporaryDirectory(prefix: "c2v-render-test") + "/still.png"
        try FrameRenderer(scene: testScene(), theme: theme, width: 320, height: 180).writePNG(at: 1, to: path)
        let data = try FileIO.read(path)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func pangoMeasuresLongerTextWider() throws {
        let measurer = try PangoTextMeasurer(fontFamily: "DejaVu Sans", width: 1920, height: 1080)
        let short = measurer.measure("Hi", fontSize: 40, bold: false, wrapWidth: nil)
        let long = measurer.measure("Hello, wide world", fontSize: 40, bold: false, wrapWidth: nil)
        #expect(long.width > short.width * 4)
        #expect(short.height > 40 && short.height < 60)
        let wrapped = measurer.measure("word word word word word word word word", fontSize: 40, bold: false, wrapWidth: 200)
        #expect(wrapped.width <= 200)
        #expect(wrapped.height > short.height * 2)
    }
}

@Suite struct MathObjectTests {
    func scene(_ steps: String = "") throws -> Scene {
        try SceneParser.parse(text: """
            objects:
              - {id: f, kind: math, at: "A1:F2", tex: 'a + \\mathid{sq}{b^2} = c', size: 60, color: text}
            steps:
              - {line: 0, do: fade_in, target: f, duration: 0.1}
            \(steps)
            """, file: "m.yaml", title: "T", lectureLines: ["One"], durationHint: 4)
    }

    @Test func aNamedPartLiesInsideTheFormula() throws {
        let measurer = try PangoTextMeasurer(fontFamily: "DejaVu Sans", width: 1920, height: 1080)
        let item = TextItem(text: "a + \\mathid{sq}{b^2} = c", markup: false, font: .serif, size: 60, bold: false,
                            anchor: Point2(0, 0), alignX: 0, alignY: 0, rotation: 0, color: RGBA(r: 1, g: 1, b: 1, a: 1),
                            reveal: 1, math: true)
        let whole = measurer.measure(item)
        let part = try #require(measurer.part("sq", of: item))
        // `b^2` starts after `a + ` and ends before ` = c`.
        #expect(part.x > whole.width * 0.2 && part.maxX < whole.width * 0.8, "\(part) in \(whole)")
        #expect(part.y >= 0 && part.maxY <= whole.height)
        #expect(measurer.part("nope", of: item) == nil)
    }

    @Test func indicatingAPartDrawsABoxAroundItOnly() throws {
        let scene = try scene("  - {line: 0, do: indicate, target: f, part: sq, duration: 2, color: 1}")
        let renderer = try FrameRenderer(scene: scene, theme: theme, width: 640, height: 360)
        let measurer = try PangoTextMeasurer(fontFamily: theme.font, width: 640, height: 360)
        let frame = try PixelImage(renderer, at: 1.1)
        // The formula is centred in A1:F2 (scene x 760..1860, y 170..456.7); find its part's box.
        let item = TextItem(text: "a + \\mathid{sq}{b^2} = c", markup: false, font: .serif, size: 60, bold: false,
                            anchor: Point2(0, 0), alignX: 0, alignY: 0, rotation: 0, color: RGBA(r: 1, g: 1, b: 1, a: 1),
                            reveal: 1, math: true)
        let size = measurer.measure(item)
        let part = try #require(measurer.part("sq", of: item))
        let formulaLeft: Double = 1310 - size.width / 2
        let formulaTop: Double = 313.3 - size.height / 2
        let left: Double = formulaLeft + part.x - 14
        let top: Double = formulaTop + part.y - 14
        // The box's left edge (accent 1, green here) is drawn; the formula's first letter is not boxed.
        let green = theme.accents[1]
        var onEdge = false
        for dy in 0..<6 {
            let (r, g, b) = frame.rgb(Int(left / 3), Int((top + part.height / 2) / 3) + dy)
            if abs(r - Int(green.red)) < 60 && abs(g - Int(green.green)) < 60 && abs(b - Int(green.blue)) < 60 { onEdge = true }
        }
        #expect(onEdge)
        let start = 1310 - size.width / 2
        var boxedStart = false
        for x in Int(start / 3)..<Int(start / 3) + 8 {
            let (r, g, b) = frame.rgb(x, Int(top / 3))
            if abs(r - Int(green.red)) < 60 && abs(g - Int(green.green)) < 60 && abs(b - Int(green.blue)) < 60 { boxedStart = true }
        }
        #expect(!boxedStart)
    }

    @Test func unknownPartIsAnError() throws {
        #expect(throws: (any Error).self) { try scene("  - {line: 0, do: indicate, target: f, part: sqq}") }
        do {
            _ = try scene("  - {line: 0, do: indicate, target: f, part: sqq}")
        } catch let error as C2VError {
            #expect(error.message == "formula `f` has no part `sqq`; did you mean `sq`?; name parts with \\mathid{name}{...}")
            #expect(error.location?.line == 5 && error.location?.column == 46)
        }
    }
}

@Suite struct FormulaTransformTests {
    /// Ink (a pixel far from the background) in columns x0..<x1 of rows y0..<y1.
    func inked(_ frame: PixelImage, x0: Int, x1: Int, y0: Int, y1: Int) -> Bool {
        let bg = theme.background
        for y in y0..<y1 {
            for x in x0..<x1 {
                let (r, g, b) = frame.rgb(x, y)
                if abs(r - Int(bg.red)) + abs(g - Int(bg.green)) + abs(b - Int(bg.blue)) > 120 { return true }
            }
        }
        return false
    }

    @Test func aNamedPartTravelsToItsPlaceInTheNewFormula() throws {
        let scene = try SceneParser.parse(text: """
            objects:
              - {id: a, kind: math, at: "A2:F3", tex: '\\mathid{x}{x^2} \\qquad\\qquad\\qquad 1', size: 60}
              - {id: b, kind: math, at: "A2:F3", tex: '1 \\qquad\\qquad\\qquad \\mathid{x}{x^2}', size: 60}
            steps:
              - {line: 0, do: transform, target: a, into: b, duration: 2, easing: linear}
            """, file: "t.yaml", title: "T", lectureLines: ["One"], durationHint: 4)
        let move = try #require(scene.animations.first { $0.kind == .transform })
        let renderer = try FrameRenderer(scene: scene, theme: theme, width: 640, height: 360)
        // A2:F3 is scene x 760..1860, y 313..600: the formulas are centred at (1310, 457), pixel
        // (437, 152). The gap between their two ends is empty before and after, and holds the
        // travelling x^2 half-way.
        let rows = (152 - 14, 152 + 14), middle = (437 - 12, 437 + 12)
        let before = inked(try PixelImage(renderer, at: max(0, move.start - 0.01)), x0: middle.0, x1: middle.1, y0: rows.0, y1: rows.1)
        let halfway = inked(try PixelImage(renderer, at: move.start + move.duration / 2), x0: middle.0, x1: middle.1, y0: rows.0, y1: rows.1)
        let after = inked(try PixelImage(renderer, at: move.end + 0.01), x0: middle.0, x1: middle.1, y0: rows.0, y1: rows.1)
        #expect(!before)
        #expect(halfway)
        #expect(!after)
    }
}

@Suite struct MathFontTests {
    @Test func anUninstalledMathFontFallsBackToDejaVuSerif() throws {
        let item = TextItem(text: "\\frac{a}{b} + x^2", markup: false, font: .serif, size: 60, bold: false, anchor: Point2(0, 0),
                            alignX: 0, alignY: 0, rotation: 0, color: RGBA(r: 1, g: 1, b: 1, a: 1), reveal: 1, math: true)
        let missing = try PangoTextMeasurer(fontFamily: "DejaVu Sans", mathFont: "No Such Font XYZ", width: 1920, height: 1080)
        let dejavu = try PangoTextMeasurer(fontFamily: "DejaVu Sans", width: 1920, height: 1080)
        let a = missing.measure(item), b = dejavu.measure(item)
        #expect(a.width > 0 && a.width == b.width && a.height == b.height)
    }
}
