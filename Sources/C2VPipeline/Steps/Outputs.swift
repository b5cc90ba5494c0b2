import C2VAgents
import C2VBuild
import Foundation

/// The artifacts lesson steps hand each other and the build outputs.
extension OutputName {
    public static let storyboard = OutputName("storyboard")
    public static let scene = OutputName("scene")
    public static let findings = OutputName("findings")
    public static let segment = OutputName("segment")
    public static let poster = OutputName("poster")
    public static let video = OutputName("video")
    public static let subtitles = OutputName("subtitles")
    public static let summary = OutputName("summary")
    /// `render`: the section's subtitle cues on its own timeline.
    public static let cues = OutputName("cues")
}

/// The figures agent steps report (see docs/report.md).
extension MetricName {
    public static let tokensIn = MetricName(AgentMetric.tokensIn.rawValue)
    public static let tokensOut = MetricName(AgentMetric.tokensOut.rawValue)
    public static let attempts = MetricName(AgentMetric.attempts.rawValue)
    public static let cost = MetricName(AgentMetric.cost.rawValue)
    public static let requests = MetricName(AgentMetric.requests.rawValue)
    public static let tokensEstimated = MetricName(AgentMetric.tokensEstimated.rawValue)

    static func agentMetrics(_ usage: UsageSink) -> [MetricName: Double] {
        Dictionary(uniqueKeysWithValues: usage.metrics.map { (MetricName($0.key.rawValue), $0.value) })
    }
}

/// The planners and coders of this build, by the identity their steps' inputs name. A step finds
/// its agent through the identity in its key, so the key says which agent made the artifact;
/// the agent object itself (its transport and credentials) is a service, never hashed.
struct AgentDirectory: Sendable {
    var planners: [String: any Planner] = [:]
    var coders: [String: any Coder] = [:]

    func planner(_ identity: String) throws -> any Planner {
        guard let planner = planners[identity] else { throw C2VError.missingAgent(identity) }
        return planner
    }

    func coder(_ identity: String) throws -> any Coder {
        guard let coder = coders[identity] else { throw C2VError.missingAgent(identity) }
        return coder
    }

    mutating func merge(_ other: AgentDirectory) {
        planners.merge(other.planners) { a, _ in a }
        coders.merge(other.coders) { a, _ in a }
    }
}

import C2VUtil

extension C2VError {
    static func missingAgent(_ identity: String) -> C2VError {
        C2VError(.internal, "no agent with identity \(identity) in this build")
    }
}

/// JSON the way steps write artifacts: sorted keys, so equal values are equal bytes.
enum ArtifactJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func encode<T: Encodable>(_ value: T) throws -> Data { try encoder.encode(value) }
}
