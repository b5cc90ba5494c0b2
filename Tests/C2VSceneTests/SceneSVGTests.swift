import C2VLesson
import C2VTestSupport
import C2VUtil
import Foundation
import Testing
@testable import C2VScene

/// `image` objects whose `src` is an SVG.
@Suite struct SceneSVGTests {
    /// A fresh lesson folder holding `files` (name -> text), removed after `body`.
    func withLessonFolder(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let folder = try TestFiles.temporaryDirectory("c2v-scene-svg")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/\(name)")) }
        try body(folder)
    }

    func parse(_ src: String, directory: String) throws -> Scene {
        let text = "objects:\n  - {id: p, kind: image, at: B2, src: \"\(src)\"}\n"
        return try SceneParser.parse(YAMLReader.read(text, file: "t.yaml"), title: "T", lectureLines: ["One line"],
                                     durationHint: nil, context: SceneContext(directory: directory))
    }

    /// The one error reading `src` gives, or nil (recorded as an issue) when it is accepted.
    func error(_ src: String, directory: String) -> C2VError? {
        do {
            _ = try parse(src, directory: directory)
            Issue.record("expected `\(src)` to be rejected")
            return nil
        } catch let error as C2VErrors {
            #expect(error.errors.count == 1)
            return error.errors.first
        } catch {
            return error as? C2VError
        }
    }

    @Test func anSVGIsCarriedInTheSceneAsItsBytes() throws {
        try withLessonFolder(["diagram.svg": SVGFixtures.redRectangle]) { folder in
            let object = try #require(try parse("diagram.svg", directory: folder).objects.first)
            #expect(object.imagePath == "diagram.svg")
            #expect(object.imageData == Array(SVGFixtures.redRectangle.utf8))
        }
    }

    @Test func anSVGIsKnownByItsContentWhateverItsName() throws {
        try withLessonFolder(["diagram.xml": SVGFixtures.redRectangle, "text.svg": "just words"]) { folder in
            let sniffed = try parse("diagram.xml", directory: folder)
            #expect(sniffed.objects.first?.imageData == Array(SVGFixtures.redRectangle.utf8))
            // A `.svg` name is enough to be read as one, and then librsvg says what is wrong.
            let named = error("text.svg", directory: folder)
            #expect(named?.message.hasPrefix("image `text.svg` is not a valid SVG: ") == true, "\(String(describing: named))")
        }
    }

    @Test func anSVGLibrsvgCannotReadIsAnErrorAtItsSrc() throws {
        let broken = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect></svg>"
        let sizeless = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"5\" height=\"5\"/></svg>"
        try withLessonFolder(["broken.svg": broken, "sizeless.svg": sizeless]) { folder in
            let e = error("broken.svg", directory: folder)
            #expect(position(e) == [2, 40])
            #expect(e?.message.hasPrefix("image `broken.svg` is not a valid SVG: ") == true, "\(String(describing: e))")
            let s = error("sizeless.svg", directory: folder)
            #expect(position(s) == [2, 40])
            #expect(s?.message == "image `sizeless.svg` is not a valid SVG: it has no size; give its <svg> element a width and height, or a viewBox")
        }
    }

    @Test func anSVGThatDeclaresTooManyPixelsIsRefused() throws {
        let files = [
            "wide.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10000\" height=\"10\"/>",
            "huge.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 5000 5000\"/>",
            "fine.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8192\" height=\"2048\"/>",
        ]
        try withLessonFolder(files) { folder in
            let wide = error("wide.svg", directory: folder)
            #expect(position(wide) == [2, 40])
            #expect(wide?.message == "image `wide.svg` is 10000x10 pixels; at most 8192 on a side and 16777216 in all")
            #expect(error("huge.svg", directory: folder)?.message == "image `huge.svg` is 5000x5000 pixels; at most 8192 on a side and 16777216 in all")
            let fine = try parse("fine.svg", directory: folder)
            #expect(fine.objects.count == 1)
        }
    }

    @Test func anSVGThatRefersToOtherFilesParsesWithoutThem() throws {
        try withLessonFolder(["secret.css": SVGFixtures.redStyleSheet]) { folder in
            let text = SVGFixtures.externalReferences(name: "missing.png", absolutePath: "/etc/passwd", css: "secret.css")
            try Data(text.utf8).write(to: URL(fileURLWithPath: "\(folder)/refs.svg"))
            // Only the SVG's own bytes travel in the scene: nothing it names is read.
            let scene = try parse("refs.svg", directory: folder)
            #expect(scene.objects.first?.imageData == Array(text.utf8))
        }
    }
}
