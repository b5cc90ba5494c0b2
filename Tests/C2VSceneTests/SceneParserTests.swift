import Testing
import C2VLesson
import C2VUtil
@testable import C2VScene

/// Parses `text` as a scene block (the whole file is the `scene:` mapping).
func parseScene(_ text: String, lines: [String] = ["First line here", "Second line"],
                durationHint: Double? = nil) throws -> Scene {
    let value = try YAMLReader.read(text, file: "scene.yaml")
    return try SceneParser.parse(value, title: "Title", lectureLines: lines, durationHint: durationHint)
}

/// Every error parsing `text` throws, flattened.
func sceneErrors(_ text: String, lines: [String] = ["First line here", "Second line"],
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [C2VError] {
    do {
        _ = try parseScene(text, lines: lines)
        Issue.record("expected an error, but the scene parsed", sourceLocation: sourceLocation)
        return []
    } catch let error as C2VError {
        return [error]
    } catch let errors as C2VErrors {
        return errors.errors
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        return []
    }
}

func singleSceneError(_ text: String, lines: [String] = ["First line here", "Second line"],
                      sourceLocation: Testing.SourceLocation = #_sourceLocation) -> C2VError? {
    let errors = sceneErrors(text, lines: lines, sourceLocation: sourceLocation)
    guard errors.count == 1 else {
        Issue.record("expected one error, got \(errors.count):\n\(errors.map(\.description).joined(separator: "\n"))",
                     sourceLocation: sourceLocation)
        return nil
    }
    return errors[0]
}

func position(_ error: C2VError?) -> [Int]? {
    guard let location = error?.location else { return nil }
    return [location.line, location.column]
}

@Suite struct SceneParserTests {
    @Test func validScene() throws {
        let scene = try parseScene("""
            duration: 6
            objects:
              - id: label
                kind: text
                text: Hello
                at: A1:C1
                line: 0
                until: 1
                entrance: write
                color: text
              - id: ring
                kind: circle
                at: B2:C3
                line: 1
                color: "#FF0000"
              - id: pointer
                kind: arrow
                from: C3
                to: A1
                color: 2
              - id: wave
                kind: wave
                at: A4:F6
                harmonics: [[1, 1], [3, 0.333], [5, 0.2, 1.5]]
                periods: 2
            """)
        #expect(scene.title == "Title")
        #expect(abs(scene.duration - 6) < 1e-9)
        // 2.5 s natural each ("First line here" has 3 words), stretched to the scene's 6 s.
        #expect(scene.lines.map(\.text) == ["First line here", "Second line"])
        try #require(scene.lines.count == 2)
        #expect(scene.lines[0].start == 0)
        #expect(abs(scene.lines[0].end - 3) < 1e-9)
        #expect(scene.lines[1].start == scene.lines[0].end)
        #expect(abs(scene.lines[1].end - 6) < 1e-9)
        try #require(scene.objects.count == 4)

        let label = scene.objects[0]
        #expect(label.id == "label")
        #expect(label.kind == .text && label.text == "Hello")
        #expect(label.at == .grid(GridArea(column0: 0, row0: 0, column1: 2, row1: 0)))
        #expect(label.color == .text)
        #expect(label.entrance == .write)
        #expect(label.appear == 0)
        // `until: 1`: starts fading so that it is gone when line 1 ends.
        #expect(abs((label.disappear ?? -1) - (6 - SceneObject.exitSeconds)) < 1e-9)

        let ring = scene.objects[1]
        #expect(ring.id == "ring")
        #expect(ring.kind == .circle)
        #expect(ring.at == .grid(GridArea(column0: 1, row0: 1, column1: 2, row1: 2)))
        #expect(ring.color == .rgb(RGBColor(red: 255, green: 0, blue: 0)))
        #expect(ring.appear == scene.lines[1].start)
        #expect(ring.disappear == nil)
        #expect(ring.entrance == .fade)

        let pointer = scene.objects[2]
        #expect(pointer.kind == .arrow && pointer.from == .grid(GridArea("C3")!) && pointer.to == .grid(GridArea("A1")!))
        #expect(pointer.at == nil)
        #expect(pointer.color == .accent(2))
        #expect(pointer.appear == 0)
        #expect(pointer.disappear == nil)

        let wave = scene.objects[3]
        #expect(wave.kind == .wave && wave.periods == 2)
        #expect(wave.harmonics == [Harmonic(k: 1, amplitude: 1), Harmonic(k: 3, amplitude: 0.333), Harmonic(k: 5, amplitude: 0.2, phase: 1.5)])
        #expect(wave.at == .grid(GridArea(column0: 0, row0: 3, column1: 5, row1: 5)))
        #expect(wave.color == .accent(3))  // default: object index mod 4
    }

    @Test func defaultsForIdsWaveAndTimingWithoutLines() throws {
        let scene = try parseScene("""
            objects:
              - {kind: wave, at: A1:F6}
              - {kind: dot, at: C3, line: 0}
            """, lines: [], durationHint: 5)
        #expect(scene.lines.isEmpty)
        #expect(scene.duration == 5)
        #expect(scene.objects.map(\.id) == ["object1", "object2"])
        #expect(scene.objects[0].kind == .wave && scene.objects[0].harmonics == [Harmonic(k: 1, amplitude: 1)])
        #expect(scene.objects[0].color == .accent(0))
        #expect(scene.objects[1].color == .accent(1))
        #expect(scene.objects[1].appear == 0)
    }

    @Test func durationHintScalesLinesWhenSceneGivesNone() throws {
        let scene = try parseScene("objects: []\n", durationHint: 2)
        #expect(abs(scene.duration - 2) < 1e-9)
        #expect(abs((scene.lines.last?.end ?? 0) - 2) < 1e-9)
    }

    @Test func unknownKindSuggestsCircle() throws {
        let error = try #require(singleSceneError("""
            objects:
              - id: c
                kind: circel
                at: B2
            """))
        #expect(position(error) == [3, 11])
        #expect(error.location?.file == "scene.yaml")
        #expect(error.message == "unknown object kind `circel`; did you mean `circle`?")
    }

    @Test func anchorOutsideTheGrid() throws {
        let errors = sceneErrors("""
            objects:
              - id: c
                kind: circle
                at: G9
            """)
        let error = try #require(errors.first)
        #expect(position(error) == [4, 9])
        #expect(error.message == "invalid anchor `G9` for `at`; expected a cell A1..F6, an area like A1:C3, an edge like B2.top, an object's point like box.top, or [x, y]")
        #expect(errors.count == 1)
    }

    @Test func badArrowEnd() throws {
        let error = try #require(singleSceneError("""
            objects:
              - {id: a, kind: arrow, from: A1, to: A9}
            """))
        #expect(position(error) == [2, 40])
        #expect(error.message == "invalid anchor `A9` for `to`; expected a cell A1..F6, an area like A1:C3, an edge like B2.top, an object's point like box.top, or [x, y]")
    }

    @Test func arrowWithoutTo() throws {
        let error = try #require(singleSceneError("""
            objects:
              - {id: a, kind: arrow, from: A1}
            """))
        #expect(position(error) == [2, 5])
        #expect(error.message == "arrow `a` needs `to`, an anchor like D4 or a point [x, y]")
    }

    @Test func unknownObjectKeySuggestsColor() throws {
        let error = try #require(singleSceneError("""
            objects:
              - id: c
                kind: circle
                at: B2
                colour: 1
            """))
        #expect(position(error) == [5, 5])
        #expect(error.message == "unknown key `colour` in circle object `c`; did you mean `color`?")
    }

    @Test func unknownSceneKey() throws {
        let error = try #require(singleSceneError("""
            duraton: 3
            objects: []
            """))
        #expect(position(error) == [1, 1])
        #expect(error.message == "unknown key `duraton` in scene; did you mean `duration`?")
    }

    @Test func lineIndexOutOfRange() throws {
        let error = try #require(singleSceneError("""
            objects:
              - id: c
                kind: circle
                at: B2
                line: 2
            """))
        #expect(position(error) == [5, 11])
        #expect(error.message == "`line` must be a lecture line index from 0 to 1")
    }

    @Test func lineIndexMustBeANumber() throws {
        let error = try #require(singleSceneError("""
            objects:
              - {id: c, kind: circle, at: B2, line: first}
            """))
        #expect(position(error) == [2, 41])
        #expect(error.message == "`line` must be a lecture line index from 0 to 1")
    }

    @Test func untilBeforeLine() throws {
        let error = try #require(singleSceneError("""
            objects:
              - id: c
                kind: circle
                at: B2
                line: 1
                until: 0
            """))
        #expect(position(error) == [6, 12])
        #expect(error.message == "`until` (0) is before `line` (1)")
    }

    @Test func missingAt() throws {
        let error = try #require(singleSceneError("""
            objects:
              - id: ring
                kind: circle
            """))
        #expect(position(error) == [2, 5])
        #expect(error.message == "circle `ring` needs `at`, an anchor like B2 or A1:C3 (or a point [x, y])")
    }

    @Test func missingKindAndMissingText() throws {
        let noKind = try #require(singleSceneError("""
            objects:
              - id: ring
                at: B2
            """))
        #expect(position(noKind) == [2, 5])
        #expect(noKind.message == "scene object `ring` has no `kind`; expected one of: " + ObjectKind.allCases.map(\.rawValue).joined(separator: ", "))

        let noText = try #require(singleSceneError("""
            objects:
              - id: words
                kind: text
                at: B2
            """))
        #expect(position(noText) == [2, 5])
        #expect(noText.message == "text `words` needs `text`, the words to show")
    }

    @Test func badValues() throws {
        let colour = try #require(singleSceneError("objects:\n  - {kind: dot, at: B2, color: purple}\n"))
        #expect(position(colour) == [2, 32])
        #expect(colour.message == "invalid colour `purple`; expected an accent index 0-15, `text`, `background`, or \"#RRGGBB\"")

        let entrance = try #require(singleSceneError("objects:\n  - {kind: dot, at: B2, entrance: fdae}\n"))
        #expect(position(entrance) == [2, 35])
        #expect(entrance.message == "unknown entrance `fdae`; did you mean `fade`?")

        let harmonic = try #require(singleSceneError("objects:\n  - {kind: wave, at: B2, harmonics: [[1, x]]}\n"))
        // Numbers may be constant expressions; `x` is not a constant.
        #expect(position(harmonic) == [2, 42])
        #expect(harmonic.message == "unknown name `x`; did you mean `e`?")

        let periods = try #require(singleSceneError("objects:\n  - {kind: wave, at: B2, periods: 0}\n"))
        #expect(position(periods) == [2, 35])
        #expect(periods.message == "`periods` must be a number in (0, 20]")

        let duration = try #require(singleSceneError("duration: 0\nobjects: []\n"))
        #expect(position(duration) == [1, 11])
        #expect(duration.message == "scene.duration must be seconds in (0, 600]")
    }

    @Test func duplicateObjectId() throws {
        let error = try #require(singleSceneError("""
            objects:
              - {id: a, kind: dot, at: B2}
              - {id: a, kind: dot, at: B3}
            """))
        #expect(position(error) == [3, 10])
        #expect(error.message == "duplicate object id `a`")
    }

    @Test func sceneMustBeAMapping() throws {
        let error = try #require(singleSceneError("- kind: circle\n"))
        #expect(position(error) == [1, 1])
        #expect(error.message == "scene must be a mapping with `objects`; found a list")

        let objects = try #require(singleSceneError("objects: circle\n"))
        #expect(position(objects) == [1, 10])
        #expect(objects.message == "scene.objects must be a list; found a scalar")
    }

    @Test func severalErrorsAreAllReported() throws {
        let errors = sceneErrors("""
            objects:
              - id: a
                kind: circel
                at: B2
              - id: b
                kind: circle
                at: B2
                line: 9
              - {id: c, kind: dot, at: C3, entrance: zoom}
            """)
        #expect(errors.map { position($0) ?? [] } == [[3, 11], [8, 11], [9, 42]])
        try #require(errors.count == 3)
        #expect(errors[0].message.hasPrefix("unknown object kind `circel`"))
        #expect(errors[1].message == "`line` must be a lecture line index from 0 to 1")
        #expect(errors[2].message.hasPrefix("unknown entrance `zoom`"))
    }

    @Test func unknownEntranceFarFromAnyListsTheChoices() throws {
        let error = try #require(singleSceneError("objects:\n  - {kind: dot, at: B2, entrance: zoom}\n"))
        #expect(position(error) == [2, 35])
        #expect(error.message == "unknown entrance `zoom`; expected one of: fade, create, write, grow, none")
    }

    @Test func severalErrorsAreSortedByLine() {
        // The object-level error (reported at the object's first line) is found after the
        // field-level one below it; lesson errors are sorted, scene errors should be too.
        let errors = sceneErrors("""
            objects:
              - id: a
                kind: circle
                colour: 1
            """)
        #expect(errors.count == 2)
        #expect(errors.map { position($0) ?? [] } == [[2, 5], [4, 5]])
    }
}

/// Width 0.6 × font size per character; wrapped text takes 1.2 × font size per row.
struct FakeMeasurer: TextMeasuring {
    func measure(_ text: String, fontSize: Double, bold: Bool, wrapWidth: Double?) -> (width: Double, height: Double) {
        let width = 0.6 * fontSize * Double(text.count)
        guard let wrapWidth, width > wrapWidth else { return (width, 1.2 * fontSize) }
        let rows = (width / wrapWidth).rounded(.up)
        return (wrapWidth, 1.2 * fontSize * rows)
    }
}
