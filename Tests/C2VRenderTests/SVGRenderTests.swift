import C2VLesson
import C2VScene
import C2VTestSupport
import C2VUtil
import Foundation
import Testing
@testable import C2VRender

/// SVG `image` objects as the renderer draws them.
@Suite struct SVGRenderTests {
    /// The scene of one `image` of `src` in B2, read from a lesson folder holding `files`.
    func scene(_ src: String, _ files: [String: [UInt8]], extra: String = "") throws -> Scene {
        let folder = try TestFiles.temporaryDirectory("c2v-render-svg")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
        let text = "objects:\n  - {id: p, kind: image, at: B2, src: \(src)\(extra)}\n"
        return try SceneParser.parse(YAMLReader.read(text, file: "t.yaml"), title: "T", lectureLines: ["One line"],
                                     durationHint: 4, context: SceneContext(directory: folder))
    }

    /// B2 in pixels of a `width`-wide frame.
    func cell(width: Int) -> (x: Double, y: Double, w: Double, h: Double) {
        let r = SceneLayout.rect(GridArea("B2")!), k = Double(width) / 1920
        return (r.x * k, r.y * k, r.width * k, r.height * k)
    }

    @Test func aRedRectangleFillsTheMiddleOfItsCell() throws {
        let s = try scene("box.svg", ["box.svg": Array(SVGFixtures.redRectangle.utf8)])
        let frame = try Frame(try FrameRenderer(scene: s, theme: theme, width: 320, height: 180), at: 2)
        let c = cell(width: 320)
        // 2:1 fitted into the cell: the full width, half as tall, centred.
        let band = c.w / 2
        for (x, y) in [(c.x + c.w / 2, c.y + c.h / 2), (c.x + 2, c.y + c.h / 2), (c.x + c.w - 2, c.y + c.h / 2 - band / 2 + 2)] {
            #expect(frame.rgb(Int(x), Int(y)) == (255, 0, 0), "(\(Int(x)), \(Int(y))) is \(frame.rgb(Int(x), Int(y)))")
        }
        // Above and below the band is the background.
        for y in [c.y + 1, c.y + c.h - 2] {
            #expect(frame.rgb(Int(c.x + c.w / 2), Int(y)) == (0x10, 0x20, 0x30))
        }
    }

    @Test func anSVGIsDrawnAsVectorsSharpAtAnySize() throws {
        // Two "pixels" of intrinsic size, red and blue: scaled as a bitmap, their edge would
        // blur across the whole image; drawn as vectors it is one pixel wide at 1280x720.
        let halves = """
            <svg xmlns="http://www.w3.org/2000/svg" width="2" height="1" viewBox="0 0 2 1">
              <rect width="1" height="1" fill="#ff0000"/><rect x="1" width="1" height="1" fill="#0000ff"/>
            </svg>
            """
        let s = try scene("halves.svg", ["halves.svg": Array(halves.utf8)])
        let frame = try Frame(try FrameRenderer(scene: s, theme: theme, width: 1280, height: 720), at: 2)
        let c = cell(width: 1280)
        let mid = Int(c.x + c.w / 2), y = Int(c.y + c.h / 2)
        #expect(frame.rgb(mid - 2, y) == (255, 0, 0))
        #expect(frame.rgb(mid + 2, y) == (0, 0, 255))
    }

    @Test func aFadingSVGIsDrawnPartlyTransparent() throws {
        let s = try scene("box.svg", ["box.svg": Array(SVGFixtures.redRectangle.utf8)])
        let renderer = try FrameRenderer(scene: s, theme: theme, width: 320, height: 180)
        let c = cell(width: 320)
        let (x, y) = (Int(c.x + c.w / 2), Int(c.y + c.h / 2))
        // The default entrance fades in over the first moments.
        let (r, _, b) = try Frame(renderer, at: 0.15).rgb(x, y)
        #expect(r > 0x10 + 20 && r < 255 - 20, "red \(r) is neither the background nor the image")
        #expect(b > 0 && b < 0x30)
        #expect(try Frame(renderer, at: 2).rgb(x, y) == (255, 0, 0))
    }

    @Test func filesAnSVGRefersToAreNotRead() throws {
        let folder = try TestFiles.temporaryDirectory("c2v-render-svg-refs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let png = try SVGFixtures.redPNG()
        try Data(png).write(to: URL(fileURLWithPath: "\(folder)/red.png"))
        let refs = SVGFixtures.externalReferences(name: "red.png", absolutePath: "\(folder)/red.png", css: "red.css")
        let s = try scene("refs.svg", ["refs.svg": Array(refs.utf8), "red.png": png, "red.css": Array(SVGFixtures.redStyleSheet.utf8)])
        let frame = try Frame(try FrameRenderer(scene: s, theme: theme, width: 320, height: 180), at: 2)
        let c = cell(width: 320)
        // The square cell shows the document's blue quarter and nothing red.
        let (x0, y0, x1, y1) = (Int(c.x), Int(c.y), Int(c.x + c.w), Int(c.y + c.h))
        let blue = frame.contains(RGBColor(red: 0, green: 0, blue: 255), x0: x0, y0: y0, x1: x1, y1: y1, tolerance: 10)
        let red = frame.contains(RGBColor(red: 255, green: 0, blue: 0), x0: x0, y0: y0, x1: x1, y1: y1, tolerance: 100)
        #expect(blue, "the document itself is drawn")
        #expect(!red, "a referenced file was read")
    }

    @Test func anSVGThatCannotBeDrawnFailsTheFrame() throws {
        var s = try scene("box.svg", ["box.svg": Array(SVGFixtures.redRectangle.utf8)])
        // As a scene from an older cache entry could hold: bytes that are no SVG.
        s.objects[0].imageData = Array("<svg".utf8)
        let renderer = try FrameRenderer(scene: s, theme: theme, width: 320, height: 180)
        do {
            _ = try Frame(renderer, at: 2)
            Issue.record("the frame was drawn")
        } catch let error as C2VError {
            #expect(error.message.hasPrefix("image `box.svg` cannot be drawn: "), "\(error.message)")
        }
    }
}
