import Foundation
import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// Invalid scenes: each must fail with the exact place (line:column in `scene.yaml`) and the
/// exact message, so a Coder (or a person) can repair it from the error alone.
@Suite struct SceneErrorTests {
    /// Asserts that `text` fails with exactly one error at `line`:`column` saying `message`.
    func expectError(_ text: String, _ line: Int, _ column: Int, _ message: String,
                     lines: [String] = ["First line here", "Second line"],
                     sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let error = singleSceneError(text, lines: lines, sourceLocation: sourceLocation) else { return }
        #expect(position(error) == [line, column], sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.location?.file == "scene.yaml", sourceLocation: sourceLocation)
        #expect(error.code == .invalidInput, sourceLocation: sourceLocation)
    }

    // MARK: unknown names, with the nearest valid one

    @Test func unknownObjectKindFarFromAnyListsTheKinds() {
        expectError("""
            objects:
              - {id: c, kind: squre, at: B2}
            """, 2, 19,
            "unknown object kind `squre`; expected one of: " + ObjectKind.allCases.map(\.rawValue).joined(separator: ", "))
    }

    @Test func unknownObjectKindSuggestsTheNearest() {
        expectError("""
            objects:
              - {id: r, kind: rectangel, at: B2}
            """, 2, 19, "unknown object kind `rectangel`; did you mean `rectangle`?")
    }

    @Test func unknownObjectKeySuggestsTheNearest() {
        expectError("""
            objects:
              - {id: c, kind: text, text: hi, at: B2, szie: 30}
            """, 2, 43, "unknown key `szie` in text object `c`; did you mean `size`?")
    }

    @Test func keyOfAnotherKindSaysWhichKindsTakeIt() {
        expectError("""
            objects:
              - {id: r, kind: rectangle, at: B2, radius: 40}
            """, 2, 38,
            "`radius` does not apply to a rectangle (it is for angle, arc, circle, dot, ellipse, regular_polygon); rectangle takes: size, corner")
    }

    @Test func unknownAnimationKind() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: fadein, target: c}
            """, 4, 10, "unknown animation `fadein`; did you mean `fade_in`?")
    }

    @Test func unknownStepKeySuggestsTheNearest() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: move, target: c, to: C3, durration: 2}
            """, 4, 35, "unknown key `durration` in a step; did you mean `duration`?")
    }

    @Test func stepKeyOfAnotherAnimationListsWhatItTakes() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: move, target: c, factor: 2, to: C3}
            """, 4, 27, "`factor` does not apply to `move`; it takes: target, line, duration, easing, delay, lag, mark, to, arc")
    }

    @Test func unknownEasing() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: move, target: c, to: C3, easing: smoth}
            """, 4, 43, "unknown easing `smoth`; did you mean `smooth`?")
    }

    @Test func unknownEdgePointsAtTheEdgeName() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2.tpo}
            """, 2, 34, "unknown edge `tpo` in `B2.tpo`; did you mean `top`?")
    }

    @Test func unknownFont() {
        expectError("""
            objects:
              - {id: w, kind: text, text: hi, at: B2, font: seriff}
            """, 2, 49, "unknown font `seriff`; did you mean `serif`?")
    }

    @Test func unknownIndicateStyle() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: indicate, target: c, style: boxx}
            """, 4, 38, "unknown style `boxx`; did you mean `box`?")
    }

    // MARK: wrong types

    @Test func mappingWhereAListGoes() {
        expectError("""
            objects: []
            steps: {do: wait}
            """, 2, 8, "scene.steps must be a list; found a mapping")
        expectError("""
            objects:
              - id: p
                kind: polygon
                points: {a: B2}
            """, 4, 13, "`points` must be a list of at least 3 anchors or [x, y] points")
    }

    @Test func textWhereANumberGoes() {
        expectError("""
            objects:
              - {id: w, kind: text, text: hi, at: B2, size: large}
            """, 2, 49, "unknown name `large`; known names: e, pi, progress, t, tau")
    }

    @Test func mappingWhereANumberGoes() {
        expectError("""
            objects:
              - id: c
                kind: circle
                at: B2
                radius: {r: 1}
            """, 5, 13, "`radius` must be a number or expression; found a mapping")
    }

    @Test func stepThatIsNotAMapping() {
        expectError("""
            objects: []
            steps:
              - wait
            """, 3, 5, "steps[0] must be a mapping like {do: create, target: circle}; found a scalar")
    }

    // MARK: references

    @Test func targetNamesAnUndeclaredObject() {
        expectError("""
            objects:
              - {id: circle, kind: circle, at: B2}
            steps:
              - {do: create, target: circel}
            """, 4, 26, "`target` names `circel`, which is not an object, family or group; did you mean `circle`?")
    }

    @Test func stepWithoutTarget() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: move, to: C3}
            """, 4, 5, "`move` needs `target`, the object it animates")
    }

    @Test func waitTakesNoTarget() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: wait, target: c}
            """, 4, 24, "`wait` takes no `target`")
    }

    @Test func intoNamesAnUndeclaredObject() {
        expectError("""
            objects:
              - {id: a, kind: circle, at: B2}
              - {id: b, kind: rectangle, at: C3}
            steps:
              - {do: transform, target: a, into: square}
            """, 5, 38, "`into` names `square`, which is not an object")
    }

    @Test func transformIntoItself() {
        expectError("""
            objects:
              - {id: a, kind: circle, at: B2}
            steps:
              - {do: transform, target: a, into: a}
            """, 4, 38, "`transform` into itself")
    }

    @Test func pathNamesAnUndeclaredObject() {
        expectError("""
            objects:
              - {id: orbit, kind: circle, at: C3}
              - {id: d, kind: dot, at: B2}
            steps:
              - {do: follow, target: d, path: orbitt}
            """, 5, 35, "`path` must name a shape to move along; did you mean `orbit`?")
    }

    @Test func onNamesAnUndeclaredObject() {
        expectError("""
            objects:
              - {id: ax, kind: axes, at: A1:C3}
              - {id: g, kind: graph, y: "sin(x)", on: axs}
            """, 3, 43, "`on` names `axs`, which is not an object; did you mean `ax`?")
    }

    @Test func onMustNameAxes() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: A1:C3}
              - {id: d, kind: dot, at: [0, 0], on: c}
            """, 3, 40, "`on` must name axes or a plane; `c` is a circle")
    }

    @Test func groupMemberThatIsNotAnObject() {
        expectError("""
            objects:
              - {id: a, kind: dot, at: B2}
              - {id: grp, kind: group, members: [a, qqqq]}
            """, 3, 37, "group `grp` lists `qqqq`, which is not an object")
    }

    // MARK: lifetimes

    @Test func animatedBeforeItAppears() {
        // Line 0 is 2.5 s ("First line here" at a calm pace), so line 1 starts at 2.5 s.
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, line: 1}
            steps:
              - {do: move, target: c, to: C3}
            """, 4, 10,
            "`move` of `c` at 0.00 s comes before `c` appears (2.50 s); move the step later or bring the object in earlier")
    }

    @Test func animatedAfterItIsGone() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: fade_out, target: c}
              - {do: move, target: c, to: C3}
            """, 5, 10, "`move` of `c` at 0.60 s comes after `c` is gone (0.60 s)")
    }

    @Test func animatedAfterItsUntilLine() {
        // `until: 0` fades it out so that it is gone when line 0 ends (2.5 s); line 1's step comes later.
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, until: 0}
            steps:
              - {do: indicate, target: c, line: 1}
            """, 4, 10, "`indicate` of `c` at 2.50 s comes after `c` is gone (2.50 s)")
    }

    @Test func enteringTwice() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: create, target: c}
              - {do: fade_in, target: c}
            """, 5, 10, "`fade_in` of `c` at 1.20 s: `c` has already entered")
    }

    @Test func objectWithLineThatAlsoEntersByAStep() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, line: 0}
            steps:
              - {do: create, target: c}
            """, 2, 41, "`c` enters by a step (`create` at scene.yaml:4:10); remove its `line`")
    }

    @Test func lineInsideAGroupOfSteps() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - together:
                  - {do: indicate, target: c, line: 1}
            """, 5, 35, "`line` belongs on the outer step; steps inside `together`/`sequence` share its line")
    }

    // MARK: places

    @Test func anchorsOutsideTheGrid() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2:G7}
            """, 2, 31,
            "invalid anchor `B2:G7` for `at`; expected a cell A1..F6, an area like A1:C3, an edge like B2.top, an object's point like box.top, or [x, y]")
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2}
            steps:
              - {do: move, target: c, to: F7}
            """, 4, 31,
            "invalid anchor `F7` for `to`; expected a cell A1..F6, an area like A1:C3, an edge like B2.top, an object's point like box.top, or [x, y]")
    }

    // MARK: repeat

    @Test func repeatCountBelowOne() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, repeat: 0}
            """, 2, 43, "`repeat` must be at least 1")
    }

    @Test func repeatCountNotWhole() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, repeat: 2.5}
            """, 2, 43, "`repeat` is 2.5; expected a whole number")
    }

    @Test func repeatVariableThatIsReserved() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, repeat: {var: t, from: 0, to: 3}}
            """, 2, 49, "`t` cannot be a repeat variable; use a new name like i or k")
    }

    @Test func repeatGoingBackwards() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, repeat: {from: 3, to: 1}}
            """, 2, 43, "`repeat` goes from 3 to 1; `to` must not be smaller")
    }

    @Test func repeatAsAList() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, repeat: [1, 2]}
            """, 2, 43, "`repeat` must be a count or {var: i, from: 0, to: 9}")
    }

    @Test func repeatWithAMisspelledKeyReportsBothProblemsInOrder() {
        let errors = sceneErrors("""
            objects:
              - {id: c, kind: circle, at: B2, repeat: {cnt: 3}}
            """)
        #expect(errors.map { position($0) ?? [] } == [[2, 43], [2, 44]])
        #expect(errors.map(\.message) == [
            "`repeat` needs `from` and `to` (or `count`), like {var: i, from: 0, to: 9}",
            "unknown key `cnt` in repeat; did you mean `count`?",
        ])
    }

    @Test func errorOfOnlyALaterFamilyMemberIsReported() {
        // pick(i, 10, 20) is defined for i = 0 and 1 but not for i = 2: the third member is invalid.
        let errors = sceneErrors("""
            objects:
              - {id: c, kind: circle, at: B2, repeat: 3, radius: "pick(i, 10, 20)"}
            """)
        #expect(errors.map { position($0) ?? [] } == [[2, 55]])
        #expect(errors.map(\.message) == [
            "`radius` `pick(i, 10, 20)` is undefined (division by zero, or a root or log of a negative number?)",
        ])
    }

    // MARK: expressions: the column points inside the expression

    @Test func expressionWithAnUnknownName() {
        expectError("""
            params: {r: 10}
            objects:
              - {id: c, kind: circle, at: B2, radius: "40 + rr * 2"}
            """, 3, 49, "unknown name `rr`; did you mean `r`?")
    }

    @Test func expressionWithAnUnknownFunction() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, radius: "10 * sine(t)"}
            """, 2, 49, "unknown function `sine`; did you mean `sin`?")
    }

    @Test func expressionWithTheWrongArgumentCount() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, radius: "10 + max(t)"}
            """, 2, 49, "`max` takes 2 arguments; found 1")
        expectError("""
            define:
              f(a, b): a + b
            objects:
              - {id: c, kind: circle, at: B2, radius: "f(1, 2, 3)"}
            """, 4, 44, "`f` takes 2 arguments; found 3")
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, radius: "pick(t)"}
            """, 2, 44, "`pick` takes an index and at least one value: pick(i, 3, 1, 2)")
    }

    @Test func expressionWithAMissingBracket() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, radius: "sin(t * 2"}
            """, 2, 53, "expected `)` to close the arguments of `sin`; found end of expression")
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, radius: "(t + 2 * 3"}
            """, 2, 54, "expected `)` to close `(`; found end of expression")
    }

    @Test func constantExpressionThatIsUndefined() {
        expectError("""
            objects:
              - {id: c, kind: circle, at: B2, radius: "1 / 0"}
            """, 2, 44,
            "`radius` `1 / 0` is undefined (division by zero, or a root or log of a negative number?)")
    }

    @Test func graphUndefinedOverItsDomain() {
        expectError("""
            objects:
              - id: g
                kind: graph
                at: A1:C3
                y: sqrt(x)
            """, 5, 8, "`y` is undefined at x = -3.142 (division by zero, or a root or log of a negative number?)")
        // The same graph over x >= 0 is fine.
        let scene = try? parseScene("""
            objects:
              - {id: g, kind: graph, at: A1:C3, y: sqrt(x), x: [0, 4]}
            """)
        #expect(scene?.objects.first?.domain == ["0", "4"])
    }

    // MARK: params and functions

    @Test func parametersThatCollideWithReservedNames() {
        let errors = sceneErrors("""
            params: {t: 1, sin: 2, ok: 3}
            objects: []
            """)
        #expect(errors.map { position($0) ?? [] } == [[1, 10], [1, 16]])
        #expect(errors.map(\.message) == [
            "`t` cannot be a parameter name; use a new name of letters, digits and _",
            "`sin` cannot be a parameter name; use a new name of letters, digits and _",
        ])
    }

    @Test func badFunctionHeads() {
        let errors = sceneErrors("""
            define:
              2f(x): x
              g(x, x): x
              cos(x): x
              h(x): x +
              k(x): x
              k(y): y
            objects: []
            """)
        #expect(errors.map { position($0) ?? [] } == [[2, 3], [3, 3], [4, 3], [5, 12], [7, 3]])
        #expect(errors.map(\.message) == [
            "`2f(x)` is not a function head; expected a new name and parameters, like `tipx(m)`",
            "`g(x, x)` is not a function head; expected a new name and parameters, like `tipx(m)`",
            "`cos(x)` is not a function head; expected a new name and parameters, like `tipx(m)`",
            "expected a number, a name or `(`; found end of expression",
            "`k` is defined twice",
        ])
    }

    @Test func zeroParameterFunctionCanBeCalled() throws {
        // `define: {spin(): t * 2}` is accepted as a head, so `spin()` must be callable.
        let scene = try parseScene("""
            define:
              spin(): t * 2
            objects:
              - {id: c, kind: circle, at: B2, radius: "10 + spin()"}
            """)
        #expect(scene.functions == [SceneFunction(name: "spin", parameters: [], body: "t * 2")])
    }

    @Test func animateOfAnUnknownParam() {
        expectError("""
            params: {speed: 1}
            steps:
              - {do: animate, param: sped, to: 2}
            """, 3, 26, "`sped` is not a parameter of this scene; did you mean `speed`?")
    }

    // MARK: markup

    @Test func unknownMarkupTag() {
        expectError("""
            objects:
              - id: w
                kind: text
                at: B2
                text: "<blink>hi</blink>"
            """, 5, 12, "unknown markup tag `<blink>`; expected one of: b, i, u, sub, sup, tt, span")
    }

    @Test func unclosedMarkupTag() {
        expectError("""
            objects:
              - id: w
                kind: text
                at: B2
                text: "<b>bold"
            """, 5, 12, "`<b>` is never closed")
    }

    @Test func closingTagOutOfOrder() {
        expectError("""
            objects:
              - id: w
                kind: text
                at: B2
                text: "<b><i>x</b></i>"
            """, 5, 19, "`</b>` does not close the last open tag `<i>`")
    }

    @Test func bareAmpersandInMarkup() {
        expectError("""
            objects:
              - id: w
                kind: text
                at: B2
                text: "<b>salt</b> & pepper"
            """, 5, 12, "a bare `&` in markup text; write &amp;")
    }

    // MARK: shapes

    @Test func polygonWithTwoPoints() {
        expectError("""
            objects:
              - {id: p, kind: polygon, points: [B2, C3]}
            """, 2, 36, "`points` must be a list of at least 3 anchors or [x, y] points")
    }

    @Test func regularPolygonWithTwoSides() {
        expectError("""
            objects:
              - {id: h, kind: regular_polygon, at: B2, sides: 2}
            """, 2, 51, "`sides` is 2; expected a number from 3 to 64")
    }

    // MARK: several errors in one run

    @Test func errorsFromEveryPassAreSortedByPosition() {
        // Found in this order: the easing (reading steps), then the `line` of `c` (when times are
        // known), then the lifetime of `d`; reported in file order.
        let errors = sceneErrors("""
            objects:
              - {id: c, kind: circle, at: B2, line: 0}
              - {id: d, kind: dot, at: C3, line: 1}
            steps:
              - {do: create, target: c, easing: bouncy}
              - {do: indicate, target: d}
            """)
        #expect(errors.map { position($0) ?? [] } == [[2, 41], [5, 37], [6, 10]])
        #expect(errors.map(\.message) == [
            "`c` enters by a step (`create` at scene.yaml:5:10); remove its `line`",
            "unknown easing `bouncy`; expected one of: linear, smooth, ease_in, ease_out, ease_in_out, there_and_back",
            "`indicate` of `d` at 1.20 s comes before `d` appears (2.60 s); move the step later or bring the object in earlier",
        ])
    }
}

// MARK: images

/// A valid 1x1 RGBA PNG.
let tinyPNG: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41,
    0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
]

@Suite struct SceneImageTests {
    /// A fresh lesson folder holding `pic.png` (a real PNG) and `notes.txt`, removed after `body`.
    func withLessonFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("c2v-scene-images-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(tinyPNG).write(to: folder.appendingPathComponent("pic.png"))
        try Data("not a picture".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try body(folder.path)
    }

    func parse(_ src: String, directory: String?) throws -> Scene {
        let text = "objects:\n  - {id: p, kind: image, at: B2, src: \"\(src)\"}\n"
        return try SceneParser.parse(YAMLReader.read(text, file: "t.yaml"), title: "T", lectureLines: ["One line"],
                                     durationHint: nil, context: SceneContext(directory: directory))
    }

    func error(_ src: String, directory: String?) -> C2VError? {
        do {
            _ = try parse(src, directory: directory)
            Issue.record("expected `\(src)` to be rejected")
            return nil
        } catch {
            return error as? C2VError
        }
    }

    @Test func pngInTheLessonFolderIsCarriedInTheScene() throws {
        try withLessonFolder { folder in
            let scene = try parse("pic.png", directory: folder)
            #expect(scene.objects.first?.imagePath == "pic.png")
            #expect(scene.objects.first?.imageData == tinyPNG)
        }
    }

    @Test func pathsThatEscapeTheFolder() throws {
        try withLessonFolder { folder in
            // The column is that of the path, just after the opening quote.
            let up = error("../x.png", directory: folder)
            #expect(position(up) == [2, 40])
            #expect(up?.message == "image path `../x.png` must stay inside the lesson folder (no absolute paths or `..`)")
            let hidden = error("a/../../x.png", directory: folder)
            #expect(hidden?.message == "image path `a/../../x.png` must stay inside the lesson folder (no absolute paths or `..`)")
            let absolute = error("\(folder)/pic.png", directory: folder)
            #expect(position(absolute) == [2, 40])
            #expect(absolute?.message == "image path `\(folder)/pic.png` must stay inside the lesson folder (no absolute paths or `..`)")
        }
    }

    @Test func missingFileNonPNGAndNoFolder() throws {
        try withLessonFolder { folder in
            #expect(error("nope.png", directory: folder)?.message == "cannot read image `nope.png` (looked in the lesson folder)")
            #expect(error("notes.txt", directory: folder)?.message == "image `notes.txt` is not a PNG or SVG file")
        }
        #expect(error("pic.png", directory: nil)?.message == "images need a lesson folder; this scene has none")
    }
}
