import C2VBuild
import C2VUtil
import Foundation

/// `report.json`: the contract CI and tests read (documented in docs/report.md).
public struct BuildReport: Codable, Sendable {
    public struct Step: Codable, Sendable {
        public var kind: String
        public var section: String?
        public var key: String?
        public var status: String
        public var seconds: Double
        public var reason: String
        public var warnings: [String]
        public var error: String?
    }

    public var reportVersion = 1
    public var lesson: String
    public var title: String
    public var output: String?
    public var durationSeconds: Double?
    public var frameCount: Int?
    public var wallSeconds: Double
    public var succeeded: Bool
    public var steps: [Step]
    public var totals: [String: Int]

    enum CodingKeys: String, CodingKey {
        case reportVersion = "report_version", lesson, title, output, durationSeconds = "duration_seconds"
        case frameCount = "frame_count", wallSeconds = "wall_seconds", succeeded, steps, totals
    }

    init(plan: LessonPlan, results: [StepResult], summary: AssemblySummary?, wallSeconds: Double) {
        lesson = plan.lesson.name
        title = plan.lesson.title
        self.wallSeconds = wallSeconds
        durationSeconds = summary?.durationSeconds
        frameCount = summary?.frameCount
        succeeded = results.allSatisfy { $0.status == .ran || $0.status == .cached || $0.status == .wouldRun }
        output = succeeded && summary != nil ? plan.videoPath : nil
        var steps: [Step] = []
        // Steps the author made unnecessary are listed where they would stand, as `skipped`.
        var sectionsSeen = Set<String>()
        for result in results {
            if let section = result.id.target, sectionsSeen.insert(section).inserted {
                for provided in plan.authorProvided where provided.id.target == section {
                    steps.append(Step(kind: provided.id.kind, section: section, key: nil, status: "skipped", seconds: 0,
                                      reason: provided.reason, warnings: [], error: nil))
                }
            }
            steps.append(Step(kind: result.id.kind, section: result.id.target, key: result.key?.hex,
                              status: result.status.rawValue, seconds: (result.seconds * 1000).rounded() / 1000,
                              reason: result.reason, warnings: result.warnings, error: result.error))
        }
        self.steps = steps
        var totals: [String: Int] = [:]
        for status in ["ran", "cached", "failed", "skipped", "would-run"] { totals[status] = 0 }
        for step in steps { totals[step.status, default: 0] += 1 }
        self.totals = totals
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically(try encoder.encode(self), to: path, durable: false)
    }
}
