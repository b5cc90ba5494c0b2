import Foundation
import Testing
import C2VBuild
import C2VLesson
import C2VUtil
import C2VTestSupport
@testable import C2VPipeline

let lessonText = """
    c2v: 1
    title: Graph Test
    video: {size: 320x180, fps: 10, quality: draft}
    sections:
      - id: s10
        title: Ten
        brief: Sines add up.
      - id: s2
        title: Two
        lecture_lines: [One line]
        animations: [Plot a sine wave]
      - id: hand
        title: Hand written
        lecture_lines: [Look]
        scene:
          objects:
            - {id: c, kind: circle, at: B2}
    """

func writeLesson(_ text: String = lessonText, name: String = "graph.yaml") throws -> String {
    try TestFiles.writeLesson(text, name: name)
}

func plan(_ path: String) throws -> LessonPlan {
    try LessonGraphBuilder.plan(try LessonParser.load(path: path), settings: PipelineSettings(outputRoot: "build"))
}

@Suite struct LessonGraphTests {
    @Test func stepsFollowDeclaredSectionOrder() throws {
        let p = try plan(try writeLesson())
        #expect(p.graph.steps.map(\.id.description) == [
            "plan(s10)", "code(s10)", "critique(s10)", "speak(s10)", "render(s10)",
            "code(s2)", "critique(s2)", "speak(s2)", "render(s2)",
            "critique(hand)", "speak(hand)", "render(hand)",
            "assemble",
        ])
        // A brief's lines are spoken once `plan` wrote them; render waits for the voice.
        #expect(p.graph.steps.first { $0.id.description == "speak(s10)" }?.dependencies.map(\.description) == ["plan(s10)"])
        #expect(p.graph.steps.first { $0.id.description == "speak(s2)" }?.dependencies.isEmpty == true)
        #expect(p.graph.steps.first { $0.id.description == "render(s2)" }?.dependencies.map(\.description) == ["critique(s2)", "speak(s2)"])
        #expect(p.authorProvided.map(\.id.description) == ["plan(s2)", "plan(hand)", "code(hand)"])
        #expect(p.graph.steps.first { $0.id.description == "plan(s10)" }?.pool == .agent)
        #expect(p.graph.steps.first { $0.id.description == "render(s10)" }?.pool == .cpu)
    }

    @Test func keyInputsHoldNoPathsOrEnvironment() throws {
        let path = try writeLesson()
        let directory = (path as NSString).deletingLastPathComponent
        setenv("C2V_API_KEY", "sk-test-secret-value-123456", 1)
        defer { unsetenv("C2V_API_KEY") }
        let p = try plan(path)
        let secrets = ProcessInfo.processInfo.environment.values.filter { $0.count >= 12 }
        for step in p.graph.steps {
            for component in step.inputs.fields {
                #expect(!component.value.contains(directory), "\(step.id) \(component.name) holds a path")
                #expect(!component.value.contains(FileManager.default.currentDirectoryPath + "/"), "\(step.id) \(component.name) holds the cwd")
                for secret in secrets {
                    #expect(!component.value.contains(secret), "\(step.id) \(component.name) holds an environment value")
                }
            }
        }
    }

    @Test func sameLessonInTwoFoldersHasTheSameKeyInputs() throws {
        let a = try plan(try writeLesson())
        let b = try plan(try writeLesson())
        #expect(a.graph.steps.map(\.inputs) == b.graph.steps.map(\.inputs))
    }

    @Test func editingOneLineChangesOnlyThatSectionsCodeInputs() throws {
        let a = try plan(try writeLesson())
        let b = try plan(try writeLesson(lessonText.replacingOccurrences(of: "[One line]", with: "[One new line]")))
        let changed = zip(a.graph.steps, b.graph.steps).filter { $0.inputs != $1.inputs }.map(\.0.id.description)
        // The line is shown and spoken: the Coder and the narrator both read it.
        #expect(changed == ["code(s2)", "speak(s2)"])
    }

    /// The Critic evaluates the scene with the theme (colours included), so it reads the whole theme.
    @Test func themeChangeTouchesOnlyCritiqueAndRenderInputs() throws {
        let a = try plan(try writeLesson())
        let b = try plan(try writeLesson(lessonText.replacingOccurrences(of: "quality: draft}", with: "quality: draft}\ntheme: {background: \"#202020\"}")))
        let changed = zip(a.graph.steps, b.graph.steps).filter { $0.inputs != $1.inputs }.map(\.0.id.description)
        #expect(changed == ["critique(s10)", "render(s10)", "critique(s2)", "render(s2)", "critique(hand)", "render(hand)"])
    }

    @Test func authorSceneErrorsCarryPositions() throws {
        let bad = lessonText.replacingOccurrences(of: "kind: circle", with: "kind: circel")
        do {
            _ = try plan(try writeLesson(bad))
            Issue.record("expected an error")
        } catch let error as C2VError {
            #expect(error.location?.line == 17)
            #expect(error.location?.column == 25)
            #expect(error.message.contains("did you mean `circle`"))
        }
    }

    @Test func webVTTTimestampsAndEscaping() {
        #expect(WebVTT.timestamp(3723.5) == "01:02:03.500")
        #expect(WebVTT.escape("a < b & c") == "a &lt; b &amp; c")
    }

    @Test func naturalOrderOfLessonFiles() {
        let names = ["l10.yaml", "l2.yaml", "l1.yaml"].sorted { LessonDiscovery.naturalLess($0, $1) }
        #expect(names == ["l1.yaml", "l2.yaml", "l10.yaml"])
    }
}

@Suite struct ProviderTests {
    let openai = lessonText.replacingOccurrences(
        of: "quality: draft}", with: "quality: draft}\nagents: {provider: openai, model: m1, base_url: \"http://user:pw@127.0.0.1:9/v1?x=1\"}")

    func keyInputs(_ plan: LessonPlan, _ id: String) -> [String: String] {
        let step = plan.graph.steps.first { $0.id.description == id }!
        return Dictionary(step.inputs.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    @Test func agentStepsAreKeyedByModelAndSamplingButNeverTheKeyOrCredentials() throws {
        let path = try writeLesson(openai.replacingOccurrences(of: "user:pw@", with: ""))
        let lesson = try LessonParser.load(path: path)
        let secret = "sk-test-SECRET123"
        let a = try LessonGraphBuilder.plan(lesson, settings: PipelineSettings(outputRoot: "build", agents: AgentOptions(apiKey: secret)))
        let agent = try #require(keyInputs(a, "plan(s10)")["agent"])
        #expect(agent.contains("model=m1") && agent.contains("temperature=0.2") && agent.contains("endpoint=http://127.0.0.1:9/v1 "))
        #expect(!agent.contains("x=1"), "the query is not part of the endpoint: \(agent)")
        for step in a.graph.steps { for input in step.inputs.fields { #expect(!input.value.contains(secret)) } }
        #expect(a.agentModels == ["plan": "m1", "code": "m1"])

        // --model over the lesson: only agent inputs change; critique/render inputs stay.
        var options = AgentOptions(apiKey: secret)
        options.overrides.model = "m2"
        let b = try LessonGraphBuilder.plan(lesson, settings: PipelineSettings(outputRoot: "build", agents: options))
        #expect(keyInputs(b, "plan(s10)")["agent"]?.contains("model=m2") == true)
        #expect(keyInputs(a, "render(s10)") == keyInputs(b, "render(s10)"))
        #expect(keyInputs(a, "critique(hand)") == keyInputs(b, "critique(hand)"))
    }

    @Test func credentialsInTheBaseURLAreRefused() throws {
        do {
            _ = try LessonParser.load(path: try writeLesson(openai))
            Issue.record("expected an error")
        } catch let error as C2VError {
            #expect(error.message == "agents.base_url must not hold credentials; give the API key in C2V_API_KEY")
            #expect(error.location?.line == 4)
        }
    }

    @Test func environmentThenFlagsOverride() {
        let env = ["C2V_BASE_URL": "http://127.0.0.1:1/v1", "C2V_MODEL": "env-model", "OPENAI_API_KEY": "k2"]
        let (flagsOnly, key) = AgentOptions.resolve(environment: env, flags: PartialAgentSettings(model: "flag-model"))
        #expect(flagsOnly.model == "flag-model" && flagsOnly.baseURL == "http://127.0.0.1:1/v1" && flagsOnly.provider == .openai)
        #expect(key == "k2")
        let (_, preferred) = AgentOptions.resolve(environment: env.merging(["C2V_API_KEY": "k1"]) { a, _ in a }, flags: PartialAgentSettings())
        #expect(preferred == "k1")
    }
}
