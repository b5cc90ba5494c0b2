#if canImport(Glibc)
import Glibc
#endif
import C2VAgents
import C2VBuild
import C2VRemote
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
        /// Agent steps: what their calls cost when they ran (also shown for cached steps).
        public var model: String?
        public var tokensIn: Int?
        public var tokensOut: Int?
        public var attempts: Int?
        /// Requests the server answered (attempts include those that never connected).
        public var requests: Int?
        public var cost: Double?
        /// The server reported no token counts: `tokens_in` and `tokens_out` are estimates.
        public var tokensEstimated: Bool?
        /// `speak`: lines synthesised when it ran (the others came from their memos).
        public var linesSpoken: Int?

        enum CodingKeys: String, CodingKey {
            case kind, section, key, status, seconds, reason, warnings, error, model
            case tokensIn = "tokens_in", tokensOut = "tokens_out", attempts, requests, cost, linesSpoken = "lines_spoken"
            case tokensEstimated = "tokens_estimated"
        }
    }

    /// What this build's agent calls cost (steps that ran only; cached steps cost nothing now).
    public struct AgentTotals: Codable, Sendable {
        public var tokensIn: Int
        public var tokensOut: Int
        /// Requests the server answered.
        public var calls: Int
        public var cost: Double?
        /// Some calls had no token counts from the server: the totals hold estimates.
        public var estimated: Bool?

        enum CodingKeys: String, CodingKey {
            case tokensIn = "tokens_in", tokensOut = "tokens_out", calls, cost, estimated
        }
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
    public var agents: AgentTotals?
    /// Dry runs: the agent calls that would be made and what they would likely cost.
    public var forecast: Forecast?

    public struct Forecast: Codable, Sendable {
        public var steps: [String]
        public var calls: Int
        public var tokensIn: Int
        public var tokensOut: Int
        public var cost: Double?

        enum CodingKeys: String, CodingKey {
            case steps, calls, tokensIn = "tokens_in", tokensOut = "tokens_out", cost
        }
    }

    /// What the build process and its workers used (the whole build, shared by its lessons).
    public var resources: Resources?
    /// The remote cache's hits, misses, errors, bytes and seconds in this build (`--remote-cache`).
    public var remote: RemoteCache.Statistics?

    public struct Resources: Codable, Sendable {
        public var workersStarted: Int
        public var peakRSSMegabytes: Double
        /// The largest worker's peak; nil when no worker ran.
        public var workerPeakRSSMegabytes: Double?

        enum CodingKeys: String, CodingKey {
            case workersStarted = "workers_started", peakRSSMegabytes = "peak_rss_mb", workerPeakRSSMegabytes = "worker_peak_rss_mb"
        }

        /// This process's peak RSS and its reaped children's (the workers) largest.
        static func measure(workersStarted: Int) -> Resources {
            var own = rusage(), children = rusage()
            getrusage(RUSAGE_SELF.rawValue, &own)
            getrusage(RUSAGE_CHILDREN.rawValue, &children)
            return Resources(workersStarted: workersStarted, peakRSSMegabytes: (Double(own.ru_maxrss) / 1024 * 10).rounded() / 10,
                             workerPeakRSSMegabytes: workersStarted > 0 ? (Double(children.ru_maxrss) / 1024 * 10).rounded() / 10 : nil)
        }
    }

    enum CodingKeys: String, CodingKey {
        case reportVersion = "report_version", lesson, title, output, durationSeconds = "duration_seconds"
        case frameCount = "frame_count", wallSeconds = "wall_seconds", succeeded, steps, totals, agents, forecast, resources, remote
    }

    /// `previous`: this lesson's last written report, whose agent figures a dry run's forecast
    /// learns from.
    init(plan: LessonPlan, results: [StepResult], summary: AssemblySummary?, wallSeconds: Double, dryRun: Bool,
         previous: BuildReport? = nil) {
        lesson = plan.lesson.name
        title = plan.lesson.title
        self.wallSeconds = wallSeconds
        durationSeconds = summary?.durationSeconds
        frameCount = summary?.frameCount
        // One verdict for the exit status, the summary line and this file: every step built, and
        // (unless nothing was meant to run) the joined video's summary was read back verified.
        succeeded = results.allSatisfy { $0.status == .ran || $0.status == .cached || $0.status == .wouldRun }
            && (dryRun || summary != nil)
        output = succeeded && summary != nil ? plan.videoPath : nil
        var steps: [Step] = []
        var agentTotals: AgentTotals?
        // Steps the author made unnecessary are listed where they would stand, as `skipped`.
        var sectionsSeen = Set<String>()
        for result in results {
            if let section = result.id.target, sectionsSeen.insert(section).inserted {
                for provided in plan.authorProvided where provided.id.target == section {
                    steps.append(Step(kind: provided.id.kind, section: section, key: nil, status: "skipped", seconds: 0,
                                      reason: provided.reason, warnings: [], error: nil))
                }
            }
            var step = Step(kind: result.id.kind, section: result.id.target, key: result.key?.hex,
                            status: result.status.rawValue, seconds: (result.seconds * 1000).rounded() / 1000,
                            reason: result.reason.description, warnings: result.warnings, error: result.error)
            if result.status == .ran, let spoken = result.metrics[.linesSpoken] { step.linesSpoken = Checked.int(spoken) }
            if let tokensIn = result.metrics[.tokensIn] {
                step.model = plan.agentModels[result.id.kind]
                step.tokensIn = Checked.int(tokensIn)
                step.tokensOut = result.metrics[.tokensOut].map { Checked.int($0) }
                step.attempts = result.metrics[.attempts].map { Checked.int($0) }
                step.requests = result.metrics[.requests].map { Checked.int($0) }
                step.cost = result.metrics[.cost]
                if result.metrics[.tokensEstimated] != nil { step.tokensEstimated = true }
                // Steps that ran this build, failed ones too: the server billed their requests.
                if result.status == .ran || result.status == .failed {
                    var t = agentTotals ?? AgentTotals(tokensIn: 0, tokensOut: 0, calls: 0, cost: nil)
                    t.tokensIn += step.tokensIn ?? 0
                    t.tokensOut += step.tokensOut ?? 0
                    // Calls the server answered; a refused connection is an attempt, not a call.
                    t.calls += step.requests ?? step.attempts ?? 0
                    if let c = step.cost { t.cost = (t.cost ?? 0) + c }
                    if step.tokensEstimated == true { t.estimated = true }
                    agentTotals = t
                }
            }
            steps.append(step)
        }
        agents = agentTotals
        forecast = Self.forecast(plan: plan, results: results, previous: previous)
        self.steps = steps
        var totals: [String: Int] = [:]
        for status in StepStatus.allCases { totals[status.rawValue] = 0 }
        for step in steps { totals[step.status, default: 0] += 1 }
        self.totals = totals
    }

    /// Would-run agent steps, from this lesson's history where it has one: the average tokens in
    /// and out and requests per step of each kind, over the steps this build answered from the
    /// cache and those of the last written report (so a Coder that needed repairs before is
    /// forecast to need them again). Without history: the prompt's size at 3.1 characters a token
    /// (cl100k; 4 undercounts by about 28%), a typical reply, one request. Priced when the
    /// model's price is known.
    static func forecast(plan: LessonPlan, results: [StepResult], previous: BuildReport?) -> Forecast? {
        guard !plan.agentModels.isEmpty else { return nil }
        let pending = results.filter { $0.status == .wouldRun && plan.agentModels[$0.id.kind] != nil }
        guard !pending.isEmpty else { return nil }
        struct Sample { var tokensIn: Double; var tokensOut: Double; var requests: Double }
        var samples: [String: [String: Sample]] = [:]
        for step in previous?.steps ?? [] {
            guard let tokensIn = step.tokensIn else { continue }
            samples[step.kind, default: [:]]["\(step.kind)(\(step.section ?? ""))"] = Sample(
                tokensIn: Double(tokensIn), tokensOut: Double(step.tokensOut ?? 0), requests: Double(step.requests ?? step.attempts ?? 1))
        }
        for result in results {
            guard let tokensIn = result.metrics[.tokensIn] else { continue }
            samples[result.id.kind, default: [:]][result.id.description] = Sample(
                tokensIn: tokensIn, tokensOut: result.metrics[.tokensOut] ?? 0,
                requests: result.metrics[.requests] ?? result.metrics[.attempts] ?? 1)
        }
        func average(_ kind: String) -> Sample? {
            guard let seen = samples[kind]?.values, !seen.isEmpty else { return nil }
            let n = Double(seen.count)
            return Sample(tokensIn: seen.map(\.tokensIn).reduce(0, +) / n, tokensOut: seen.map(\.tokensOut).reduce(0, +) / n,
                          requests: seen.map(\.requests).reduce(0, +) / n)
        }
        var f = Forecast(steps: [], calls: 0, tokensIn: 0, tokensOut: 0, cost: 0)
        var calls = 0.0
        for step in pending {
            let kind = step.id.kind
            let typical: Sample
            if let known = average(kind) {
                typical = known
            } else if kind == SpeakStep.kind {
                // A speech call's input is a few spoken sentences; it returns audio, not tokens.
                typical = Sample(tokensIn: 100, tokensOut: 0, requests: 1)
            } else {
                let characters = kind == PlanStep.kind ? AgentPrompts.plannerCharacters : AgentPrompts.coderCharacters
                typical = Sample(tokensIn: Double(AgentPrompts.estimatedTokens(characters: characters) + 150), tokensOut: kind == PlanStep.kind ? 250 : 1500,
                                 requests: 1)
            }
            f.steps.append(step.id.description)
            calls += typical.requests
            f.tokensIn += Checked.int(typical.tokensIn.rounded())
            f.tokensOut += Checked.int(typical.tokensOut.rounded())
            if let model = plan.agentModels[kind], let price = LLMSettings.knownPrices[model], let c = f.cost {
                f.cost = c + (typical.tokensIn * price.input + typical.tokensOut * price.output) / 1_000_000
            } else {
                f.cost = nil
            }
        }
        f.calls = Checked.int(calls.rounded())
        return f
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileIO.writeAtomically(try encoder.encode(self), to: path, durable: false)
    }
}
