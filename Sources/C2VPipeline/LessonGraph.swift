import C2VAgents
import C2VBuild
import C2VEncode
import C2VLesson
import C2VRender
import C2VScene
import C2VUtil
import Foundation

/// A step the author made unnecessary (their `lecture_lines` or `scene` stands in for it).
public struct AuthorProvidedStep: Sendable {
    public var id: StepID
    public var reason: String
}

/// One lesson's graph, plus what the report needs to know about it.
public struct LessonPlan: Sendable {
    public var lesson: Lesson
    public var graph: BuildGraph
    public var authorProvided: [AuthorProvidedStep]
    public var outputDirectory: String
    public var videoPath: String
    /// The model each agent step kind uses (`plan`, `code`), for the report; empty offline.
    public var agentModels: [String: String] = [:]
}

/// Settings that shape steps but never enter a key unless a step reads them.
public struct PipelineSettings: Sendable {
    public var outputRoot: String
    /// Testing aid: the step id (e.g. `render(intro)`) made to fail, from `C2V_INJECT_FAULT`.
    public var injectedFault: String?
    public var agents: AgentOptions
    /// Each section's sample index (see `SampleBook`), by section id.
    var samples: [String: Int] = [:]

    public init(outputRoot: String, injectedFault: String? = nil, agents: AgentOptions = AgentOptions()) {
        self.outputRoot = outputRoot
        self.injectedFault = injectedFault
        self.agents = agents
    }
}

/// Wires a lesson's sections into steps: `plan -> code -> critique -> render` per section,
/// in declared order, then one `assemble`.
public enum LessonGraphBuilder {
    static let jsonEncoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func encodeJSON<T: Encodable>(_ value: T) throws -> Data { try jsonEncoder.encode(value) }

    public static func plan(_ lesson: Lesson, settings: PipelineSettings) throws -> LessonPlan {
        let agents = lesson.agents.overridden(by: settings.agents.overrides)
        let video = lesson.video
        let theme = lesson.theme
        let planner: any Planner
        let coder: any Coder
        switch agents.provider {
        case .offline:
            planner = OfflinePlanner()
            coder = OfflineCoder()
        case .openai:
            let client = OpenAIClient(settings: settings.agents.llmSettings(agents), budget: settings.agents.budget)
            planner = LLMPlanner(client: client)
            // The Coder repairs what the Critic rejects, measured as this lesson will be drawn.
            let critic: @Sendable (Scene) throws -> [Finding] = { scene in
                let measurer = try PangoTextMeasurer(fontFamily: theme.font, mathFont: theme.mathFont, width: video.width,
                                                     height: video.height)
                return LayoutCheck.run(scene, theme: theme, measurer: measurer, outputHeight: video.height)
            }
            // With `critic: vision`, a vision model also reviews keyframes of each coded scene.
            var keyframes: (@Sendable (Scene) throws -> [Data])?
            if agents.critic == "vision" {
                keyframes = { @Sendable scene in try Keyframes.png(scene, theme: theme) }
            }
            coder = LLMCoder(client: client, critic: critic, keyframes: keyframes)
        }
        let fault = settings.injectedFault
        var steps: [StepSpec] = []
        var authorProvided: [AuthorProvidedStep] = []
        var sceneErrors: [C2VError] = []
        let encoder = EncoderSettings(width: video.width, height: video.height, fps: video.fps,
                                      quality: EncoderQuality(rawValue: video.quality.rawValue) ?? .standard)
        let outputDirectory = "\(settings.outputRoot)/\(lesson.name)"
        let videoPath = "\(outputDirectory)/\(lesson.name).mp4"

        let injectFault: @Sendable (StepID) throws -> Void = { id in
            if let fault, fault == id.description {
                throw C2VError(.buildFailed, "injected fault in \(id) (C2V_INJECT_FAULT)")
            }
        }

        let sceneContext = SceneContext(directory: URL(fileURLWithPath: lesson.file).deletingLastPathComponent().path)
        for section in lesson.sections {
            let planID = StepID(kind: PlanStep.name, target: section.id)
            let codeID = StepID(kind: CodeStep.name, target: section.id)
            let critiqueID = StepID(kind: CritiqueStep.name, target: section.id)
            let hint = section.durationHint.map { "\($0)" } ?? "none"
            let sample = settings.samples[section.id] ?? 0

            // plan + code, or the author's own scene.
            var critiqueInputs: [KeyComponent] = [
                KeyComponent("scene.format", "\(Scene.formatVersion)"),
                KeyComponent("theme.font", theme.font),
                KeyComponent("theme.math_font", theme.mathFont),
                KeyComponent("video.size", "\(video.width)x\(video.height)"),
            ]
            var critiqueDependencies: [StepID] = []
            var authorScene: Scene?
            if let sceneValue = section.scene {
                authorProvided.append(AuthorProvidedStep(id: planID, reason: "author gave scene"))
                authorProvided.append(AuthorProvidedStep(id: codeID, reason: "author gave scene"))
                do {
                    // Parsed now so mistakes are reported before anything runs; the key holds what the
                    // parse reads, field by field, so --explain can name the line that changed.
                    let lines = section.lectureLines ?? []
                    let program = try Self.sceneProgram(sceneValue, lessonFile: lesson.file)
                    authorScene = try SceneParser.parse(program, title: section.title, lectureLines: lines,
                                                        durationHint: section.durationHint, context: sceneContext)
                    critiqueInputs.append(KeyComponent("scene.parser", "\(SceneParser.version)"))
                    critiqueInputs.append(KeyComponent("section.title", section.title))
                    critiqueInputs.append(KeyComponent("duration_hint", hint))
                    critiqueInputs.append(KeyComponent("lecture_lines.count", "\(lines.count)"))
                    for (i, line) in lines.enumerated() { critiqueInputs.append(KeyComponent("lecture_lines[\(i)]", line)) }
                    critiqueInputs.append(KeyComponent("scene", program.canonicalText))
                    // Images travel inside the scene; their bytes are part of what the critique reads.
                    for object in authorScene?.objects ?? [] {
                        if let data = object.imageData { critiqueInputs.append(KeyComponent("image \(object.id)", Digest.of(Data(data)).hex)) }
                    }
                } catch let error as C2VError {
                    sceneErrors.append(error)
                } catch let errors as C2VErrors {
                    sceneErrors += errors.errors
                }
            } else {
                var codeInputs: [KeyComponent] = [
                    KeyComponent("agent", coder.identity),
                    KeyComponent("scene.format", "\(Scene.formatVersion)"),
                    KeyComponent("section.title", section.title),
                    KeyComponent("duration_hint", hint),
                ]
                var codeDependencies: [StepID] = []
                let authorLines = section.lectureLines
                if let lines = authorLines {
                    authorProvided.append(AuthorProvidedStep(id: planID, reason: "author gave lecture_lines"))
                    // No plan step: a fresh sample is a fresh scene.
                    if sample > 0 { codeInputs.append(KeyComponent("sample", "\(sample)")) }
                    let animations = section.animations ?? []
                    codeInputs.append(KeyComponent("lecture_lines.count", "\(lines.count)"))
                    for (i, line) in lines.enumerated() { codeInputs.append(KeyComponent("lecture_lines[\(i)]", line)) }
                    codeInputs.append(KeyComponent("animations.count", "\(animations.count)"))
                    for (i, a) in animations.enumerated() { codeInputs.append(KeyComponent("animations[\(i)]", a)) }
                } else {
                    let request = PlanRequest(lessonTitle: lesson.title, audience: lesson.audience,
                                              sectionTitle: section.title, brief: section.brief ?? "")
                    var planInputs = [
                        KeyComponent("agent", planner.identity),
                        KeyComponent("lesson.title", request.lessonTitle),
                        KeyComponent("lesson.audience", request.audience ?? ""),
                        KeyComponent("section.title", request.sectionTitle),
                        KeyComponent("brief", request.brief),
                    ]
                    if sample > 0 { planInputs.append(KeyComponent("sample", "\(sample)")) }
                    steps.append(StepSpec(PlanStep.self, target: section.id, pool: .agent, inputs: planInputs) { context in
                        try injectFault(context.id)
                        let usage = UsageSink()
                        let storyboard = try await planner.plan(request, usage: usage)
                        return StepProduct(outputs: ["storyboard": .data(try encodeJSON(storyboard))], metrics: usage.metrics)
                    })
                    codeDependencies.append(planID)
                }
                let title = section.title
                let durationHint = section.durationHint
                let animations = section.animations
                steps.append(StepSpec(
                    CodeStep.self, target: section.id, pool: .agent, inputs: codeInputs, dependencies: codeDependencies
                ) { context in
                    try injectFault(context.id)
                    let storyboard: Storyboard
                    if let lines = authorLines {
                        storyboard = Storyboard(lectureLines: lines, animations: animations ?? lines)
                    } else {
                        storyboard = try JSONDecoder().decode(Storyboard.self, from: try context.data("storyboard", of: planID))
                    }
                    let usage = UsageSink()
                    let codeRequest = CodeRequest(sectionTitle: title, storyboard: storyboard, durationHint: durationHint)
                    let scene = try await coder.code(codeRequest, usage: usage)
                    return StepProduct(outputs: ["scene": .data(try encodeJSON(scene))], metrics: usage.metrics)
                })
                critiqueDependencies.append(codeID)
            }

            // critique: the static layout check.
            let checkedAuthorScene = authorScene
            steps.append(StepSpec(
                CritiqueStep.self, target: section.id, pool: .cpu, inputs: critiqueInputs, dependencies: critiqueDependencies
            ) { context in
                try injectFault(context.id)
                let sceneData = try checkedAuthorScene.map { try encodeJSON($0) } ?? context.data("scene", of: codeID)
                let scene = try JSONDecoder().decode(Scene.self, from: sceneData)
                let findings = try await runBlocking {
                    LayoutCheck.run(scene, theme: theme,
                                    measurer: try PangoTextMeasurer(fontFamily: theme.font, mathFont: theme.mathFont, width: video.width, height: video.height),
                                    outputHeight: video.height)
                }
                let errors = findings.filter { $0.severity == .error }
                if !errors.isEmpty {
                    throw C2VError(.buildFailed, "layout check found \(errors.count) error\(errors.count == 1 ? "" : "s") in section `\(context.id.target ?? "")`:\n"
                                   + errors.map { "  \($0)" }.joined(separator: "\n"))
                }
                return StepProduct(outputs: ["scene": .data(sceneData), "findings": .data(try encodeJSON(findings))],
                                   warnings: findings.map(\.description))
            })

            // render: draw + encode one segment, plus a poster frame.
            steps.append(StepSpec(
                RenderStep.self, target: section.id, pool: .cpu,
                inputs: [
                    KeyComponent("renderer", "\(FrameRenderer.version)"),
                    KeyComponent("scene.format", "\(Scene.formatVersion)"),
                    KeyComponent("encoder", encoder.fingerprint),
                    KeyComponent("theme.background", theme.background.hex),
                    KeyComponent("theme.text", theme.text.hex),
                    KeyComponent("theme.accents", theme.accents.map(\.hex).joined(separator: ",")),
                    KeyComponent("theme.font", theme.font),
                    KeyComponent("theme.math_font", theme.mathFont),
                ],
                dependencies: [critiqueID]
            ) { context in
                try injectFault(context.id)
                let scene = try JSONDecoder().decode(Scene.self, from: try context.data("scene", of: critiqueID))
                let segment = "\(context.scratch)/segment.mp4"
                let poster = "\(context.scratch)/poster.png"
                try await runBlocking {
                    let renderer = try FrameRenderer(scene: scene, theme: theme, width: video.width, height: video.height)
                    let frames = scene.frameCount(fps: video.fps)
                    try SegmentEncoder.encode(to: segment, settings: encoder, frameCount: frames, draw: { index, pixels, stride in
                        try renderer.draw(at: Double(index) / Double(video.fps), into: pixels, stride: stride)
                    }, progress: { done in context.progress(done, of: frames) })
                    try renderer.writePNG(at: SectionTiming.posterTime(scene), to: poster)
                }
                return StepProduct(outputs: ["segment": .file(segment), "poster": .file(poster)])
            })
        }
        try C2VErrors.throwIfAny(sceneErrors)

        steps.append(assembleStep(lesson, outputDirectory: outputDirectory, videoPath: videoPath, fps: video.fps,
                                  injectFault: injectFault))
        var plan = LessonPlan(lesson: lesson, graph: try BuildGraph(scope: lesson.name, steps: steps),
                              authorProvided: authorProvided, outputDirectory: outputDirectory, videoPath: videoPath)
        if agents.provider == .openai {
            let llm = settings.agents.llmSettings(agents)
            plan.agentModels = [PlanStep.name: llm.model(for: "planner"), CodeStep.name: llm.model(for: "coder")]
        }
        return plan
    }

    /// A section's scene program: the `scene:` mapping itself, or the `*.scene.yaml` file it names
    /// (relative to the lesson, inside its folder).
    static func sceneProgram(_ value: YAMLValue, lessonFile: String) throws -> YAMLValue {
        guard case .scalar(let name, let at) = value else { return value }
        guard name.hasSuffix(".scene.yaml"), !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
            throw C2VError(.invalidInput, "`scene` must be a scene mapping or the name of a *.scene.yaml file next to the lesson", at: at)
        }
        // Named as the lesson is (relative stays relative), so errors point where the user looks.
        let folder = (lessonFile as NSString).deletingLastPathComponent
        let path = folder.isEmpty ? name : "\(folder)/\(name)"
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw C2VError(.invalidInput, "cannot read scene file `\(name)` next to the lesson", at: at)
        }
        let program = try YAMLReader.read(text, file: path)
        if case .mapping(let entries, _) = program, entries.count == 1, entries[0].key == "scene" { return entries[0].value }
        return program
    }

    /// Joins the segments, writes chapters, subtitles, the poster and a summary.
    static func assembleStep(
        _ lesson: Lesson, outputDirectory: String, videoPath: String, fps: Int,
        injectFault: @escaping @Sendable (StepID) throws -> Void
    ) -> StepSpec {
        let sections = lesson.sections.map { (id: $0.id, title: $0.title) }
        var inputs = [KeyComponent("lesson", lesson.name), KeyComponent("sections.count", "\(sections.count)")]
        var dependencies: [StepID] = []
        for (i, section) in sections.enumerated() {
            inputs.append(KeyComponent("sections[\(i)].id", section.id))
            inputs.append(KeyComponent("sections[\(i)].title", section.title))
            dependencies.append(StepID(kind: CritiqueStep.name, target: section.id))
            dependencies.append(StepID(kind: RenderStep.name, target: section.id))
        }
        return StepSpec(
            AssembleStep.self, target: nil, pool: .cpu, inputs: inputs, dependencies: dependencies,
            materialize: [
                "video": videoPath,
                "subtitles": "\(outputDirectory)/\(lesson.name).vtt",
                "poster": "\(outputDirectory)/poster.png",
            ]
        ) { context in
            try injectFault(context.id)
            var joinInputs: [JoinInput] = []
            var scenes: [Scene] = []
            for section in sections {
                let render = StepID(kind: RenderStep.name, target: section.id)
                let critique = StepID(kind: CritiqueStep.name, target: section.id)
                joinInputs.append(JoinInput(path: try context.path("segment", of: render), chapterTitle: section.title))
                scenes.append(try JSONDecoder().decode(Scene.self, from: try context.data("scene", of: critique)))
            }
            let video = "\(context.scratch)/video.mp4"
            let segments = joinInputs
            let joined = try await runBlocking { try SegmentJoiner.join(segments, to: video) }
            let vtt = WebVTT.document(scenes: scenes, starts: joined.segmentStartSeconds, fps: fps)
            let poster = try context.data("poster", of: StepID(kind: RenderStep.name, target: sections[0].id))
            let summary = AssemblySummary(
                frameCount: joined.frameCount, durationSeconds: joined.durationSeconds,
                chapters: zip(sections, joined.segmentStartSeconds).map { AssemblySummary.Chapter(section: $0.0.id, title: $0.0.title, start: $0.1) })
            return StepProduct(outputs: [
                "video": .file(video), "subtitles": .data(Data(vtt.utf8)), "poster": .data(poster),
                "summary": .data(try encodeJSON(summary)),
            ])
        }
    }
}

/// What `assemble` learned about the joined video; the report reads it even when assemble was cached.
public struct AssemblySummary: Codable, Sendable {
    public struct Chapter: Codable, Sendable {
        public var section: String
        public var title: String
        public var start: Double
    }
    public var frameCount: Int
    public var durationSeconds: Double
    public var chapters: [Chapter]
}

enum SectionTiming {
    /// A moment when the first line's visuals have finished entering.
    static func posterTime(_ scene: Scene) -> Double {
        guard let first = scene.lines.first else { return scene.duration / 2 }
        return max(0, min(first.end - 0.5, first.start + SceneObject.entranceSeconds + 0.8, scene.duration))
    }
}
