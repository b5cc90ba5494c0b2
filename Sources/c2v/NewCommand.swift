import ArgumentParser
import C2VAgents
import C2VLesson
import C2VPipeline
import C2VUtil
import Foundation

/// `c2v new TOPIC`: an outline as a new lesson file to edit, then build.
struct New: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a new lesson outline for a topic, ready to edit and build.",
        discussion: """
            Offline, the outline is a fixed teaching arc (why, key idea, example, mistakes, summary)
            whose briefs you fill in. With --base-url (or $C2V_BASE_URL) the Planner writes titles and
            briefs for the topic. Never overwrites a file.
              c2v new "Fourier series" -o lessons/fourier-intro.yaml
            """)

    @Argument(help: "What the lesson teaches.") var topic: String
    @Option(name: .shortAndLong, help: "The lesson file to write (default: lessons/<topic>.yaml).") var output: String?
    @Option(help: "Number of sections, 2 to 12.") var sections: Int = 5
    @Option(help: "Who the lesson is for.") var audience: String = "first-year university students"
    @Option(help: ArgumentHelp("Model for the Planner.", valueName: "name")) var model: String?
    @Option(name: .customLong("base-url"), help: ArgumentHelp("An OpenAI-compatible endpoint; without one, the offline outline.", valueName: "url"))
    var baseURL: String?

    func validate() throws {
        guard (2...12).contains(sections) else { throw ValidationError("--sections must be from 2 to 12") }
        guard !topic.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the topic is empty") }
    }

    func run() async throws {
        let path = output ?? "lessons/\(Outline.id(topic, taken: [])).yaml"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw C2VError(.usage, "\(path) exists; choose another name with -o (c2v new never overwrites)")
        }
        var flags = PartialAgentSettings(model: model, baseURL: baseURL)
        if baseURL != nil { flags.provider = .openai }
        let (settings, key) = AgentOptions.resolve(environment: ProcessInfo.processInfo.environment, flags: flags)
        let outline: Outline
        var provider = "offline"
        if settings.provider == .openai {
            let agents = AgentSettings.default.overridden(by: settings)
            let options = AgentOptions(overrides: settings, apiKey: key)
            let planner = LLMPlanner(client: OpenAIClient(settings: options.llmSettingsForNew(agents), budget: options.budget))
            let (result, usage) = try await planner.outline(topic: topic, audience: audience, sections: sections)
            outline = result
            provider = "openai"
            FileHandle.standardError.write(Data("outline by \(usage.model): \(usage.tokensIn) + \(usage.tokensOut) tokens\n".utf8))
        } else {
            outline = OfflineOutliner.outline(topic: topic, sections: sections)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try FileIO.writeAtomically(Data(outline.yaml(audience: audience, provider: provider).utf8), to: path, durable: true)
        // What was written must load: the same checks as `c2v build`.
        _ = try LessonParser.load(path: path)
        print("wrote \(path) (\(outline.sections.count) sections); edit the briefs, then: c2v build \(path)")
    }
}
