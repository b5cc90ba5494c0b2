import C2VAgents
import C2VLesson
import C2VUtil
import Foundation

/// Agent settings that come from outside the lesson files, and per-build agent state.
///
/// Later wins: the lesson's `agents:` block (over `course.yaml`'s), then the environment
/// (`C2V_BASE_URL`, `C2V_MODEL`, `C2V_API_KEY` or else `OPENAI_API_KEY`), then flags.
public struct AgentOptions: Sendable {
    public var overrides: PartialAgentSettings
    /// Sent only as a bearer token; never in keys, logs or reports.
    public var apiKey: String?
    /// Shared by every call of the build.
    public var budget: LLMBudget
    /// Sections whose agent calls get a fresh sample (`--refresh`); `all` means every section.
    public var refresh: Set<String>
    /// Sections set to an earlier sample (`--sample intro=0`).
    public var samples: [String: Int]

    public init(overrides: PartialAgentSettings = PartialAgentSettings(), apiKey: String? = nil, budget: LLMBudget = LLMBudget(),
                refresh: Set<String> = [], samples: [String: Int] = [:]) {
        self.overrides = overrides
        self.apiKey = apiKey
        self.budget = budget
        self.refresh = refresh
        self.samples = samples
    }

    /// The environment's part; `flags` (from the command line) are applied over it.
    public static func resolve(environment: [String: String], flags: PartialAgentSettings) -> (PartialAgentSettings, String?) {
        var env = PartialAgentSettings()
        if let url = environment["C2V_BASE_URL"], !url.isEmpty { env.baseURL = url; env.provider = .openai }
        if let model = environment["C2V_MODEL"], !model.isEmpty { env.model = model }
        let key = [environment["C2V_API_KEY"], environment["OPENAI_API_KEY"]].compactMap { $0 }.first { !$0.isEmpty }
        return (env.merged(with: flags), key)
    }

    /// The LLM settings `c2v new` uses (no lesson yet).
    public func llmSettingsForNew(_ agents: AgentSettings) -> LLMSettings { llmSettings(agents) }

    /// The LLM settings for a lesson whose provider is `openai`.
    func llmSettings(_ agents: AgentSettings) -> LLMSettings {
        var settings = LLMSettings(apiKey: apiKey)
        if let url = agents.baseURL { settings.baseURL = url }
        if let model = agents.model { settings.model = model }
        settings.roleModels = agents.models
        if let t = agents.temperature { settings.temperature = t }
        if let seed = agents.seed { settings.seed = seed }
        if let n = agents.maxTokens { settings.maxTokens = n }
        if let t = agents.timeout { settings.timeout = t }
        if let json = agents.jsonMode { settings.jsonMode = json }
        return settings
    }
}

/// Which sample of its agent calls each section uses (0: the first). `--refresh` moves a section
/// to a new sample; the earlier ones stay cached, so `--sample intro=0` brings one back.
struct SampleBook {
    let path: String
    var samples: [String: Int]

    init(path: String) {
        self.path = path
        samples = (FileManager.default.contents(atPath: path)).flatMap { try? JSONDecoder().decode([String: Int].self, from: $0) } ?? [:]
    }

    func sample(lesson: String, section: String) -> Int { samples["\(lesson)/\(section)"] ?? 0 }

    mutating func apply(_ options: AgentOptions, lessons: [Lesson]) {
        for lesson in lessons {
            for section in lesson.sections {
                let name = "\(lesson.name)/\(section.id)"
                if options.refresh.contains("all") || options.refresh.contains(section.id) { samples[name, default: 0] += 1 }
                if let n = options.samples[section.id] { samples[name] = n }
            }
        }
    }

    func save() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileIO.writeAtomically(try encoder.encode(samples), to: path, durable: false)
    }
}
