import Foundation
import Synchronization
import Testing
import C2VBuild
import C2VLesson
import C2VScene
import C2VUtil
import C2VTestSupport
@testable import C2VPipeline

/// The Critic's findings about an author's objects carry the object's `file:line:column` where
/// they are shown (the observer's events) and in report.json, while no step key holds a
/// position: moving a section in its file re-runs nothing, and the location still follows it.
@Suite(.serialized) struct FindingLocationTests {
    /// A section whose `tiny` text (line 13, column 11) is too small at 180 pixels: a warning.
    static let warningLesson = """
        c2v: 1
        title: Located
        video: {size: 320x180, fps: 10, quality: draft}
        narration: off
        sections:
          - id: hand
            title: Hand
            lecture_lines: [Look here]
            duration_hint: 1
            scene:
              objects:
                - {id: ring, kind: circle, at: C3}
                - {id: tiny, kind: text, text: small print, at: E5, size: 10}
        """

    /// The same lesson with three comment lines above the section: `tiny` is now on line 16.
    static let movedLesson = warningLesson.replacingOccurrences(of: "sections:\n", with: "sections:\n# one\n# two\n# three\n")

    /// Every warning and error line the build shows, as the command line prints them.
    final class Shown: BuildObserver {
        let lines = Mutex<[String]>([])
        let results = Mutex<[StepResult]>([])

        func handle(_ event: BuildEvent) {
            guard case .finished(let result) = event else { return }
            results.withLock { $0.append(result) }
            lines.withLock { $0 += result.warnings + (result.error.map { [$0] } ?? []) }
        }

        func critique(_ section: String) -> StepResult? {
            results.withLock { list in list.last { $0.id == StepID(kind: CritiqueStep.kind, target: section) } }
        }
    }

    struct Build {
        var outcome: LessonOutcome
        var shown: Shown
        var report: BuildReport
    }

    /// Writes `text` as `lesson.yaml` in `folder` and builds it with the cache in `cache`.
    func build(_ text: String, folder: String, cache: String) async throws -> Build {
        let path = "\(folder)/lesson.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let request = BuildRequest(paths: [path], cacheDirectory: cache, outputDirectory: "\(folder)/out",
                                   options: BuildOptions(jobs: 2))
        let plans = try Pipeline.plans(for: request)
        let shown = Shown()
        let outcome = try #require(await Pipeline.build(plans, request: request, observer: shown).first)
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(outcome.plan.outputDirectory)/report.json"))
        return Build(outcome: outcome, shown: shown, report: try JSONDecoder().decode(BuildReport.self, from: data))
    }

    func critiqueStep(_ report: BuildReport, _ section: String = "hand") -> BuildReport.Step? {
        report.steps.first { $0.kind == CritiqueStep.kind && $0.section == section }
    }

    @Test func warningCarriesTheObjectsPositionAndFollowsTheSection() async throws {
        let folder = try TestFiles.temporaryDirectory("c2v-located")
        let cache = try TestFiles.temporaryDirectory("c2v-located-cache")
        let first = try await build(Self.warningLesson, folder: folder, cache: cache)
        #expect(first.outcome.succeeded)
        let at = "\(folder)/lesson.yaml:13:11: "

        // Shown: the observer's critique result names the object's place first.
        let shown = try #require(first.shown.critique("hand"))
        #expect(shown.status == .ran)
        let warning = try #require(shown.warnings.first { $0.contains("too small to read") }, "\(shown.warnings)")
        #expect(warning.hasPrefix(at + "tiny at "), "\(warning)")
        #expect(warning.hasSuffix("; fix: set `size` to at least 54"), "\(warning)")
        // Reported: report.json holds the same line.
        let reported = try #require(critiqueStep(first.report))
        #expect(reported.warnings.contains(warning), "\(reported.warnings)")
        // The findings the step made and cached carry no position: that is added when shown.
        let blob = try #require(shown.outputs[.findings])
        let findings = try JSONDecoder().decode([Finding].self, from: try LocalCache(root: cache).blobs.read(blob))
        #expect(findings.contains { $0.object == "tiny" })
        #expect(findings.allSatisfy { $0.location == nil }, "\(findings)")

        // Three comment lines above the section: the same keys, so nothing runs again ...
        let before = try plan(folder: folder, Self.warningLesson), after = try plan(folder: folder, Self.movedLesson)
        #expect(before.graph.steps.map(\.id) == after.graph.steps.map(\.id))
        #expect(before.graph.steps.map(\.inputs) == after.graph.steps.map(\.inputs))
        let second = try await build(Self.movedLesson, folder: folder, cache: cache)
        #expect(second.outcome.succeeded)
        #expect(second.outcome.results.allSatisfy { $0.status == .cached },
                "\(second.outcome.results.map { "\($0.id) \($0.status)" })")
        #expect(first.report.steps.map(\.key) == second.report.steps.map(\.key))
        // Every step of the graph has its key there (the author's scene stands in for plan and code).
        #expect(first.report.steps.compactMap(\.key).count == before.graph.steps.count)

        // ... and the cached warning, shown and reported, points at the object's new line.
        let moved = "\(folder)/lesson.yaml:16:11: tiny at "
        let cached = try #require(second.shown.critique("hand"))
        #expect(cached.warnings.contains { $0.hasPrefix(moved) && $0.contains("too small to read") }, "\(cached.warnings)")
        #expect(!cached.warnings.contains { $0.contains(":13:11:") }, "\(cached.warnings)")
        let movedReport = try #require(critiqueStep(second.report))
        #expect(movedReport.status == "cached")
        #expect(movedReport.warnings.contains { $0.hasPrefix(moved) }, "\(movedReport.warnings)")
    }

    @Test func errorsThatFailTheSectionArePositionedLineByLine() async throws {
        let lesson = """
            c2v: 1
            title: Located
            video: {size: 320x180, fps: 10, quality: draft}
            narration: off
            sections:
              - id: bad
                title: Bad
                lecture_lines: [Look here]
                duration_hint: 1
                scene:
                  objects:
                    - {id: ring, kind: circle, at: C3}
                    - {id: far, kind: dot, at: [1900, 500], radius: 40}
                    - {id: bar, kind: dot, repeat: 2, at: ["1000 - 400 * i", 600], radius: 20}
            """
        let folder = try TestFiles.temporaryDirectory("c2v-located")
        let cache = try TestFiles.temporaryDirectory("c2v-located-cache")
        let built = try await build(lesson, folder: folder, cache: cache)
        #expect(!built.outcome.succeeded)
        let failed = try #require(built.shown.critique("bad"))
        #expect(failed.status == .failed)
        let error = try #require(failed.error)
        let lines = error.split(separator: "\n").map(String.init)
        #expect(lines.first == "layout check found 2 errors in section `bad`:", "\(error)")
        // Each finding's line starts with where its object is written; a family member is
        // written where its family is.
        #expect(lines.contains { $0.hasPrefix("  \(folder)/lesson.yaml:13:11: far at ") && $0.contains("extends off-screen") }, "\(error)")
        #expect(lines.contains { $0.hasPrefix("  \(folder)/lesson.yaml:14:11: bar[1] at ") && $0.contains("lecture column") }, "\(error)")
        #expect(critiqueStep(built.report, "bad")?.error == error)
    }

    func plan(folder: String, _ text: String) throws -> LessonPlan {
        let path = "\(folder)/lesson.yaml"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try LessonGraphBuilder.plan(try LessonParser.load(path: path), settings: PipelineSettings(outputRoot: "build"))
    }

    @Test("Findings about the section itself are not put at an author object that shares their first word")
    func findingsAboutTheSectionAreNotLocatedAtAnObject() throws {
        let text = """
            objects:
              - {id: title, kind: text, text: Heading, at: "A1:F1", size: 10}
              - {id: line, kind: line, from: B3, to: E3}
            """
        let objects = SceneParser.objectLocations(text: text, file: "lesson.yaml")
        #expect(objects["title"].map { "\($0)" } == "lesson.yaml:2:5")
        #expect(objects["line"].map { "\($0)" } == "lesson.yaml:3:5")
        // A section title and a lecture line far too long for their places.
        let long = Array(repeating: "words that go on", count: 14).joined(separator: " ")
        let scene = try SceneParser.parse(text: text, file: "lesson.yaml", title: long + " " + long, lectureLines: [long],
                                          durationHint: nil)
        let found = LayoutCheck.run(scene, measurer: ApproximateTextMeasurer()).map(\.description)
        // The author's `title` object's own finding is located ...
        let own = try #require(found.first { $0.hasPrefix("title at ") }, "\(found)")
        #expect(FindingLocator.locate(own, objects) == "lesson.yaml:2:5: " + own)
        // ... but what the Critic says of the section's title and lecture lines is not about them.
        let sectionTitle = try #require(found.first { $0.hasPrefix("section title: title needs") }, "\(found)")
        let lectureLine = try #require(found.first { $0.hasPrefix("lecture line 1: lecture line wraps") }, "\(found)")
        #expect(FindingLocator.locate(sectionTitle, objects) == sectionTitle)
        #expect(FindingLocator.locate(lectureLine, objects) == lectureLine)
    }
}
