import Foundation
import Testing
@testable import C2VLesson
import C2VUtil

@Suite struct LessonParserTests {
    static let full = """
        c2v: 1
        title: Fourier Series
        audience: first-year students
        video:
          size: 720p
          fps: 24
          quality: high
        theme:
          background: "#101820"
          text: "#FAFAFA"
          accents: ["#58C4DD", "#fc6255"]
          font: Inter
        agents:
          provider: openai
          model: gpt-test
        sections:
          - id: s10
            title: Tenth
            brief: Waves repeat.
            duration_hint: 12.5
          - id: s2
            title: Second
            lecture_lines: [A line, Another line]
            animations: [Plot a sine wave, Draw a circle]
          - id: s1
            title: First
            scene:
              objects:
                - {kind: circle, at: B2}
        """

    @Test func fullLessonParses() throws {
        let lesson = try LessonParser.parse(Self.full, file: "course/lessons/fourier.yaml")
        #expect(lesson.name == "fourier")
        #expect(lesson.file == "course/lessons/fourier.yaml")
        #expect(lesson.title == "Fourier Series")
        #expect(lesson.audience == "first-year students")
        #expect(lesson.video == VideoSettings(width: 1280, height: 720, fps: 24, quality: .high))
        #expect(lesson.theme.background == RGBColor(red: 0x10, green: 0x18, blue: 0x20))
        #expect(lesson.theme.text == RGBColor(red: 0xFA, green: 0xFA, blue: 0xFA))
        #expect(lesson.theme.accents.map(\.hex) == ["#58C4DD", "#FC6255"])
        #expect(lesson.theme.font == "Inter")
        #expect(lesson.agents == AgentSettings(provider: .openai, model: "gpt-test"))

        // Declared order, not sorted (a sort would give s1, s10, s2).
        #expect(lesson.sections.map(\.id) == ["s10", "s2", "s1"])
        let tenth = lesson.sections[0]
        #expect(tenth.title == "Tenth")
        #expect(tenth.brief == "Waves repeat.")
        #expect(tenth.durationHint == 12.5)
        #expect(tenth.lectureLines == nil && tenth.animations == nil && tenth.scene == nil)
        #expect(tenth.location == C2VUtil.SourceLocation(file: "course/lessons/fourier.yaml", line: 17, column: 5))

        let second = lesson.sections[1]
        #expect(second.lectureLines == ["A line", "Another line"])
        #expect(second.animations == ["Plot a sine wave", "Draw a circle"])
        #expect(second.brief == nil && second.durationHint == nil)

        let first = lesson.sections[2]
        let scene = try #require(first.scene)
        guard case .mapping(let entries, let location) = scene else {
            Issue.record("scene should stay a YAML mapping, got \(scene.kindName)")
            return
        }
        #expect(entries.map(\.key) == ["objects"])
        #expect(location.line == 28 && location.column == 7)
    }

    @Test func minimalLessonGetsDefaults() throws {
        let lesson = try LessonParser.parse("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                title: Intro
                brief: Waves repeat.
            """, file: "waves.yaml")
        #expect(lesson.name == "waves")
        #expect(lesson.audience == nil)
        #expect(lesson.video == VideoSettings.default)
        #expect(lesson.video == VideoSettings(width: 1280, height: 720, fps: 30, quality: .standard))
        #expect(lesson.theme == Theme.default)
        #expect(lesson.agents == AgentSettings.default)
        #expect(lesson.agents.provider == .offline && lesson.agents.model == nil)
    }

    @Test(arguments: [
        ("360p", 640, 360), ("480p", 854, 480), ("720P", 1280, 720), ("1080p", 1920, 1080), ("2160p", 3840, 2160),
        ("320x180", 320, 180), ("1920X1080", 1920, 1080), ("16x16", 16, 16), ("7680x4320", 7680, 4320),
    ])
    func sizesAndPresets(size: String, width: Int, height: Int) throws {
        let lesson = try LessonParser.parse("""
            c2v: 1
            title: Waves
            video: {size: \(size)}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """, file: "waves.yaml")
        #expect(lesson.video.width == width)
        #expect(lesson.video.height == height)
        #expect(lesson.video.fps == 30)
    }

    @Test(arguments: [10, 60])
    func fpsBoundsAreInclusive(fps: Int) throws {
        let lesson = try LessonParser.parse("""
            c2v: 1
            title: Waves
            video: {fps: \(fps), quality: draft}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """, file: "waves.yaml")
        #expect(lesson.video.fps == fps)
        #expect(lesson.video.quality == .draft)
    }

    @Test func shortColoursExpand() throws {
        let lesson = try LessonParser.parse("""
            c2v: 1
            title: Waves
            theme: {background: "#abc"}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """, file: "waves.yaml")
        #expect(lesson.theme.background.hex == "#AABBCC")
        #expect(lesson.theme.text == Theme.default.text)
    }

    @Test func nameIsTheFileStem() throws {
        let text = "c2v: 1\ntitle: T\nsections: [{id: a, title: A, brief: B.}]\n"
        #expect(try LessonParser.parse(text, file: "lessons/fourier.yaml").name == "fourier")
        #expect(try LessonParser.parse(text, file: "/abs/path/deep.lesson.yaml").name == "deep.lesson")
        #expect(try LessonParser.parse(text, file: "plain").name == "plain")
    }

    @Test func sectionTitleDefaultsAreNotSilent() throws {
        let error = try #require(singleLessonError("""
            c2v: 1
            title: Waves
            sections:
              - id: intro
                brief: Hi.
            """))
        #expect(position(error) == [4, 5])
        #expect(error.message == "missing `title`; expected text")
    }

    // MARK: course.yaml

    @Test func courseDefaultsApplyAndLessonFieldsWinOneByOne() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("""
            c2v: 1
            video:
              size: 1080p
              fps: 25
              quality: draft
            theme:
              background: "#000000"
              accents: ["#111111", "#222222"]
              font: Course Font
            agents:
              provider: openai
              model: course-model
            """, to: directory + "/course.yaml")
        try write("""
            c2v: 1
            title: Waves
            video:
              fps: 50
            theme:
              text: "#123456"
              font: Lesson Font
            agents:
              model: lesson-model
            sections:
              - id: intro
                title: Intro
                brief: Waves repeat.
            """, to: directory + "/waves.yaml")
        let lesson = try LessonParser.load(path: directory + "/waves.yaml")
        #expect(lesson.name == "waves")
        #expect(lesson.file == directory + "/waves.yaml")
        #expect(lesson.video == VideoSettings(width: 1920, height: 1080, fps: 50, quality: .draft))
        #expect(lesson.theme.background.hex == "#000000")   // course
        #expect(lesson.theme.text.hex == "#123456")         // lesson
        #expect(lesson.theme.accents.map(\.hex) == ["#111111", "#222222"])  // course
        #expect(lesson.theme.font == "Lesson Font")         // lesson wins over course
        #expect(lesson.agents == AgentSettings(provider: .openai, model: "lesson-model"))
    }

    @Test func loadWithoutCourseUsesBuiltInDefaults() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("c2v: 1\ntitle: Waves\nsections: [{id: intro, title: Intro, brief: Hi.}]\n", to: directory + "/waves.yaml")
        let lesson = try LessonParser.load(path: directory + "/waves.yaml")
        #expect(lesson.video == .default)
        #expect(lesson.theme == .default)
        #expect(lesson.agents == .default)
    }

    @Test func courseErrorsPointIntoTheCourseFile() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try write("c2v: 1\nsections: []\nvideo: {fps: 99}\n", to: directory + "/course.yaml")
        try write("c2v: 1\ntitle: Waves\nsections: [{id: intro, title: Intro, brief: Hi.}]\n", to: directory + "/waves.yaml")
        let errors = thrownErrors { _ = try LessonParser.load(path: directory + "/waves.yaml") }
        try #require(errors.count == 2)
        #expect(errors.allSatisfy { $0.location?.file == directory + "/course.yaml" })
        #expect(position(errors[0]) == [2, 1])
        #expect(errors[0].message == "unknown key `sections` in course file; expected one of: c2v, video, theme, agents, narration")
        #expect(position(errors[1]) == [3, 14])
        #expect(errors[1].message == "fps 99 is out of range; expected 10 to 60")
    }

    @Test func parseCourseDoesNotRequireTheVersionButChecksIt() throws {
        let defaults = try LessonParser.parseCourse("video: {quality: high}\n", file: "course.yaml")
        #expect(defaults.video.quality == .high)
        #expect(defaults.video.fps == nil)

        let errors = thrownErrors { _ = try LessonParser.parseCourse("c2v: 3\n", file: "course.yaml") }
        try #require(errors.count == 1)
        #expect(position(errors[0]) == [1, 6])
        #expect(errors[0].message == "unsupported lesson format version 3; expected `c2v: 1`")
    }

    @Test func parseWithCourseDefaultsArgument() throws {
        let course = try LessonParser.parseCourse("video: {size: 320x180, fps: 15}\n", file: "course.yaml")
        let lesson = try LessonParser.parse("""
            c2v: 1
            title: Waves
            video: {quality: high}
            sections: [{id: intro, title: Intro, brief: Hi.}]
            """, file: "waves.yaml", course: course)
        #expect(lesson.video == VideoSettings(width: 320, height: 180, fps: 15, quality: .high))
    }
}

@Suite struct YAMLReaderTests {
    @Test func positionsAreOneBased() throws {
        let value = try YAMLReader.read("""
            a: 1
            b:
              - x
              - {c: "y"}
            """, file: "f.yaml")
        guard case .mapping(let entries, let root) = value else {
            Issue.record("expected a mapping, got \(value.kindName)")
            return
        }
        #expect(root == C2VUtil.SourceLocation(file: "f.yaml", line: 1, column: 1))
        #expect(entries.map(\.key) == ["a", "b"])
        #expect(entries[0].keyLocation == C2VUtil.SourceLocation(file: "f.yaml", line: 1, column: 1))
        #expect(entries[0].value == .scalar("1", C2VUtil.SourceLocation(file: "f.yaml", line: 1, column: 4)))
        #expect(entries[1].keyLocation.line == 2 && entries[1].keyLocation.column == 1)
        guard case .sequence(let items, let listLocation) = entries[1].value else {
            Issue.record("expected a list")
            return
        }
        #expect(listLocation.line == 3 && listLocation.column == 3)
        #expect(items.count == 2)
        #expect(items[0] == .scalar("x", C2VUtil.SourceLocation(file: "f.yaml", line: 3, column: 5)))
        guard case .mapping(let inner, let innerLocation) = items[1] else {
            Issue.record("expected a mapping")
            return
        }
        #expect(innerLocation.line == 4 && innerLocation.column == 5)
        #expect(inner.first?.key == "c")
        #expect(inner.first?.value == .scalar("y", C2VUtil.SourceLocation(file: "f.yaml", line: 4, column: 10)))
    }

    @Test func keysKeepTheirOrder() throws {
        let value = try YAMLReader.read("zeta: 1\nalpha: 2\nmid: 3\n", file: "f.yaml")
        guard case .mapping(let entries, _) = value else {
            Issue.record("expected a mapping")
            return
        }
        #expect(entries.map(\.key) == ["zeta", "alpha", "mid"])
    }

    @Test func canonicalTextIgnoresPositionsAndLayout() throws {
        let a = try YAMLReader.read("k: [1, two]\nm: {x: y}\n", file: "a.yaml")
        let b = try YAMLReader.read("\n\nk:\n  - 1\n  - two\nm:\n  x: y\n", file: "b.yaml")
        #expect(a != b)  // positions differ
        #expect(a.canonicalText == b.canonicalText)
        #expect(a.canonicalText == "m2{k1:kl2[s1:1s3:two]k1:mm1{k1:xs1:y}}")
        let c = try YAMLReader.read("k: [1, two]\nm: {x: z}\n", file: "a.yaml")
        #expect(a.canonicalText != c.canonicalText)
    }

    @Test func nonScalarKeysAreRefused() throws {
        let errors = thrownErrors { _ = try YAMLReader.read("? [a, b]\n: 1\n", file: "f.yaml") }
        try #require(errors.count == 1)
        #expect(errors[0].message == "mapping keys must be plain names")
        #expect(position(errors[0]) == [1, 3])
    }

    @Test func duplicateKeysAreRefused() throws {
        let errors = thrownErrors { _ = try YAMLReader.read("title: A\ntitle: B\n", file: "f.yaml") }
        try #require(errors.count == 1)
        #expect(errors[0].code == .invalidInput)
        #expect(errors[0].message.contains("title"))
        #expect(errors[0].location?.file == "f.yaml")
    }

    @Test func oversizedTextIsRefusedBeforeParsing() throws {
        // Not valid YAML either; the size check must come first.
        let text = "[" + String(repeating: "x", count: YAMLReader.maximumBytes)
        let errors = thrownErrors { _ = try YAMLReader.read(text, file: "big.yaml") }
        try #require(errors.count == 1)
        #expect(errors[0].location == C2VUtil.SourceLocation(file: "big.yaml", line: 1, column: 1))
        #expect(errors[0].message == "file is 1048577 bytes; lesson files are limited to 1024 KiB")
    }

    @Test func aliasIsRefusedEvenInsideALaterValue() throws {
        let errors = thrownErrors { _ = try YAMLReader.read("a: 1\nb:\n  - &x hi\n  - *x\n", file: "f.yaml") }
        try #require(errors.count == 1)
        #expect(position(errors[0]) == [3, 5])
        #expect(errors[0].message.contains("anchors and aliases"))
    }
}

@Suite struct NarrationSettingsTests {
    func lesson(_ narration: String) throws -> Lesson {
        try LessonParser.parse("c2v: 1\ntitle: T\n\(narration)\nsections: [{id: a, title: A, lecture_lines: [Hi]}]\n", file: "t.yaml")
    }

    @Test func onOffAndMappings() throws {
        #expect(try lesson("").narration == .default)
        #expect(try lesson("narration: off").narration.enabled == false)
        #expect(try lesson("narration: on").narration.enabled == true)
        let german = try lesson("narration: {language: de, rate: 150}").narration
        #expect(german.voice == "de" && german.language == "de" && german.rate == 150 && german.enabled)
        let endpoint = try lesson("narration: {engine: openai, base_url: \"http://127.0.0.1:9/v1\"}").narration
        #expect(endpoint.engine == .openai && endpoint.voice == "alloy" && endpoint.model == "tts-1")
    }

    @Test func lecturelinesShowAndSay() throws {
        let parsed = try LessonParser.parse("""
            c2v: 1
            title: T
            sections:
              - id: a
                title: A
                lecture_lines:
                  - {show: Short bullet, say: "A whole sentence [[here]] that explains it."}
                  - Plain line [[mark]] spoken
                  - Plain line
            """, file: "t.yaml")
        let section = try #require(parsed.sections.first)
        #expect(section.lectureLines == ["Short bullet", "Plain line spoken", "Plain line"])
        #expect(section.spokenLines == ["A whole sentence [[here]] that explains it.", "Plain line [[mark]] spoken", nil])
    }

    @Test func errorsSayWhereAndSuggest() {
        let errors = thrownErrors { _ = try lesson("narration: {engine: espeak, rate: 9000, gap: -1}") }
        let messages = errors.map(\.message)
        #expect(messages.contains { $0.contains("unknown speech engine `espeak`") && $0.contains("did you mean `espeak-ng`") })
        #expect(messages.contains { $0.contains("narration.rate 9000 is out of range") })
        #expect(messages.contains { $0.contains("narration.gap -1") })
        #expect(errors.allSatisfy { $0.location?.line == 3 })
        let credentials = thrownErrors { _ = try lesson("narration: {engine: openai, base_url: \"http://u:p@h/v1\"}") }
        #expect(credentials.first?.message.contains("must not hold credentials") == true)
        let scalar = thrownErrors { _ = try lesson("narration: loud") }
        #expect(scalar.first?.message.contains("unknown narration `loud`") == true)
    }
}
