import C2VAgents
import C2VBuild
import C2VCode
import C2VScene
import C2VUtil

/// `code(section)`: the Coder turns a storyboard into a scene program (parsed and validated,
/// never executed). The storyboard is the author's lecture lines, or the `plan` step's output.
public enum CodeStep: BuildStep {
    public struct Inputs: Codable, Sendable, Equatable {
        var agent: String
        var sectionTitle: String
        var durationHint: Double?
        /// The author's storyboard; nil when it comes from `plan` (then its digest is in the key).
        var lectureLines: [String]?
        var animations: [String]?
        /// Set after `--refresh` for a section with no plan step.
        var sample: Int?
    }

    public static let kind = "code"
    public static let pool = Pool.agent
    /// The Coder writes the scene model; the offline Coder's own version is in its identity.
    /// The Critic is deliberately not a component here: `critique` re-checks every coded scene
    /// with the current rules, so a rule change never pays for LLM calls again.
    public static let components = [SceneComponents.format, SceneComponents.parser, CodeHighlighter.component]

    public static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        let coder = try context.service(AgentDirectory.self).coder(inputs.agent)
        let authored = inputs.lectureLines.map { Storyboard(lectureLines: $0, animations: inputs.animations ?? $0) }
        let storyboard = try authored
            ?? context.decode(Storyboard.self, .storyboard, of: StepID(kind: PlanStep.kind, target: context.id.target))
        let usage = UsageSink()
        let request = CodeRequest(sectionTitle: inputs.sectionTitle, storyboard: storyboard, durationHint: inputs.durationHint)
        let scene: Scene
        do {
            scene = try await coder.code(request, usage: usage)
        } catch {
            throw StepFailure(error, metrics: MetricName.agentMetrics(usage))
        }
        return StepProduct(outputs: [.scene: .data(try ArtifactJSON.encode(scene))], warnings: usage.notes,
                           metrics: MetricName.agentMetrics(usage))
    }
}
