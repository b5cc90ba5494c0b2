import Crypto
import Foundation
import C2VCode
import Testing
import C2VAgents
import C2VBuild
import C2VLesson
import C2VMath
import C2VNarration
import C2VRender
import C2VScene
import C2VTestSupport
import C2VUtil
@testable import C2VPipeline

/// The version guard. Each component's outputs on fixed fixtures (every section of every shipped
/// lesson, a set of formulas and texts, the golden PNGs) are hashed and compared with
/// `ComponentFingerprints.json`. Changing what a component produces without bumping its version
/// (or the version of a part it builds on) fails here, naming the version to bump.
/// `C2V_RECORD_FINGERPRINTS=1 swift test --filter ComponentGuardTests` re-records the table.
@Suite(.serialized) struct ComponentGuardTests {
    static let table = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("ComponentFingerprints.json").path
    static let recording = ProcessInfo.processInfo.environment["C2V_RECORD_FINGERPRINTS"] == "1"
    static let root = TestFiles.repositoryRoot

    static let offlinePlanner = ComponentVersion("agents.offline-planner", OfflinePlanner.version)
    static let offlineCoder = ComponentVersion("agents.offline-coder", OfflineCoder.version)

    static func digest(_ text: String) -> String { Digest.of(text).hex }

    /// SHA-256 of every file in a folder, by name: a re-recorded golden changes it.
    static func goldenDigest(_ folder: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted()
        return try names.map { "\($0) \(try Digest.ofFile(at: "\(folder)/\($0)").hex)" }.joined(separator: "\n")
    }

    /// Every section's checked scene, as a build makes it (offline agents for briefs).
    static func lessonScenes() async throws -> [(lesson: Lesson, id: String, authored: Bool, scene: Scene)] {
        var all: [(Lesson, String, Bool, Scene)] = []
        for file in GoldenFrameTests.lessonFiles {
            let (lesson, scenes) = try await GoldenFrameTests.scenes(file)
            for (id, scene) in scenes {
                let authored = lesson.sections.first { $0.id == id }?.scene != nil
                all.append((lesson, id, authored, scene))
            }
        }
        return all
    }

    static func observations() async throws -> [ComponentGuard.Observation] {
        let scenes = try await lessonScenes()
        let coded = [offlinePlanner, offlineCoder]
        let sceneParts = [SceneComponents.parser, SceneComponents.format] + coded
        func times(_ s: Scene) -> [Double] { [0, 0.25, 0.5, 0.75, 1].map { $0 * s.duration } }
        var out: [ComponentGuard.Observation] = []

        // Agents: the offline Planner on every brief, the offline Coder's scenes.
        var storyboards = ""
        for file in GoldenFrameTests.lessonFiles {
            let lesson = try LessonParser.load(path: file)
            for section in lesson.sections where section.brief != nil && section.lectureLines == nil && section.scene == nil {
                let request = PlanRequest(lessonTitle: lesson.title, audience: lesson.audience, sectionTitle: section.title, brief: section.brief ?? "")
                storyboards += ComponentGuard.describe(try await OfflinePlanner().plan(request))
            }
        }
        out.append(.init(component: offlinePlanner, parts: [], fingerprint: digest(storyboards)))
        out.append(.init(component: offlineCoder, parts: [SceneComponents.parser, SceneComponents.format, offlinePlanner],
                         fingerprint: digest(scenes.filter { !$0.authored }.map { ComponentGuard.describe($0.scene) }.joined())))
        out.append(.init(component: SceneComponents.parser, parts: [SceneComponents.format],
                         fingerprint: digest(scenes.filter(\.authored).map { ComponentGuard.describe($0.scene) }.joined())))

        // Evaluator and geometry: draw items over time, and the look once everything has entered.
        var frames = "", ends = "", findings = "", cues = "", timelines = ""
        for (lesson, _, _, scene) in scenes {
            let evaluator = try SceneEvaluator(scene: scene, theme: lesson.theme)
            for t in times(scene) { frames += ComponentGuard.describe(evaluator.frame(at: t)) }
            ends += ComponentGuard.describe(try SceneEvaluator(scene: scene, theme: lesson.theme).frame(at: scene.duration))
            findings += LayoutCheck.run(scene, theme: lesson.theme, measurer: ApproximateTextMeasurer(), outputHeight: 180)
                .map(\.description).joined(separator: "\n")
            cues += WebVTT.document(sections: [SectionCues(scene: scene, spoken: nil)], starts: [0], fps: 10)
            let speech = scene.lines.indices.map { LineSpeech(duration: 2.0 + 0.7 * Double($0), marks: [:]) }
            let timed = scene.narrated(speech, gap: 0.4).scene
            timelines += ComponentGuard.describe((timed.lines, timed.timeline, timed.duration))
            timelines += times(timed).map { "\(timed.sourceTime($0))" }.joined(separator: ",")
        }
        out.append(.init(component: SceneComponents.timeline, parts: sceneParts, fingerprint: digest(timelines)))
        // Loudness: a synthetic voice-like signal (a chirp with bursts) normalised.
        let chirp = (0..<66150).map { i -> Float in
            let t = Double(i) / 22050
            return Float(0.3 * sin(2 * Double.pi * (200 + 400 * t) * t) * (sin(2 * Double.pi * 3 * t) > 0 ? 1 : 0.1))
        }
        let normalized = Loudness.normalized(chirp, sampleRate: 22050)
        out.append(.init(component: ComponentVersion("speech.loudness", 1), parts: [],
                         fingerprint: Digest.of(Speech(sampleRate: 22050, samples: normalized).pcm).hex))
        out.append(.init(component: SceneComponents.evaluator, parts: sceneParts + [SceneComponents.geometry], fingerprint: digest(frames)))
        out.append(.init(component: SceneComponents.geometry, parts: sceneParts + [SceneComponents.evaluator], fingerprint: digest(ends)))
        out.append(.init(component: SceneComponents.layoutCheck, parts: sceneParts + [SceneComponents.evaluator, SceneComponents.geometry],
                         fingerprint: digest(findings)))
        out.append(.init(component: WebVTT.component, parts: sceneParts, fingerprint: digest(cues)))

        // Typesetting and measuring.
        let formulas = [#"e^{i\pi} + 1 = 0"#, #"\frac{4}{\pi}\sum_{k=1}^{\infty}\frac{\sin((2k-1)x)}{2k-1}"#,
                        #"\int_{-\pi}^{\pi} f(x)\,dx"#, #"a_n = \frac{1}{\pi}\int f(x)\cos(nx)\,dx"#,
                        #"\begin{pmatrix} a & b \\ c & d \end{pmatrix}"#, #"\sqrt{x^2 + y^2}"#]
        let typesetter = try MathTypesetter()
        var boxes = try goldenDigest("\(root)/Tests/C2VMathTests/Golden")
        for formula in formulas { boxes += ComponentGuard.describe(try typesetter.layout(formula, fontSize: 48, display: true)) }
        out.append(.init(component: MathTypesetter.component, parts: [], fingerprint: digest(boxes)))
        let measurer = try PangoTextMeasurer(fontFamily: Theme.default.font, width: 320, height: 180)
        var sizes = ""
        for (text, size, bold) in [("Sums of sines", 54.0, false), ("A square wave jumps", 40, true), ("x² + y² = r²", 36, false)] {
            let (w, h) = measurer.measure(text, fontSize: size, bold: bold, wrapWidth: nil)
            sizes += "\(text) \(w) \(h)\n"
        }
        let wrapped = measurer.measure("Add odd harmonics one at a time and watch the corners sharpen", fontSize: 40, bold: false, wrapWidth: 500)
        sizes += "wrapped \(wrapped.width) \(wrapped.height)\n"
        out.append(.init(component: PangoTextMeasurer.component, parts: [MathTypesetter.component], fingerprint: digest(sizes)))

        // Highlighting: the role mapping and shipped definitions on a sample of each language.
        let samples = [("python", "def f(x):\n    return x * 2  # twice\n"), ("c", "#include <stdio.h>\nint main(void) { return 0; }\n"),
                       ("swift", "let x: Int = 42 // answer\nfunc f() -> String { \"s\" }\n"),
                       ("javascript", "const f = (a) => `${a}`; // arrow\nlet n = 0x1F;\n")]
        var spans = ""
        for (language, code) in samples { spans += ComponentGuard.describe(try CodeHighlighter.highlight(code, language: language)) }
        out.append(.init(component: CodeHighlighter.component, parts: [], fingerprint: digest(spans)))

        // Drawing: small frames of every section, and the golden frames.
        var pixels = try goldenDigest("\(root)/Tests/C2VPipelineTests/Golden")
        for (lesson, _, _, scene) in scenes {
            let renderer = try FrameRenderer(scene: scene, theme: lesson.theme, width: 160, height: 90)
            for t in [scene.duration * 0.5, max(0, scene.duration - 0.05)] {
                pixels += Digest.of(Data(try PixelImage(renderer, at: t).pixels)).hex
            }
        }
        out.append(.init(component: FrameRenderer.component,
                         parts: sceneParts + [SceneComponents.evaluator, SceneComponents.geometry, MathTypesetter.component],
                         fingerprint: digest(pixels)))
        return out
    }

    @Test func everyComponentsOutputMatchesItsRecordedVersion() async throws {
        let observed = try await Self.observations()
        if Self.recording {
            try ComponentGuard.save(observed, to: Self.table)
            return
        }
        let recorded = try ComponentGuard.load(Self.table)
        for observation in observed {
            let verdict = ComponentGuard.verdict(recorded: recorded[observation.component.name], observed: observation)
            #expect(verdict.passes, "\(verdict)")
        }
        // Every component a lesson step runs is guarded (the encoder's settings and libraries
        // are inputs of render keys; its Swift side has no fixture output here).
        let guarded = Set(observed.map(\.component.name))
        // espeak-ng's samples depend on what the process said before, so its driver has no stable
        // fingerprint; its key also names the installed engine's version.
        let unguarded: Set = ["encode.segment", "encode.join", SceneComponents.format.name, "speech.espeak"]
        for (kind, components) in LessonSteps.components {
            for component in components where !guarded.contains(component.name) && !unguarded.contains(component.name) {
                Issue.record("\(kind) runs \(component.name), which the version guard does not cover")
            }
        }
    }

    @Test func aGoldenChangedWithoutABumpFailsNamingTheVersionToBump() throws {
        // Fixture: a copy of the render goldens, a table recorded from it, then one golden re-recorded.
        let folder = try TestFiles.temporaryDirectory("c2v-guard")
        let goldens = "\(Self.root)/Tests/C2VPipelineTests/Golden"
        for name in try FileManager.default.contentsOfDirectory(atPath: goldens).sorted().prefix(3) {
            try FileManager.default.copyItem(atPath: "\(goldens)/\(name)", toPath: "\(folder)/\(name)")
        }
        let renderer = ComponentVersion("render.frames", 5), geometry = ComponentVersion("scene.geometry", 2)
        func observe(_ renderer: ComponentVersion, _ geometry: ComponentVersion) throws -> ComponentGuard.Observation {
            .init(component: renderer, parts: [geometry], fingerprint: Self.digest(try Self.goldenDigest(folder)))
        }
        let tablePath = "\(folder)/table.json"
        try ComponentGuard.save([try observe(renderer, geometry)], to: tablePath)
        let table = try ComponentGuard.load(tablePath)
        #expect(ComponentGuard.verdict(recorded: table["render.frames"], observed: try observe(renderer, geometry)).passes)

        let first = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".png") }.sorted().first)
        try TestFiles.flipByteKeepingTimes("\(folder)/\(first)")
        let stale = ComponentGuard.verdict(recorded: table["render.frames"], observed: try observe(renderer, geometry))
        #expect(stale == .changedWithoutBump(component: "render.frames", version: 5, parts: ["scene.geometry"]))
        #expect(!stale.passes)
        #expect(stale.description.contains("bump render.frames to 6"))

        // Bumping the renderer (or the part that changed) turns it into a request to re-record.
        #expect(ComponentGuard.verdict(recorded: table["render.frames"], observed: try observe(ComponentVersion("render.frames", 6), geometry))
                == .needsRecording("render.frames"))
        #expect(ComponentGuard.verdict(recorded: table["render.frames"], observed: try observe(renderer, ComponentVersion("scene.geometry", 3)))
                == .needsRecording("render.frames"))
        #expect(ComponentGuard.verdict(recorded: nil, observed: try observe(renderer, geometry)) == .notRecorded("render.frames"))
    }
}
