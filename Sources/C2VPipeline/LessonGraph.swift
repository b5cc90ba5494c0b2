import C2VAgents
import C2VBuild
import C2VEncode
import C2VLesson
import C2VNarration
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
    /// The lesson's agents, provided to its steps as a service.
    var agents = AgentDirectory()
    /// The lesson's speech endpoint clients (`narration.engine: openai`).
    var narrators = NarratorClients()
    /// The version of the course it was planned in (`ShardCosts.fingerprint`); its cost is
    /// recorded under it.
    public var course: String?
    /// Where each author scene's objects are written, by section id: what the Critic's findings
    /// are located by when they are shown. Not an input of any step, so moving a section in its
    /// file, or the lesson to another folder, changes no key.
    public var objectLocations: [String: [String: SourceLocation]] = [:]
}

/// Settings that shape steps but never enter a key unless a step reads them.
public struct PipelineSettings: Sendable {
    public var outputRoot: String
    public var agents: AgentOptions
    /// Each section's sample index (see `SampleBook`), by section id.
    var samples: [String: Int] = [:]

    public init(outputRoot: String, agents: AgentOptions = AgentOptions()) {
        self.outputRoot = outputRoot
        self.agents = agents
    }
}

/// Wires a lesson's sections into steps: `plan -> code -> critique -> render` per section,
/// in declared order, then one `assemble`. It only wires: each step's key and work live in
/// its own type under `Steps/`, and what a step reads is exactly its `Inputs` value.
public enum LessonGraphBuilder {
    public static func plan(_ lesson: Lesson, settings: PipelineSettings) throws -> LessonPlan {
        let agentSettings = lesson.agents.overridden(by: settings.agents.overrides)
        let (planner, coder) = makeAgents(agentSettings, lesson: lesson, settings: settings)
        var directory = AgentDirectory()
        directory.planners[planner.identity] = planner
        directory.coders[coder.identity] = coder
        let video = lesson.video
        let theme = lesson.theme
        let encoder = EncoderSettings(width: video.width, height: video.height, fps: video.fps,
                                      quality: EncoderQuality(video.quality))
        var steps: [StepSpec] = []
        var authorProvided: [AuthorProvidedStep] = []
        var sceneErrors: [C2VError] = []
        var objectLocations: [String: [String: SourceLocation]] = [:]
        var narrators = NarratorClients()
        let outputDirectory = "\(settings.outputRoot)/\(lesson.name)"
        let videoPath = "\(outputDirectory)/\(lesson.name).mp4"
        let sceneContext = SceneContext(directory: URL(fileURLWithPath: lesson.file).deletingLastPathComponent().path)

        for section in lesson.sections {
            let planID = StepID(kind: PlanStep.kind, target: section.id)
            let codeID = StepID(kind: CodeStep.kind, target: section.id)
            let critiqueID = StepID(kind: CritiqueStep.kind, target: section.id)
            let sample = settings.samples[section.id].flatMap { $0 > 0 ? $0 : nil }
            var critique = CritiqueStep.Inputs(theme: theme, width: video.width, height: video.height)
            var critiqueDependencies: [StepID] = []
            if let sceneValue = section.scene {
                authorProvided.append(AuthorProvidedStep(id: planID, reason: "author gave scene"))
                authorProvided.append(AuthorProvidedStep(id: codeID, reason: "author gave scene"))
                do {
                    // Parsed now so mistakes are reported before anything runs.
                    let lines = section.lectureLines ?? []
                    let program = try Self.sceneProgram(sceneValue, lessonFile: lesson.file)
                    critique.scene = try SceneParser.parse(program, title: section.title, lectureLines: lines,
                                                           durationHint: section.durationHint, context: sceneContext)
                    critique.lectureLines = lines
                    critique.sectionTitle = section.title
                    critique.durationHint = section.durationHint
                    objectLocations[section.id] = SceneParser.objectLocations(program)
                } catch let error as C2VError {
                    sceneErrors.append(error)
                } catch let errors as C2VErrors {
                    sceneErrors += errors.errors
                }
            } else {
                var code = CodeStep.Inputs(agent: coder.identity, sectionTitle: section.title, durationHint: section.durationHint)
                var codeDependencies: [StepID] = []
                if let lines = section.lectureLines {
                    authorProvided.append(AuthorProvidedStep(id: planID, reason: "author gave lecture_lines"))
                    code.lectureLines = lines
                    code.animations = section.animations ?? lines
                    // No plan step: a fresh sample is a fresh scene.
                    code.sample = sample
                } else {
                    let inputs = PlanStep.Inputs(agent: planner.identity, lessonTitle: lesson.title, audience: lesson.audience,
                                                 sectionTitle: section.title, brief: section.brief ?? "", sample: sample)
                    steps.append(try StepSpec(PlanStep.self, target: section.id, inputs: inputs))
                    codeDependencies.append(planID)
                }
                steps.append(try StepSpec(CodeStep.self, target: section.id, inputs: code, dependencies: codeDependencies))
                critiqueDependencies.append(codeID)
            }
            steps.append(try StepSpec(CritiqueStep.self, target: section.id, inputs: critique, dependencies: critiqueDependencies))
            var render = RenderStep.Inputs(theme: theme, encoder: encoder, encoderBuild: encoder.fingerprint)
            var renderDependencies = [critiqueID]
            let narration = lesson.narration
            if narration.enabled {
                // The author's lines are spoken as written (`say:` where given); a brief's come from `plan`.
                let authored = section.lectureLines.map { lines in
                    lines.indices.map { i in section.spokenLines?[i] ?? lines[i] }
                } ?? (section.scene != nil ? [] : nil)
                var speak = SpeakStep.Inputs(engine: narration.engine, engineVersion: ESpeakEngine.installedVersion ?? "not installed",
                                             voice: narration.voice, rate: narration.rate, language: narration.language, lines: authored)
                var isolation: Isolation?
                if narration.engine == .openai, let model = narration.model, let baseURL = narration.baseURL {
                    // The endpoint's client holds the key, so these lines are spoken in this process.
                    var llm = settings.agents.llmSettings(lesson.agents)
                    llm.baseURL = baseURL
                    llm.model = model
                    let client = OpenAIClient(settings: llm, budget: settings.agents.budget)
                    speak.engineVersion = "openai-speech/1"
                    speak.model = model
                    speak.endpoint = llm.endpoint
                    narrators.clients[llm.endpoint] = client
                    isolation = .inProcess
                }
                steps.append(try StepSpec(SpeakStep.self, target: section.id, inputs: speak,
                                          dependencies: authored == nil ? [planID] : [], isolation: isolation))
                renderDependencies.append(StepID(kind: SpeakStep.kind, target: section.id))
                render.narrationGap = narration.gap
                render.durationHint = section.durationHint
            }
            steps.append(try StepSpec(RenderStep.self, target: section.id, inputs: render, dependencies: renderDependencies))
        }
        try C2VErrors.throwIfAny(sceneErrors)

        let sections = lesson.sections.map { AssembleStep.Inputs.Section(id: $0.id, title: $0.title) }
        steps.append(try StepSpec(
            AssembleStep.self, target: nil, inputs: AssembleStep.Inputs(sections: sections, fps: video.fps),
            dependencies: AssembleStep.dependencies(sections.map(\.id)),
            materialize: [
                .video: videoPath,
                .subtitles: "\(outputDirectory)/\(lesson.name).vtt",
                .poster: "\(outputDirectory)/poster.png",
            ],
            retained: [.summary]))
        var plan = LessonPlan(lesson: lesson, graph: try BuildGraph(scope: lesson.name, steps: steps),
                              authorProvided: authorProvided, outputDirectory: outputDirectory, videoPath: videoPath)
        plan.agents = directory
        plan.objectLocations = objectLocations
        plan.narrators = narrators
        if agentSettings.provider == .openai {
            let llm = settings.agents.llmSettings(agentSettings)
            plan.agentModels = [PlanStep.kind: llm.model(for: .planner), CodeStep.kind: llm.model(for: .coder)]
        }
        if lesson.narration.enabled, lesson.narration.engine == .openai, let model = lesson.narration.model {
            plan.agentModels[SpeakStep.kind] = model
        }
        return plan
    }

    /// The lesson's Planner and Coder: offline, or LLM agents whose Coder repairs what the Critic
    /// rejects, measured as this lesson will be drawn.
    static func makeAgents(_ agents: AgentSettings, lesson: Lesson, settings: PipelineSettings) -> (any Planner, any Coder) {
        switch agents.provider {
        case .offline:
            return (OfflinePlanner(), OfflineCoder())
        case .openai:
            let video = lesson.video, theme = lesson.theme
            let client = OpenAIClient(settings: settings.agents.llmSettings(agents), budget: settings.agents.budget)
            let critic: @Sendable (Scene) throws -> [Finding] = { scene in
                let measurer = try PangoTextMeasurer(fontFamily: theme.font, mathFont: theme.mathFont, width: video.width,
                                                     height: video.height)
                return LayoutCheck.run(scene, theme: theme, measurer: measurer, outputHeight: video.height)
            }
            // With `critic: vision`, a vision model also reviews keyframes of each coded scene.
            var keyframes: (@Sendable (Scene) throws -> [Data])?
            if agents.critic == .vision {
                keyframes = { @Sendable scene in try Keyframes.png(scene, theme: theme) }
            }
            return (LLMPlanner(client: client), LLMCoder(client: client, critic: critic, keyframes: keyframes))
        }
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
        let data: Data
        do {
            data = try InputFile.read(path, limit: YAMLReader.maximumBytes, inside: folder)
        } catch {
            throw C2VError(.invalidInput, "scene file `\(name)` \(error)", at: at)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw C2VError(.invalidInput, "scene file `\(name)` is not UTF-8 text", at: at)
        }
        let program = try YAMLReader.read(text, file: path)
        if case .mapping(let entries, _) = program, entries.count == 1, entries[0].key == "scene" { return entries[0].value }
        return program
    }
}

extension EncoderQuality {
    /// Every lesson quality has its encoder quality; a new one must be mapped here to compile.
    init(_ quality: VideoQuality) {
        switch quality {
        case .draft: self = .draft
        case .standard: self = .standard
        case .balanced: self = .balanced
        case .high: self = .high
        }
    }
}

extension LessonPlan {
    /// The scenes the author wrote (inline or in `*.scene.yaml`), parsed when the lesson loaded:
    /// what the critique steps will check, by section. For tools that exercise the scene
    /// language without building (the fuzzer).
    public var authorScenes: [(section: String, scene: Scene)] {
        graph.steps.compactMap { spec in
            guard spec.id.kind == CritiqueStep.kind,
                  let inputs = try? JSONDecoder().decode(CritiqueStep.Inputs.self, from: spec.inputs.json),
                  let scene = inputs.scene else { return nil }
            return (spec.id.target ?? "", scene)
        }
    }
}
