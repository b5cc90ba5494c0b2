import Foundation
import Testing
import C2VLesson
import C2VUtil
import C2VTestSupport
@testable import C2VScene

/// The scene language's newer words, each held to what docs/scene-language.md promises: `on` a
/// host and the `plane`, live values in text, `z`, and places on other objects and `next_to`.
/// Scenes are parsed from YAML as an author writes them, evaluated with `frame(at:)`, and
/// checked with `LayoutCheck`; the camera is in VocabularyCameraTests.
@Suite struct VocabularyTests: SceneProbe {
    // MARK: plane

    @Test("A unit circle on a plane is round whatever the shape of the plane's area",
          arguments: ["A1:F6", "A1:B6", "A1:F2", "C2:D5"])
    func unitCircleOnAPlaneIsRound(area: String) throws {
        let e = try evaluator("""
            objects:
              - {id: p, kind: plane, at: "\(area)", x: [-2, 2], y: [-2, 2]}
              - {id: c, kind: circle, on: p, at: [0, 0], radius: 1, entrance: none}
            """)
        let frame = try hostFrame(e, "p")
        let b = try #require(box(e.frame(at: 1), "c"))
        #expect(abs(b.width - b.height) <= 1, "\(area): \(b.width) x \(b.height)")
        // One host unit across, in scene units, on both axes: the diameter is two of them.
        #expect(close(b.width, 2 * frame.scale.x, 1), "\(area): width \(b.width), unit \(frame.scale.x)")
        #expect(close(b.height, 2 * frame.scale.y, 1))
        // Centred on the plane's origin.
        #expect(near(b.center, frame.map(0, 0), 1))
    }

    @Test func planeShowsAtLeastItsRangesAndExtendsTheLongerSide() throws {
        let e = try evaluator("""
            objects:
              - {id: wide, kind: plane, at: "A1:F6", x: [-2, 2], y: [-2, 2]}
              - {id: tall, kind: plane, at: "A1:B6", x: [-2, 2], y: [-2, 2]}
              - {id: shifted, kind: plane, at: "A1:F6", x: [0, 4], y: [1, 3]}
            """)
        let wide = try hostFrame(e, "wide")
        // The area inside the plane's 24-unit inset is 1052 x 812: the height limits the unit.
        #expect(close(wide.scale.x, 812.0 / 4, 1e-6) && close(wide.scale.y, 812.0 / 4, 1e-6))
        #expect(wide.isEqualAspect)
        #expect(close(wide.y0, -2) && close(wide.y1, 2))
        #expect(wide.x0 < -2.5 && wide.x1 > 2.5, "the wider side shows more: \(wide.x0)...\(wide.x1)")
        #expect(close(wide.x1 - wide.x0, 1052.0 / (812.0 / 4)))
        #expect(close(wide.x0 + wide.x1, 0), "still centred on the range it was given")

        let tall = try hostFrame(e, "tall")
        #expect(tall.isEqualAspect)
        #expect(close(tall.x0, -2) && close(tall.x1, 2))
        #expect(tall.y0 < -4 && tall.y1 > 4, "the taller side shows more: \(tall.y0)...\(tall.y1)")
        #expect(close(tall.y0 + tall.y1, 0))

        let shifted = try hostFrame(e, "shifted")
        #expect(shifted.x0 <= 0 && shifted.x1 >= 4 && shifted.y0 <= 1 && shifted.y1 >= 3)
        #expect(close((shifted.x0 + shifted.x1) / 2, 2) && close((shifted.y0 + shifted.y1) / 2, 2))
    }

    @Test func complexPlaneLabelsTheImaginaryAxisWithI() throws {
        let e = try evaluator("""
            objects:
              - {id: z, kind: plane, at: "A1:F6", x: [-3, 3], y: [-3, 3], complex: true, entrance: none}
              - {id: r, kind: plane, at: "A1:F6", x: [-3, 3], y: [-3, 3], entrance: none}
            """)
        let frame = e.frame(at: 1)
        let complex = Set(texts(frame, "z").map(\.text))
        // The ends of the y axis are left unlabelled where they touch the edge; the rest read i.
        #expect(complex.isSuperset(of: ["i", "\u{2212}i", "2i", "\u{2212}2i"]), "\(complex.sorted())")
        #expect(!complex.contains("1i") && !complex.contains("-i") && !complex.contains("-1i"), "\(complex.sorted())")
        let real = Set(texts(frame, "r").map(\.text))
        #expect(!real.contains { $0.hasSuffix("i") }, "a plain plane has real labels: \(real.sorted())")
        // The x axis reads the same either way.
        #expect(complex.isSuperset(of: ["1", "2"]) && real.isSuperset(of: ["1", "2"]))
    }

    @Test func onMustNameAHost() {
        expectError("""
            objects:
              - {id: r, kind: rectangle, at: B2}
              - {id: c, kind: circle, on: r, at: [0, 0], radius: 1}
            """, 3, 31, "`on` must name axes or a plane; `r` is a rectangle")
    }

    @Test func onAnUnknownObjectSuggestsTheNearest() {
        expectError("""
            objects:
              - {id: plane1, kind: plane, at: "A1:F6"}
              - {id: c, kind: circle, on: plane2, at: [0, 0], radius: 1}
            """, 3, 31, "`on` names `plane2`, which is not an object; did you mean `plane1`?")
    }

    @Test func aHostIsNotDrawnOnAnotherHost() {
        expectError("""
            objects:
              - {id: p, kind: plane, at: "A1:C3"}
              - {id: q, kind: plane, at: "D1:F3", on: p}
            """, 3, 43, "plane `q` is a host itself: give it an area with `at`, not `on`")
        expectError("""
            objects:
              - {id: p, kind: plane, at: "A1:C3"}
              - {id: ax, kind: axes, at: "D1:F3", on: p}
            """, 3, 43, "axes `ax` is a host itself: give it an area with `at`, not `on`")
    }

    // MARK: circles on stretched axes

    @Test func circleOnStretchedAxesIsTheEllipseOfTheirUnits() throws {
        // Inside the 24-unit inset A1:F6 is 1052 x 812: 526 units per x unit, 406 per y unit.
        let e = try evaluator("""
            objects:
              - {id: ax, kind: axes, at: "A1:F6", x: [-1, 1], y: [-1, 1]}
              - {id: c, kind: circle, on: ax, at: [0, 0], radius: 0.5, entrance: none}
            """)
        let frame = try hostFrame(e, "ax")
        #expect(close(frame.scale.x, 526) && close(frame.scale.y, 406))
        let b = try #require(box(e.frame(at: 1), "c"))
        #expect(close(b.width, 526, 1), "rx is half an x unit: \(b.width / 2)")
        #expect(close(b.height, 406, 1), "ry is half a y unit: \(b.height / 2)")
        #expect(near(b.center, frame.map(0, 0), 1))
    }

    @Test func criticWarnsOfACircleDrawnAsAnEllipse() throws {
        let stretched = try findings("""
            objects:
              - {id: ax, kind: axes, at: "A1:F6", x: [-1, 1], y: [-1, 1]}
              - {id: c, kind: circle, on: ax, at: [0, 0], radius: 0.5}
            """)
        let ellipse = stretched.filter { $0.message.contains("ellipse") }
        try #require(ellipse.count == 1, "\(stretched.map(\.description))")
        #expect(ellipse[0].severity == .warning)
        #expect(ellipse[0].object == "c")
        #expect(ellipse[0].message == "is drawn as an ellipse: a unit of `ax` is 526 scene units across but 406 up")
        #expect(ellipse[0].fix == "draw it on a `plane`, which keeps both units equal, or give `ax` ranges in the proportion of its area")

        // The same circle on a plane, or on axes whose ranges match their area, is round.
        for host in ["{id: ax, kind: plane, at: \"A1:F6\", x: [-1, 1], y: [-1, 1]}",
                     "{id: ax, kind: axes, at: \"A1:F6\", x: [-1.2955665, 1.2955665], y: [-1, 1]}"] {
            let round = try findings("objects:\n  - \(host)\n  - {id: c, kind: circle, on: ax, at: [0, 0], radius: 0.5}\n")
            #expect(!round.contains { $0.message.contains("ellipse") }, "\(host): \(round.map(\.description))")
        }
    }

    // MARK: live values in text

    @Test func liveTextFollowsAnAnimatedParam() throws {
        let text = """
            params: {theta: 0}
            objects:
              - {id: readout, kind: text, at: C3, text: "θ = {theta:.2f}", entrance: none}
            steps:
              - {do: animate, param: theta, to: 1, duration: 1, easing: linear}
            """
        let scene = try parseScene(text)
        // Before any frame is drawn the text reads the param's initial value.
        #expect(scene.objects[0].text == "θ = 0.00")
        let e = try evaluator(text)
        #expect(texts(e.frame(at: 0), "readout").map(\.text) == ["θ = 0.00"])
        #expect(texts(e.frame(at: 0.25), "readout").map(\.text) == ["θ = 0.25"])
        #expect(texts(e.frame(at: 1.5), "readout").map(\.text) == ["θ = 1.00"])
        // Expressions and the clock are live too; without a format as few digits as needed.
        let clock = try evaluator("""
            params: {n: 1}
            objects:
              - {id: a, kind: text, at: C3, text: "{2 * n} and {t}", entrance: none}
            """)
        #expect(texts(clock.frame(at: 0), "a").map(\.text) == ["2 and 0"])
        #expect(texts(clock.frame(at: 1.5), "a").map(\.text) == ["2 and 1.5"])
    }

    @Test func wholeNumberFormatRounds() throws {
        let text = """
            params: {n: 2.6}
            objects:
              - {id: count, kind: text, at: C3, text: "terms: {n:d}", entrance: none}
            steps:
              - {do: animate, param: n, to: 7.4, duration: 1}
            """
        #expect(try parseScene(text).objects[0].text == "terms: 3")
        let e = try evaluator(text)
        #expect(texts(e.frame(at: 0), "count").map(\.text) == ["terms: 3"])
        #expect(texts(e.frame(at: 2), "count").map(\.text) == ["terms: 7"])
    }

    @Test func aFamilyVariableIsWrittenInWhenTheSceneIsRead() throws {
        let scene = try parseScene("""
            objects:
              - {id: tag, kind: text, repeat: 3, at: ["900 + 200 * i", 500], text: "a{i} = {i * 1.5:.1f}"}
            """)
        #expect(scene.objects.map(\.text) == ["a0 = 0.0", "a1 = 1.5", "a2 = 3.0"])
        #expect(scene.objects.allSatisfy { $0.liveText == nil }, "fixed values are not re-evaluated per frame")
    }

    @Test func emptyBracesAreAnErrorAtTheBrace() {
        expectError("""
            objects:
              - id: t
                kind: text
                at: C3
                text: "a {} b"
            """, 5, 14, "`{}` in text names nothing; put a param or an expression inside, like {theta:.2f}, or write `{{}}` for braces")
    }

    @Test func unknownNameInBracesIsAnErrorAtTheName() {
        // After a non-ASCII letter: columns count characters.
        expectError("""
            params: {theta: 0}
            objects:
              - id: t
                kind: text
                at: C3
                text: "θ = {thetta:.2f}"
            """, 6, 17, "in `{thetta}`: unknown name `thetta`; did you mean `theta`?")
        guard let far = singleSceneError("""
            params: {theta: 0}
            objects:
              - id: t
                kind: text
                at: C3
                text: "x is {1 + nope}"
            """) else { return }
        #expect(position(far) == [6, 22])
        #expect(far.message.hasPrefix("in `{1 + nope}`: unknown name `nope`; known names: "), "\(far.message)")
        #expect(far.message.contains("theta"), "\(far.message)")
    }

    @Test func unclosedBraceIsAnErrorAtTheBrace() {
        expectError("""
            params: {n: 1}
            objects:
              - id: t
                kind: text
                at: C3
                text: "n = {n"
            """, 6, 16, "a `{` that is never closed in text; `{name}` shows a value, `{{` writes a brace")
    }

    @Test func loneClosingBraceIsAnErrorAtTheBrace() {
        expectError("""
            objects:
              - id: t
                kind: text
                at: C3
                text: "set } here"
            """, 5, 16, "a `}` with no `{` in text; write `}}` for a brace")
    }

    @Test func formatWithTooManyDecimalsIsAnErrorAtTheFormat() {
        expectError("""
            params: {x0: 1}
            objects:
              - id: t
                kind: text
                at: C3
                text: "x = {x0:.9f}"
            """, 6, 20, "unknown format `.9f` for a value in text; expected `.0f` to `.6f` (decimals) or `d` (a whole number)")
    }

    @Test func doubledBracesAreLiteralBraces() throws {
        let scene = try parseScene("""
            params: {n: 2}
            objects:
              - {id: set, kind: text, at: C3, text: "{{a, b}}"}
              - {id: live, kind: text, at: C4, text: "{{{n:d}}} has {{n}}"}
            """)
        #expect(scene.objects[0].text == "{a, b}")
        #expect(scene.objects[0].liveText == nil)
        #expect(scene.objects[1].text == "{2} has {n}")
        let e = try SceneEvaluator(scene: scene, theme: .default, measurer: measurer)
        #expect(texts(e.frame(at: 1), "live").map(\.text) == ["{2} has {n}"])
    }

    @Test("A live value after a lone `$` (a price, not a formula) still shows its value")
    func liveValueAfterALoneDollar() throws {
        // docs/scene-language.md: "a single `$` stays one", and braces are TeX's only inside `$...$`.
        let before = try evaluator("""
            params: {n: 3}
            objects:
              - {id: t, kind: text, at: C3, text: "{n:d} apples cost $5", entrance: none}
            """)
        #expect(texts(before.frame(at: 0), "t").map(\.text) == ["3 apples cost $5"])
        let after = try evaluator("""
            params: {n: 3}
            objects:
              - {id: t, kind: text, at: C3, text: "$5 buys {n:d} apples", entrance: none}
            """)
        #expect(texts(after.frame(at: 0), "t").map(\.text) == ["$5 buys 3 apples"])
    }

    @Test("A conditional expression (cond ? a : b) in braces, as docs/scene-language.md allows anywhere a number goes")
    func conditionalInBraces() throws {
        let text = """
            params: {n: 0}
            objects:
              - {id: t, kind: text, at: C3, text: "{n > 0.5 ? 1 : 0}", entrance: none}
            """
        let e = try evaluator(text)
        #expect(texts(e.frame(at: 0), "t").map(\.text) == ["0"])
        // With a format after it, the same expression is read whole.
        let formatted = try evaluator("""
            params: {n: 0}
            objects:
              - {id: t, kind: text, at: C3, text: "{n > 0.5 ? 1 : 0:d}", entrance: none}
            """)
        #expect(texts(formatted.frame(at: 0), "t").map(\.text) == ["0"])
    }

    // MARK: the document

    @Test("The scene-language page, which the LLM Coder is taught, describes every key and place the parser accepts")
    func theDocumentDescribesPlacesOnObjects() throws {
        let doc = try String(contentsOfFile: TestFiles.repositoryRoot + "/docs/scene-language.md", encoding: .utf8)
        for row in ["| `on` |", "| `z` |", "| `pinned` |", "| `plane` |", "| `zoom` |", "| `pan` |"] {
            #expect(doc.contains(row), "\(row) is described")
        }
        #expect(doc.contains("### Live values in text"))
        let describesNextTo = doc.contains("| `next_to` |"), describesObjectPlaces = doc.contains("box.top")
        #expect(describesNextTo, "`next_to` is a common key")
        #expect(describesObjectPlaces, "a point of another object's box is a place")
    }

    // MARK: z

    @Test func textIsDrawnAboveAShapeWrittenAfterIt() throws {
        let e = try evaluator("""
            objects:
              - {id: label, kind: text, text: Hi, at: C3}
              - {id: slab, kind: rectangle, at: C3, fill: 1}
            """)
        #expect(e.frame(at: 1).map(\.id) == ["slab", "label"])
    }

    @Test func negativeZDrawsATextFirst() throws {
        let e = try evaluator("""
            objects:
              - {id: slab, kind: rectangle, at: C3, fill: 1}
              - {id: label, kind: text, text: Hi, at: C3, z: -1}
              - {id: ring, kind: circle, at: C3}
            """)
        #expect(e.frame(at: 1).map(\.id) == ["label", "slab", "ring"])
    }

    @Test func equalZKeepsTheOrderWritten() throws {
        let e = try evaluator("""
            objects:
              - {id: b, kind: rectangle, at: C3}
              - {id: a, kind: rectangle, at: C3}
              - {id: top, kind: circle, at: C3, z: 2}
              - {id: t2, kind: text, text: two, at: C4}
              - {id: t1, kind: text, text: one, at: C5}
              - {id: c, kind: circle, at: C4, z: 1}
            """)
        // z 0 as written, then z 1 (texts by default, and `c`) as written, then z 2.
        #expect(e.frame(at: 1).map(\.id) == ["b", "a", "t2", "t1", "c", "top"])
    }

    // MARK: places on other objects

    @Test func placeOnAnObjectIsAPointOfItsBoxAndFollowsIt() throws {
        let e = try evaluator("""
            objects:
              - {id: box, kind: rectangle, at: C3, size: [200, 100], entrance: none}
              - {id: link, kind: line, from: box.right, to: [1700, 300], entrance: none}
              - {id: corner, kind: dot, at: box.bottom_left, radius: 10, entrance: none}
            steps:
              - {do: shift, target: box, by: [0, 200], delay: 1}
            """)
        let c = cellCenter("C3")
        let before = e.frame(at: 0.5)
        #expect(near(box(before, "box")?.center, c))
        #expect(near(points(before, "link").first, Point2(c.x + 100, c.y)))
        #expect(near(points(before, "link").last, Point2(1700, 300)))
        #expect(near(box(before, "corner")?.center, Point2(c.x - 100, c.y + 50), 1e-3))
        // Half way through the shift and after it, the places move with the box.
        #expect(near(points(e.frame(at: 1.5), "link").first, Point2(c.x + 100, c.y + 100), 1e-6))
        let after = e.frame(at: 3)
        #expect(near(box(after, "box")?.center, Point2(c.x, c.y + 200)))
        #expect(near(points(after, "link").first, Point2(c.x + 100, c.y + 200)))
        #expect(near(box(after, "corner")?.center, Point2(c.x - 100, c.y + 250), 1e-3))
    }

    @Test func nextToPutsAnObjectBesideAnotherAndFollowsIt() throws {
        let e = try evaluator("""
            objects:
              - {id: box, kind: rectangle, at: C3, size: [200, 100], entrance: none}
              - {id: below, kind: text, text: Hi, next_to: [box, bottom, 20], entrance: none}
              - {id: beside, kind: text, text: there, next_to: {object: box, side: right}, entrance: none}
            steps:
              - {do: shift, target: box, by: [0, 200], delay: 1}
            """)
        let c = cellCenter("C3")
        let label = try #require(textBox(e.frame(at: 0.5), "below"))
        #expect(close(label.y, c.y + 50 + 20), "top 20 units below the box: \(label.y)")
        #expect(close(label.midX, c.x), "centred under it: \(label.midX)")
        let side = try #require(textBox(e.frame(at: 0.5), "beside"))
        #expect(close(side.x, c.x + 100 + 24), "the default gap is 24: \(side.x)")
        #expect(close(side.midY, c.y))
        let moved = try #require(textBox(e.frame(at: 3), "below"))
        #expect(close(moved.y, c.y + 200 + 50 + 20))
        #expect(close(moved.midX, c.x))
    }

    @Test func placeOnAnUnknownObjectSuggestsTheNearest() {
        expectError("""
            objects:
              - {id: box, kind: rectangle, at: C3}
              - {id: a, kind: line, from: bx.right, to: [1700, 400]}
            """, 3, 31, "`from` names `bx`, which is not an object; did you mean `box`?")
        expectError("""
            objects:
              - {id: box, kind: rectangle, at: C3}
              - {id: t, kind: text, text: Hi, next_to: [bxo, top]}
            """, 3, 44, "`next_to` names `bxo`, which is not an object; did you mean `box`?")
    }

    @Test func objectsPlacedByEachOtherAreAnError() {
        let errors = sceneErrors("""
            objects:
              - {id: a, kind: text, text: A, next_to: [b, right]}
              - {id: b, kind: text, text: B, next_to: [a, left]}
            """)
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0.message.contains("one of them needs a place of its own") }, "\(errors.map(\.message))")
        // The key that closes the cycle is named.
        #expect(errors.contains { position($0) == [3, 43] && $0.message == "`b` is placed by `a`, which is placed by `b`: one of them needs a place of its own" },
                "\(errors.map(\.description))")
        #expect(errors.allSatisfy { $0.location?.column == 43 }, "every error points at a `next_to`")

        // Through a point of another object's box as well.
        let places = sceneErrors("""
            objects:
              - {id: a, kind: dot, at: b.top}
              - {id: b, kind: text, text: B, next_to: [a, bottom]}
            """)
        #expect(!places.isEmpty && places.allSatisfy { $0.message.contains("one of them needs a place of its own") },
                "\(places.map(\.description))")
    }

    @Test("A host placed at a point of an object drawn on it is a cycle too")
    func hostPlacedByItsOwnGuest() {
        // The plane's place needs the dot's box, which needs the plane's units: evaluating it
        // would recurse without end, so it must be refused when read. Only parsed here.
        let text = """
            objects:
              - {id: p, kind: plane, at: d.center}
              - {id: d, kind: dot, on: p, at: [1, 1]}
            """
        #expect(throws: (any Error).self) { _ = try parseScene(text) }
    }

    @Test("A host cannot be placed next_to another: its units are laid out in an area")
    func hostsAreNotPlacedNextToAnother() throws {
        let error = try #require(singleSceneError("""
            objects:
              - {id: box, kind: rectangle, at: B2, size: [100, 100], entrance: none}
              - {id: p, kind: plane, next_to: [box, right, 40], x: [-1, 1], y: [-1, 1], labels: false, entrance: none}
            """))
        #expect(error.message.hasPrefix("plane `p` cannot be placed `next_to` another"))
        #expect(position(error)?.first == 3)
    }
}

/// What the vocabulary suites share: parsing, evaluating and checking a scene written as YAML,
/// and reading boxes, points and texts out of a frame.
protocol SceneProbe {}

extension SceneProbe {
    var measurer: ApproximateTextMeasurer { ApproximateTextMeasurer() }

    func evaluator(_ text: String) throws -> SceneEvaluator {
        try SceneEvaluator(scene: parseScene(text), theme: .default, measurer: measurer)
    }

    func findings(_ text: String, outputHeight: Int = 1080) throws -> [Finding] {
        LayoutCheck.run(try parseScene(text), theme: .default, measurer: measurer, outputHeight: outputHeight)
    }

    /// Asserts that `text` fails with exactly one error at `line`:`column` saying `message`.
    func expectError(_ text: String, _ line: Int, _ column: Int, _ message: String,
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let error = singleSceneError(text, sourceLocation: sourceLocation) else { return }
        #expect(position(error) == [line, column], sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.location?.file == "scene.yaml", sourceLocation: sourceLocation)
    }

    func items(_ frame: [ObjectFrame], _ id: String) -> [DrawItem] {
        frame.first { $0.id == id }?.items ?? []
    }

    func points(_ frame: [ObjectFrame], _ id: String) -> [Point2] {
        items(frame, id).flatMap { item -> [Point2] in
            if case .path(let p) = item { return p.subpaths.flatMap { $0 } }
            return []
        }
    }

    func texts(_ frame: [ObjectFrame], _ id: String) -> [TextItem] {
        items(frame, id).compactMap { if case .text(let t) = $0 { return t } else { return nil } }
    }

    func box(_ frame: [ObjectFrame], _ id: String) -> Rect? {
        Polyline.bounds([points(frame, id)])
    }

    /// The box a text item covers, measured as the evaluator measures it.
    func textBox(_ frame: [ObjectFrame], _ id: String) -> Rect? {
        texts(frame, id).first.map { Geometry.textBox($0, measurer) }
    }

    func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a - b) <= tolerance
    }

    func near(_ a: Point2?, _ b: Point2, _ tolerance: Double = 1e-6) -> Bool {
        guard let a else { return false }
        return abs(a.x - b.x) <= tolerance && abs(a.y - b.y) <= tolerance
    }

    func cellCenter(_ cell: String) -> Point2 { SceneLayout.rect(GridArea(cell)!).center }

    /// The host frame of object `id` when the scene starts.
    func hostFrame(_ e: SceneEvaluator, _ id: String) throws -> HostFrame {
        let index = try #require(e.byID[id])
        return e.hostFrame(index, time: 0, params: e.paramValues(at: 0))
    }
}
