import Foundation
import Testing
import C2VLesson
import C2VScene
@testable import C2VAgents

@Suite struct PromptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func coderIsTaughtExactlyTheSceneLanguageReference() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/scene-language.md"), encoding: .utf8)
        // scripts/gen-prompts embeds the file; a multi-line literal drops the final newline.
        #expect(Prompts.sceneLanguage + "\n" == doc, "docs/scene-language.md changed: run scripts/gen-prompts")
        #expect(Prompts.coder.contains(Prompts.sceneLanguage))
    }

    @Test(arguments: Prompts.examples.indices)
    func exampleScenesParse(index: Int) throws {
        let scene = try SceneParser.parse(text: Prompts.examples[index], file: "example \(index)", title: "T",
                                          lectureLines: ["One", "Two", "Three"], durationHint: nil)
        #expect(!scene.objects.isEmpty && !scene.animations.isEmpty)
    }

    @Test("The Coder's math reference is docs/math.md's \"What is supported\", word for word")
    func mathReferenceIsTheDoc() throws {
        let doc = try String(contentsOf: Self.root.appendingPathComponent("docs/math.md"), encoding: .utf8)
        let section = try #require(doc.components(separatedBy: "## What is supported\n").last?.components(separatedBy: "\n## ").first)
        #expect(Prompts.mathReference == section.trimmingCharacters(in: .newlines), "docs/math.md changed: run scripts/gen-prompts")
        #expect(Prompts.coder.contains(Prompts.mathReference))
    }

    /// What the Critic says about a scene at 1280x720, errors only.
    static func criticErrors(_ scene: Scene) -> [String] {
        LayoutCheck.run(scene, theme: .default, measurer: ApproximateTextMeasurer(), outputHeight: 720)
            .filter { $0.severity == .error }.map(\.description)
    }

    @Test(arguments: Prompts.examples.indices)
    func examplesPassTheCritic(index: Int) throws {
        let scene = try SceneParser.parse(text: Prompts.examples[index], file: "example \(index)", title: "T",
                                          lectureLines: ["One", "Two", "Three"], durationHint: nil)
        #expect(Self.criticErrors(scene).isEmpty, "\(Self.criticErrors(scene))")
    }

    @Test("The worked example is the real user message, and its reply parses and passes the Critic")
    func workedExample() throws {
        let request = CodeRequest(sectionTitle: "Adding waves", storyboard: Prompts.workedStoryboard, durationHint: nil)
        #expect(Prompts.coder.contains(LLMCoder.task(for: request)))
        let scene = try SceneParser.parse(text: Prompts.workedReply, file: "worked", title: "Adding waves",
                                          lectureLines: Prompts.workedStoryboard.lectureLines, durationHint: nil)
        #expect(Self.criticErrors(scene).isEmpty, "\(Self.criticErrors(scene))")
        let skeleton = try #require(Prompts.skeleton.components(separatedBy: "```yaml\n").last?.components(separatedBy: "\n```").first)
        let shaped = try SceneParser.parse(text: skeleton, file: "skeleton", title: "T", lectureLines: ["One", "Two"], durationHint: nil)
        #expect(shaped.objects.count == 2)
    }

    @Test("Between them the examples use every object kind (but image, which needs a file) and every animation")
    func examplesCoverTheLanguage() throws {
        var kinds = Set<ObjectKind>(), verbs = Set<AnimationKind>()
        for text in Prompts.examples + [Prompts.workedReply] {
            let scene = try SceneParser.parse(text: text, file: "example", title: "T", lectureLines: ["One", "Two", "Three"], durationHint: nil)
            kinds.formUnion(scene.objects.map(\.kind))
            verbs.formUnion(scene.animations.map(\.kind))
            // Family members and group members count by their kind; a group object itself is listed too.
        }
        #expect(Set(ObjectKind.allCases).subtracting(kinds) == [.image], "missing kinds: \(Set(ObjectKind.allCases).subtracting(kinds))")
        #expect(Set(AnimationKind.allCases).subtracting(verbs).isEmpty, "missing verbs: \(Set(AnimationKind.allCases).subtracting(verbs))")
    }

    @Test func promptDigestsAreSHA256() {
        #expect(Prompts.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func plannerReplyIsTidied() throws {
        let board = try LLMPlanner.storyboard(from: """
            Sure! ```json
            {"lecture_lines": ["one two three four five six seven eight nine ten eleven", "b", "c", "d", "e", "f"], "animations": ["x"]}
            ```
            """)
        #expect(board.lectureLines == ["one two three four five six seven eight nine ten", "b", "c", "d", "e"])
        #expect(board.animations == ["x", "b", "c", "d", "e"])
        #expect(throws: (any Error).self) { try LLMPlanner.storyboard(from: "no json here") }
    }

    @Test func payloadExtraction() {
        #expect(ReplyPayload.extract("text\n```yaml\na: 1\n```\nmore", json: false) == "a: 1")
        #expect(ReplyPayload.extract("answer: {\"a\": 1} done", json: true) == "{\"a\": 1}")
        #expect(ReplyPayload.extract("plain", json: false) == "plain")
    }

    @Test func retryAfterAcceptsSecondsAndDates() {
        #expect(OpenAIClient.retryAfter("3") == 3)
        #expect(OpenAIClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == 0)
        #expect(OpenAIClient.retryAfter("soon") == nil)
    }

    @Test func endpointDropsCredentialsAndQuery() {
        let s = LLMSettings(baseURL: "https://u:p@example.com/v1/?k=1#f")
        #expect(s.endpoint == "https://example.com/v1")
        #expect(!s.identity(role: .coder, promptVersion: "p").contains("u:p"))
    }
}

@Suite struct OutlineTests {
    @Test("A non-ASCII topic gives ids the parser accepts, and a lesson that loads", arguments: [
        "Limits, L'Hôpital's rule", "Ελληνικά και γεωμετρία", "Schrödinger’s équation", "日本語のトピック", "Ångström-scale ÆØ",
    ])
    func nonASCIITopics(topic: String) throws {
        let outline = OfflineOutliner.outline(topic: topic, sections: 5)
        for id in outline.sections.map(\.id) {
            #expect(id.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" } && id.first?.isLetter == true, "\(id)")
        }
        let lesson = try LessonParser.parse(outline.yaml(audience: "pupils", provider: "offline"), file: "new.yaml")
        #expect(lesson.title == topic && lesson.sections.count == 5)
        if topic.hasPrefix("Limits") { #expect(outline.sections.first?.id == "why-limits-lhopitals-rule") }
    }

    @Test func offlineOutlineIsALessonThatLoads() throws {
        let outline = OfflineOutliner.outline(topic: "Fourier \"series\"", sections: 4)
        #expect(outline.sections.map(\.id) == ["why-fourier-series", "the-key-idea-of", "a-worked-example", "summary"])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("c2v-outline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("o.yaml").path
        try Data(outline.yaml(audience: "pupils", provider: "offline").utf8).write(to: URL(fileURLWithPath: path))
        let lesson = try LessonParser.load(path: path)
        #expect(lesson.title == "Fourier \"series\"" && lesson.audience == "pupils")
        #expect(lesson.sections.map(\.brief) == outline.sections.map(\.brief))
    }

    @Test func idsAreUniqueAndStartWithALetter() {
        #expect(Outline.id("3 ways", taken: []) == "section-3-ways")
        #expect(Outline.id("Summary", taken: ["summary"]) == "summary-2")
    }
}
