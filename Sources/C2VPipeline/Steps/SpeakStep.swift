import C2VAgents
import C2VBuild
import C2VLesson
import C2VNarration
import C2VScene
import C2VUtil
import Foundation

/// `speak(section)`: the narrator's voice for each lecture line. Each line is a memo keyed by the
/// engine, its version, the voice, rate and language and the line's words, so an edit to one
/// line re-speaks only that line. Lines come from the author (`lecture_lines`, `say:`) or from
/// the `plan` step's storyboard.
public enum SpeakStep: BuildStep {
    public struct Inputs: Codable, Sendable, Equatable {
        var engine: SpeechEngineKind
        /// The installed engine's version (`ESpeakEngine.installedVersion`).
        var engineVersion: String
        var voice: String
        var rate: Int
        var language: String
        /// The author's spoken lines; nil when they come from `plan`.
        var lines: [String]?
        /// `engine: openai`: the model and the endpoint (without credentials).
        var model: String?
        var endpoint: String?
    }

    /// One line's memo: everything its audio depends on.
    struct LineInputs: Codable {
        var engine: SpeechEngineKind
        var engineVersion: String
        var voice: String
        var rate: Int
        var model: String?
        var endpoint: String?
        var text: String
    }

    /// What `render` needs of each spoken line (its audio is the blob `line-<i>`).
    struct Line: Codable, Sendable, Equatable {
        var text: String
        var sampleRate: Int
        var duration: Double
        var marks: [String: Double]
    }

    struct Narration: Codable, Sendable {
        var lines: [Line]
        static func audio(_ i: Int) -> OutputName { OutputName("line-\(i)") }
    }

    static let lineMeta = OutputName("meta")
    static let lineAudio = OutputName("audio")
    public static let narration = OutputName("narration")

    public static let kind = "speak"
    public static let pool = Pool.cpu
    public static let isolation = Isolation.worker
    /// How c2v drives the engine (marks, trimming) and evens out loudness.
    public static let components = [ComponentVersion("speech.espeak", 1), ComponentVersion("speech.loudness", 1)]

    public static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        let texts: [String]
        if let lines = inputs.lines {
            texts = lines
        } else {
            let storyboard = try context.decode(Storyboard.self, .storyboard, of: StepID(kind: PlanStep.kind, target: context.id.target))
            texts = storyboard.spoken ?? storyboard.lectureLines
        }
        let engine: any SpeechEngine
        let usage = UsageSink()
        switch inputs.engine {
        case .espeakNG: engine = ESpeakEngine(voice: inputs.voice, rate: inputs.rate)
        case .openai:
            guard let model = inputs.model, let endpoint = inputs.endpoint,
                  let client = try context.service(NarratorClients.self).clients[endpoint] else {
                throw C2VError(.internal, "\(context.id) has no speech client for its endpoint")
            }
            engine = EndpointSpeechEngine(client: client, model: model, voice: inputs.voice, usage: usage)
        }
        var lines: [Line] = []
        var outputs: [OutputName: StepOutput] = [:]
        var spoken = 0
        for (i, text) in texts.enumerated() {
            let said = SpokenText(text)
            let key = LineInputs(engine: inputs.engine, engineVersion: inputs.engineVersion, voice: inputs.voice,
                                 rate: inputs.rate, model: inputs.model, endpoint: inputs.endpoint, text: text)
            let memo = try context.memoized("line", components: components, inputs: key) {
                let speech = try engine.speak(said)
                let samples = Loudness.normalized(speech.samples, sampleRate: speech.sampleRate)
                let line = Line(text: said.plain, sampleRate: speech.sampleRate, duration: speech.duration, marks: speech.marks)
                return [lineAudio: Speech(sampleRate: speech.sampleRate, samples: samples).pcm,
                        lineMeta: try ArtifactJSON.encode(line)]
            }
            if !memo.cached { spoken += 1 }
            guard let meta = memo.outputs[lineMeta], let audio = memo.outputs[lineAudio] else {
                throw C2VError(.internal, "the line memo of \(context.id) lost an output")
            }
            lines.append(try JSONDecoder().decode(Line.self, from: context.read(meta)))
            outputs[Narration.audio(i)] = .blob(audio)
            context.progress(i + 1, of: texts.count)
        }
        outputs[narration] = .data(try ArtifactJSON.encode(Narration(lines: lines)))
        var metrics = MetricName.agentMetrics(usage)
        metrics[.linesSpoken] = Double(spoken)
        return StepProduct(outputs: outputs, metrics: metrics)
    }
}

/// The speech endpoints of this build, by endpoint (their credentials never leave the process).
struct NarratorClients: Sendable {
    var clients: [String: OpenAIClient] = [:]
}

/// An OpenAI-compatible speech endpoint as a speech engine: it reports no marks, so they are
/// estimated from their place in the text.
struct EndpointSpeechEngine: SpeechEngine {
    let client: OpenAIClient
    let model: String
    let voice: String
    let usage: UsageSink

    func speak(_ text: SpokenText) throws -> Speech {
        let (wav, cost) = try client.speech(model: model, voice: voice, text: text.plain)
        usage.add(cost)
        let speech = try Speech(wav: wav)
        return Speech(sampleRate: speech.sampleRate, samples: Speech.trimmed(speech.samples)).estimatingMarks(in: text)
    }
}

extension MetricName {
    /// `speak`: lines synthesised in this run (the others came from their memos).
    public static let linesSpoken = MetricName("lines_spoken")
}
