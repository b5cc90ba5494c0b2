import C2VAgents
import C2VBuild
import C2VUtil

/// `plan(section)`: the Planner expands a brief into lecture lines and animation descriptions.
public enum PlanStep: BuildStep {
    public struct Inputs: Codable, Sendable, Equatable {
        /// The agent's identity: provider, model, endpoint without credentials, request options,
        /// the prompt's digest. It also selects the agent object from the build's services.
        var agent: String
        var lessonTitle: String
        var audience: String?
        var sectionTitle: String
        var brief: String
        /// Set after `--refresh`: a new sample of the same request.
        var sample: Int?
    }

    public static let kind = "plan"
    public static let pool = Pool.agent
    public static let components: [ComponentVersion] = []

    public static func run(_ inputs: Inputs, in context: StepContext) async throws -> StepProduct {
        let planner = try context.service(AgentDirectory.self).planner(inputs.agent)
        let request = PlanRequest(lessonTitle: inputs.lessonTitle, audience: inputs.audience,
                                  sectionTitle: inputs.sectionTitle, brief: inputs.brief)
        let usage = UsageSink()
        let storyboard: Storyboard
        do {
            storyboard = try await planner.plan(request, usage: usage)
        } catch {
            throw StepFailure(error, metrics: MetricName.agentMetrics(usage))
        }
        return StepProduct(outputs: [.storyboard: .data(try ArtifactJSON.encode(storyboard))], warnings: usage.notes,
                           metrics: MetricName.agentMetrics(usage))
    }
}
