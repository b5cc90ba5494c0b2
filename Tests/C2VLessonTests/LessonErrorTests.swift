import Foundation
import Testing
@testable import C2VLesson
import C2VUtil

/// Bad lesson files: each error must name the right place (1-based line and column) and say
/// what to do about it.
@Suite struct LessonErrorTests {
    @Test func typoInTopLevelKeySuggestsTitle() throws {
        let errors = lessonErrors("""
            c2v: 1
            titel: Waves
            sections:
              - id: intro
                title: Intro
                brief: Waves repeat.
            """)
        // Only the unknown key: its suggestion already explains why `title` is missing.
        try #require(errors.count == 1)
        #expect(position(errors[0]) == [2, 1])
        #expect(errors[0].message == "unknown key `titel` in lesson file; did you mean `title`?")
        #expect(errors.allSatisfy { $0.code == .invalidInput && $0.location?.file == "lessons/waves.yaml" })
    }

    @Test func unknownTopLevelKeyFarFromAnyListsTheKeys() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            zzzzzzzz: 3
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [3, 1])
        #expect(error.message == "unknown key `zzzzzzzz` in lesson file; expected one of: c2v, title, audience, video, theme, agents, narration, sections")
    }

    @Test func typoInSectionKeySuggestsLectureLines() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                brief: Waves repeat.
                lecture_line: [One, Two]
            """))
        #expect(position(error) == [7, 5])
        #expect(error.message == "unknown key `lecture_line` in section; did you mean `lecture_lines`?")
    }

    @Test func duplicateSectionIdIsReportedAtTheSecondOccurrence() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: A
                brief: First.
              - id: middle
                title: B
                brief: Second.
              - id: intro
                title: C
                brief: Third.
            """))
        #expect(position(error) == [10, 9])
        #expect(error.message == "duplicate section id `intro`; first used at line 4")
    }

    @Test func oddVideoSizeAsksForEvenSides() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            video:
              size: 321x180
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [4, 9])
        #expect(error.message == "size 321x180 has an odd side; H.264 with yuv420p needs even width and height (try 322x180)")
    }

    @Test func malformedAndOutOfRangeSizes() throws {
        let bad = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            video: {size: 1280by720}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(bad) == [3, 15])
        #expect(bad.message == "invalid size `1280by720`; expected WIDTHxHEIGHT like 1280x720 or a preset (1080p, 2160p, 360p, 480p, 720p)")

        let huge = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            video: {size: 8000x4000}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(huge) == [3, 15])
        #expect(huge.message == "size 8000x4000 is out of range; expected 16x16 to 7680x4320")
    }

    // The range is 10...60 (Lesson.swift: "down to 10 so tests and drafts stay tiny").
    @Test(arguments: [0, 9, 61, 120])
    func fpsOutOfRange(fps: Int) throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            video:
              quality: draft
              fps: \(fps)
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [5, 8])
        #expect(error.message == "fps \(fps) is out of range; expected 10 to 60")
    }

    @Test func fpsMustBeAWholeNumber() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            video: {fps: 29.97}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [3, 14])
        #expect(error.message == "video.fps must be a whole number; found `29.97`")
    }

    /// `levels` anchored lists, each holding ten aliases of the one before: 10^levels scalars expanded.
    static func aliasBomb(levels: Int) -> String {
        var text = "c2v: 1\ntitle: Laughs\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var previous = "a"
        for name in "bcdefghijklmnopqrstuvwxyz".prefix(levels - 1) {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
            previous = String(name)
        }
        return text + "sections: [{id: intro, title: Intro, brief: Hi.}]\n"
    }

    /// The errors `text` gives, or nil when it parses (without recording an issue).
    static func errorsIfAny(_ text: String) -> [C2VError]? {
        do {
            _ = try LessonParser.parse(text, file: "lessons/waves.yaml")
            return nil
        } catch let error as C2VError {
            return [error]
        } catch let errors as C2VErrors {
            return errors.errors
        } catch {
            return [C2VError(.internal, "\(error)")]
        }
    }

    static let anchorMessage = "YAML anchors and aliases (&name, *name) are not allowed in lesson files; write the value out"

    @Test func aliasBombIsRejectedQuicklyAtTheFirstAnchor() throws {
        // A small bomb first (10^4 scalars, harmless if expanded). Only when YAMLReader refuses
        // that one for its anchor is the real one tried: expanded, 10^20 scalars exhaust memory
        // (the test process was OOM-killed at 24 GB).
        var refused: C2VError?
        do {
            _ = try YAMLReader.read(Self.aliasBomb(levels: 4), file: "lessons/waves.yaml")
        } catch let error as C2VError {
            refused = error
        }
        let error = try #require(refused)
        #expect(position(error) == [3, 4])
        #expect(error.message == Self.anchorMessage)
        guard refused?.message == Self.anchorMessage else { return }

        let clock = ContinuousClock()
        var errors: [C2VError] = []
        let elapsed = clock.measure { errors = lessonErrors(Self.aliasBomb(levels: 20)) }
        #expect(elapsed < .seconds(2))
        try #require(errors.count == 1)
        #expect(position(errors[0]) == [3, 4])
        #expect(errors[0].message == Self.anchorMessage)
    }

    @Test func anchorOnAScalarIsRejectedToo() throws {
        let errors = Self.errorsIfAny("""
            c2v: 1
            title: &t Waves
            sections: [{id: intro, title: *t, brief: Hi.}]
            """)
        let error = try #require(errors?.first)
        #expect(errors?.count == 1)
        #expect(position(error) == [2, 8])
        #expect(error.message.contains("anchors and aliases"))
    }

    @Test func sectionsMustBeAList() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections: hello
            """))
        #expect(position(error) == [3, 11])
        #expect(error.message == "sections must be a list; found a scalar")
    }

    @Test func lectureLinesMustBeAList() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                brief: Waves repeat.
                lecture_lines: 5
            """))
        #expect(position(error) == [7, 20])
        #expect(error.message == "sections[0].lecture_lines must be a list; found a scalar")
    }

    @Test func lectureLineItemsMustBeText() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                brief: Hi.
                lecture_lines:
                  - One line
                  - [not, text]
            """))
        #expect(position(error) == [9, 9])
        #expect(error.message == "sections[0].lecture_lines[1] must be text; found a list")
    }

    @Test func wrongLectureLinesDoNotAlsoClaimTheSectionIsEmpty() {
        let errors = lessonErrors("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                lecture_lines: 5
            """)
        #expect(errors.contains { position($0) == [6, 20] && $0.message == "sections[0].lecture_lines must be a list; found a scalar" })
        #expect(errors.count == 1)
    }

    @Test func titleMustBeText() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: {en: Waves}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [2, 8])
        #expect(error.message == "title must be text; found a mapping")
    }

    @Test func badColourNamesTheFieldAndTheFormat() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            theme:
              background: "#12345G"
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [4, 16])
        #expect(error.message == "invalid colour `#12345G` for theme.background; expected #RRGGBB like #58C4DD")
    }

    @Test func badAccentColourNamesItsIndex() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            theme:
              accents: ["#58C4DD", "red"]
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [4, 25])
        #expect(error.message == "invalid colour `red` for theme.accents[1]; expected #RRGGBB like #58C4DD")
    }

    @Test func unquotedColourIsAYAMLCommentAndTheMessageShouldSaySo() throws {
        // `#` starts a YAML comment, so `background: #12345A` has an empty value. The message
        // should tell the author to quote the colour rather than complain about an empty one.
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            theme:
              background: #12345A
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(error.location?.line == 4)
        #expect(error.message.contains("quote"))
    }

    @Test func invalidSectionId() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: Intro_1
                title: Intro
                brief: Waves repeat.
            """))
        #expect(position(error) == [4, 9])
        #expect(error.message == "invalid section id `Intro_1`; expected lowercase letters, digits and dashes ([a-z0-9-]+)")
    }

    @Test func sectionWithoutId() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - title: Intro
                brief: Waves repeat.
            """))
        #expect(position(error) == [4, 5])
        #expect(error.message == "sections[0] has no `id`; expected a name like `intro` ([a-z0-9-]+)")
    }

    @Test func missingFormatVersion() throws {
        let error = try #require(singleLessonError("""
            title: Waves
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [1, 1])
        #expect(error.message == "missing `c2v: 1` (the lesson format version)")
    }

    @Test func unsupportedFormatVersion() throws {
        let error = try #require(singleLessonError("""
            title: Waves
            c2v: 2
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [2, 6])
        #expect(error.message == "unsupported lesson format version 2; expected `c2v: 1`")
    }

    @Test func unsupportedFormatVersionIsReportedBesideOtherErrors() {
        let errors = lessonErrors("""
            c2v: 2
            title: Waves
            audiance: students
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """)
        #expect(errors.contains { position($0) == [3, 1] && $0.message.hasPrefix("unknown key `audiance`") })
        #expect(errors.contains { position($0) == [1, 6] && $0.message == "unsupported lesson format version 2; expected `c2v: 1`" })
    }

    @Test func animationsCountMustMatchLectureLines() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                lecture_lines: [Waves repeat, Sines add up]
                animations: [Plot a sine wave]
            """))
        #expect(position(error) == [7, 17])
        #expect(error.message == "sections[0] has 2 lecture lines but 1 animations; expected one animation per line")
    }

    @Test func animationsWithoutLectureLines() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                brief: Waves repeat.
                animations: [Plot a sine wave]
            """))
        #expect(position(error) == [7, 17])
        #expect(error.message == "sections[0].animations needs `lecture_lines` beside it")
    }

    @Test func sectionWithNothingToBuild() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                duration_hint: 10
            """))
        #expect(position(error) == [4, 5])
        #expect(error.message == "section `intro` has nothing to build; expected `brief`, `lecture_lines` or `scene`")
    }

    @Test func emptySectionsAndEmptyLectureLines() throws {
        let none = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections: []
            """))
        #expect(position(none) == [3, 11])
        #expect(none.message == "`sections` is empty; a lesson needs at least one section")

        let noLines = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                lecture_lines: []
            """))
        #expect(position(noLines) == [6, 20])
        #expect(noLines.message == "sections[0].lecture_lines is empty")
    }

    @Test func unknownQualitySuggestsHigh() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            video:
              quality: hihg
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [4, 12])
        #expect(error.message == "unknown quality `hihg`; expected draft, standard or high; did you mean `high`?")
    }

    @Test func unknownProviderSuggestsOpenAI() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            agents: {provider: opnai}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [3, 20])
        #expect(error.message == "unknown provider `opnai`; expected offline or openai; did you mean `openai`?")
    }

    @Test func durationHintOutOfRange() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                brief: Hi.
                duration_hint: 601
            """))
        #expect(position(error) == [7, 20])
        #expect(error.message.hasPrefix("duration_hint 601"))
        #expect(error.message.hasSuffix("is out of range; expected seconds in (0, 600]"))
    }

    @Test func yamlSyntaxErrorCarriesLibyamlPosition() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
              audience: students
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """))
        #expect(position(error) == [3, 11])
        #expect(error.message == "invalid YAML: mapping values are not allowed in this context")
        #expect(error.location?.file == "lessons/waves.yaml")
    }

    @Test func unclosedFlowSequenceIsASyntaxError() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections: [{id: intro, title: Intro, brief: Hi.}
            """))
        #expect(error.location?.file == "lessons/waves.yaml")
        #expect(error.message.hasPrefix("invalid YAML: "))
        #expect((error.location?.line ?? 0) >= 3)
    }

    @Test func emptyFileAndNonMappingRoot() throws {
        let empty = try #require(singleLessonError(""))
        #expect(position(empty) == [1, 1])
        #expect(empty.message == "file is empty; expected a mapping with `c2v: 1`")

        let list = try #require(singleLessonError("- c2v: 1\n"))
        #expect(position(list) == [1, 1])
        #expect(list.message == "lesson file must be a mapping; found a list")
    }

    @Test func textOverOneMiBIsRejected() throws {
        let padding = String(repeating: "#", count: YAMLReader.maximumBytes)
        let text = "c2v: 1\n" + padding + "\n"
        let error = try #require(singleLessonError(text))
        #expect(position(error) == [1, 1])
        #expect(error.message == "file is \(YAMLReader.maximumBytes + 8) bytes; lesson files are limited to 1024 KiB")
    }

    @Test func exactlyOneMiBIsAccepted() throws {
        var text = "c2v: 1\ntitle: Waves\nsections: [{id: intro, title: Intro, brief: Hi.}]\n#"
        text += String(repeating: "x", count: YAMLReader.maximumBytes - text.utf8.count)
        #expect(text.utf8.count == YAMLReader.maximumBytes)
        let lesson = try LessonParser.parse(text, file: "big.yaml")
        #expect(lesson.sections.map(\.id) == ["intro"])
    }

    @Test func fileOverOneMiBIsRejectedByLoad() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/huge.yaml"
        try write("c2v: 1\n#" + String(repeating: "x", count: YAMLReader.maximumBytes), to: path)
        let errors = thrownErrors { _ = try LessonParser.load(path: path) }
        try #require(errors.count == 1)
        #expect(errors[0].location == C2VUtil.SourceLocation(file: path, line: 1, column: 1))
        #expect(errors[0].message == "file is \(YAMLReader.maximumBytes + 8) bytes; lesson files are limited to 1024 KiB")
    }

    @Test func missingFileAndNonUTF8File() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let missing = thrownErrors { _ = try LessonParser.load(path: directory + "/nope.yaml") }
        try #require(missing.count == 1)
        #expect(missing[0].message == "no such lesson file: \(directory)/nope.yaml")

        let path = directory + "/latin1.yaml"
        try Data([0x63, 0x32, 0x76, 0x3A, 0x20, 0x31, 0x0A, 0xE9, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        let bad = thrownErrors { _ = try LessonParser.load(path: path) }
        try #require(bad.count == 1)
        #expect(bad[0].location == C2VUtil.SourceLocation(file: path, line: 1, column: 1))
        #expect(bad[0].message == "file is not UTF-8 text")
    }

    @Test func severalErrorsAreAllReportedSortedByLine() throws {
        // `sections` comes first in the file but is checked last; the missing version is found
        // after the unknown key. The report must still read top to bottom.
        let errors = lessonErrors("""
            title: Waves
            sections:
              - id: Bad_Id
                title: Intro
                brief: Hi.
            vidoe: {fps: 30}
            video:
              fps: 0
            theme:
              text: "#GGGGGG"
            """)
        try #require(errors.count == 5)
        #expect(errors.map { position($0) ?? [] } == [[1, 1], [3, 9], [6, 1], [8, 8], [10, 10]])
        #expect(errors[0].message == "missing `c2v: 1` (the lesson format version)")
        #expect(errors[1].message.hasPrefix("invalid section id `Bad_Id`"))
        #expect(errors[2].message == "unknown key `vidoe` in lesson file; did you mean `video`?")
        #expect(errors[3].message == "fps 0 is out of range; expected 10 to 60")
        #expect(errors[4].message.hasPrefix("invalid colour `#GGGGGG` for theme.text"))
        #expect(errors.allSatisfy { $0.code == .invalidInput })
    }

    @Test func c2vErrorsDescriptionListsOneErrorPerLine() throws {
        do {
            _ = try LessonParser.parse("c2v: 1\ntitle: Waves\nsections: nope\nvideo: {fps: 5}\n", file: "w.yaml")
            Issue.record("expected errors")
        } catch let errors as C2VErrors {
            #expect(errors.description == """
                w.yaml:3:11: error: sections must be a list; found a scalar
                w.yaml:4:14: error: fps 5 is out of range; expected 10 to 60
                """)
        }
    }

    @Test func emptyTitleIsNotATitle() {
        // `title:` with nothing after it is an empty scalar; it should count as missing.
        let errors = lessonErrors("""
            c2v: 1
            title:
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """)
        #expect(errors.count == 1)
    }
}
