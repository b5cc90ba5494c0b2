import C2VLesson
import C2VScene
import C2VUtil
import Foundation

/// Collects the usage of the calls one step makes (retries and repairs included).
public final class UsageSink: @unchecked Sendable {
    private let lock = NSLock()
    private var total: LLMUsage?
    private var warnings: [String] = []

    public init() {}

    public func add(_ usage: LLMUsage) {
        lock.lock()
        defer { lock.unlock() }
        total = total.map { $0 + usage } ?? usage
        for w in usage.warnings where !warnings.contains(w) { warnings.append(w) }
    }

    /// Something the step's user should know about its calls (a truncated prompt, a skipped review).
    public func warn(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if !warnings.contains(text) { warnings.append(text) }
    }

    /// The warnings of the calls so far, once each, in order.
    public var notes: [String] {
        lock.lock()
        defer { lock.unlock() }
        return warnings
    }

    public var usage: LLMUsage? {
        lock.lock()
        defer { lock.unlock() }
        return total
    }

    /// For the report: tokens in and out, attempts and (for priced models) cost; empty when no call was made.
    public var metrics: [AgentMetric: Double] {
        guard let u = usage else { return [:] }
        var m: [AgentMetric: Double] = [.tokensIn: Double(u.tokensIn), .tokensOut: Double(u.tokensOut), .attempts: Double(u.attempts),
                                        .requests: Double(u.requests)]
        if let cost = u.cost { m[.cost] = cost }
        if u.estimated { m[.tokensEstimated] = 1 }
        return m
    }
}

/// The figures an agent step reports about its calls.
public enum AgentMetric: String, Sendable, CaseIterable {
    case tokensIn = "tokens_in"
    case tokensOut = "tokens_out"
    case attempts
    /// Requests the server answered; attempts that never connected are not requests.
    case requests
    case cost
    /// 1 when the server reported no token counts and the figures are estimates.
    case tokensEstimated = "tokens_estimated"
}

/// The Planner over an OpenAI-compatible endpoint: a brief in, lecture lines and one
/// animation description per line out, as JSON.
public struct LLMPlanner: Planner {
    public let client: OpenAIClient
    public static let promptVersion = "planner/1"

    public init(client: OpenAIClient) { self.client = client }

    public var identity: String { client.settings.identity(role: .planner, promptVersion: Self.promptVersion + "/" + Prompts.digest(Prompts.planner)) }

    public func plan(_ request: PlanRequest, usage: UsageSink?) async throws -> Storyboard {
        let user = """
            Lesson: \(request.lessonTitle)
            Audience: \(request.audience ?? "general")
            Section: \(request.sectionTitle)
            Brief: \(request.brief)
            """
        let client = self.client
        var messages = [ChatMessage(role: "system", content: Prompts.planner), ChatMessage(role: "user", content: user)]
        let (text, cost) = try await runBlocking { [messages] in try client.chat(role: .planner, messages: messages, json: true) }
        usage?.add(cost)
        do {
            return try Self.storyboard(from: text)
        } catch {
            // Prose ("Sure! Here is...") instead of JSON: asked once more, with the reply and
            // what was wrong with it, before the section fails.
            messages += [ChatMessage(role: "assistant", content: String(text.prefix(4000))),
                         ChatMessage(role: "user", content: "That reply was not the JSON object asked for. Reply with the JSON object only: "
                                     + #"{"lecture_lines": [...], "narration": [...], "animations": [...]}, no prose and no markdown."#)]
            let (again, more) = try await runBlocking { [messages] in try client.chat(role: .planner, messages: messages, json: true) }
            usage?.add(more)
            return try Self.storyboard(from: again)
        }
    }

    /// Reads the Planner's JSON, keeping at most 5 lines of at most 10 words.
    static func storyboard(from reply: String) throws -> Storyboard {
        let payload = ReplyPayload.extract(reply, json: true)
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
              let lines = object["lecture_lines"] as? [String], !lines.isEmpty
        else {
            throw C2VError(.buildFailed, "the planner's reply is not JSON with `lecture_lines`: \(payload.prefix(200))")
        }
        let tidy = lines.prefix(5).map { line in
            line.split(whereSeparator: \.isWhitespace).prefix(10).joined(separator: " ")
        }.filter { !$0.isEmpty }
        let animations = (object["animations"] as? [String]) ?? []
        let narration = (object["narration"] as? [String]) ?? []
        return Storyboard(lectureLines: tidy, animations: tidy.indices.map { $0 < animations.count ? animations[$0] : tidy[$0] },
                          spoken: narration.isEmpty ? nil : tidy.indices.map { $0 < narration.count && !narration[$0].isEmpty ? narration[$0] : tidy[$0] })
    }
}

/// The Coder over an OpenAI-compatible endpoint. Its system prompt is the scene-language
/// reference (docs/scene-language.md) with example scenes. A reply that does not parse, or
/// that the Critic rejects, goes back with only the offending lines (±3) and the messages,
/// for a patch of that region: at most `patches` patches, then `regenerations` full rewrites,
/// then the section fails with every remaining message.
public struct LLMCoder: Coder {
    public let client: OpenAIClient
    public let patches: Int
    public let regenerations: Int
    /// The built-in Critic at the real output size; its errors are repaired like parse errors.
    public let critic: (@Sendable (Scene) throws -> [Finding])?
    /// The vision critic: keyframes (PNG, grid overlaid) of a scene that passed the static check,
    /// shown to the `critic` model, whose anchor moves are applied and re-checked. Nil: off.
    public let keyframes: (@Sendable (Scene) throws -> [Data])?
    public let visionRounds: Int
    public static let promptVersion = "coder/1"

    public init(client: OpenAIClient, patches: Int = 3, regenerations: Int = 1,
                critic: (@Sendable (Scene) throws -> [Finding])? = nil,
                keyframes: (@Sendable (Scene) throws -> [Data])? = nil, visionRounds: Int = 2) {
        self.client = client
        self.patches = patches
        self.regenerations = regenerations
        self.critic = critic
        self.keyframes = keyframes
        self.visionRounds = visionRounds
    }

    public var identity: String {
        var id = client.settings.identity(role: .coder, promptVersion: Self.promptVersion + "/" + Prompts.digest(Prompts.coder))
            + " repair=\(patches)+\(regenerations)"
        if keyframes != nil {
            id += " vision=\(visionRounds) critic_model=\(client.settings.model(for: .critic)) critic_prompt=\(Prompts.digest(Prompts.visionCritic))"
        }
        return id
    }

    public func code(_ request: CodeRequest, usage: UsageSink?) async throws -> Scene {
        let client = self.client
        func ask(_ messages: [ChatMessage]) async throws -> String {
            let (text, cost) = try await runBlocking { try client.chat(role: .coder, messages: messages, json: false) }
            usage?.add(cost)
            return ReplyPayload.extract(text, json: false)
        }
        let base = [ChatMessage(role: "system", content: Prompts.coder), ChatMessage(role: "user", content: Self.task(for: request))]
        var text = try await ask(base)
        var patchesLeft = patches, regenerationsLeft = regenerations
        while true {
            let problems: (messages: [String], lines: [Int])
            switch check(text, request) {
            case .good(let scene): return try await review(scene, text, request, usage: usage)
            case .problems(let messages, let lines): problems = (messages, lines)
            }
            if patchesLeft > 0 {
                patchesLeft -= 1
                let (region, start, end) = Self.region(of: text, around: problems.lines)
                let reply = try await ask(base + [
                    ChatMessage(role: "assistant", content: "```yaml\n\(text)\n```"),
                    ChatMessage(role: "user", content: """
                        These lines of your scene have problems:
                        \(problems.messages.joined(separator: "\n"))

                        Lines \(start + 1) to \(end + 1) are:
                        ```yaml
                        \(region)
                        ```
                        Reply with the corrected version of exactly these lines (same indentation), in one ```yaml block.
                        """),
                ])
                if Self.isWholeScene(reply, region: region) {
                    // Asked for a few lines, the model sent the whole scene (mid-size models often
                    // do): splicing it in would duplicate `scene:`, so it replaces the scene.
                    text = reply
                } else {
                    var all = text.components(separatedBy: "\n")
                    all.replaceSubrange(start...end, with: reply.components(separatedBy: "\n"))
                    text = all.joined(separator: "\n")
                }
            } else if regenerationsLeft > 0 {
                regenerationsLeft -= 1
                text = try await ask(base + [ChatMessage(role: "user", content: """
                    An earlier attempt had these problems; avoid them:
                    \(problems.messages.joined(separator: "\n"))
                    """)])
            } else {
                // A failed step reports no metrics, so say here what the attempts cost.
                let spent = usage?.usage.map { " (\($0.attempts) calls, \($0.tokensIn) + \($0.tokensOut) tokens)" } ?? ""
                throw C2VError(.buildFailed, "the coder's scene still has problems after \(patches) patches and \(regenerations) rewrite\(regenerations == 1 ? "" : "s")\(spent):\n"
                               + problems.messages.map { "  \($0)" }.joined(separator: "\n"))
            }
        }
    }

    /// Whether a reply to a patch request is a whole scene rather than the lines asked for: it
    /// has a top-level `scene:` or `objects:` key that the region it replaces did not have.
    static func isWholeScene(_ reply: String, region: String) -> Bool {
        func topKeys(_ text: String) -> Set<String> {
            Set(text.components(separatedBy: "\n").compactMap { line in
                ["scene:", "objects:", "steps:"].first { line.hasPrefix($0) }
            })
        }
        let replyKeys = topKeys(reply), regionKeys = topKeys(region)
        return replyKeys.contains("scene:") && !regionKeys.contains("scene:")
            || replyKeys.isSuperset(of: ["objects:", "steps:"]) && !regionKeys.contains("objects:")
    }

    /// The user message that asks for a section's scene (also shown in the prompt's worked example).
    static func task(for request: CodeRequest) -> String {
        var lines = ""
        for (i, line) in request.storyboard.lectureLines.enumerated() {
            let animation = i < request.storyboard.animations.count ? request.storyboard.animations[i] : line
            lines += "\(i). \(line)\n   shows: \(animation)\n"
        }
        return """
            Write the scene for the section "\(request.sectionTitle)"\(request.durationHint.map { ", about \($0) seconds long" } ?? "").
            Lecture lines (index, text, what to show while it is said):
            \(lines)
            Reply with the scene program only, as YAML in one ```yaml block: the mapping under `scene:`
            (keys duration, params, define, objects, steps). Tie every step to its lecture line with `line:`.
            """
    }

    /// Vision rounds: the critic model sees keyframes and may move objects to other anchors.
    /// A move that breaks the static check is not kept, and the last good scene wins. A critic
    /// that cannot be asked (a text-only server refusing image parts) skips the review with a
    /// warning: the scene already passed the static check and is kept.
    func review(_ checked: Scene, _ text: String, _ request: CodeRequest, usage: UsageSink?) async throws -> Scene {
        var good = text
        var scene = checked
        guard let keyframes else { return scene }
        let client = self.client
        for _ in 0..<visionRounds {
            let frames = try keyframes(scene)
            guard !frames.isEmpty else { break }
            let ids = scene.objects.map(\.id).joined(separator: ", ")
            let messages = [
                ChatMessage(role: "system", content: Prompts.visionCritic),
                ChatMessage(role: "user", content: "Keyframes of the section \"\(request.sectionTitle)\", in order. Objects: \(ids).",
                            images: frames),
            ]
            let reply: String
            do {
                let (answer, cost) = try await runBlocking { try client.chat(role: .critic, messages: messages, json: true) }
                usage?.add(cost)
                reply = answer
            } catch {
                if error is C2VError, (error as! C2VError).message.hasPrefix("token budget") || (error as! C2VError).message.hasPrefix("cost budget") {
                    throw error
                }
                usage?.warn("the vision review was skipped, keeping the scene that passed the static check: \(C2VError.describe(error))")
                break
            }
            let moves = Self.moves(from: reply)
            guard !moves.isEmpty else { break }
            let moved = Self.apply(moves, to: good)
            guard moved != good, case .good(let next) = check(moved, request) else { break }
            good = moved
            scene = next
        }
        return scene
    }

    /// `{"moves": [{"object": "label", "to": "D5"}]}`; moves to anchors outside A1..F6 are dropped.
    static func moves(from reply: String) -> [(object: String, to: String)] {
        let payload = ReplyPayload.extract(reply, json: true)
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
              let list = object["moves"] as? [[String: Any]] else { return [] }
        return list.compactMap { item in
            guard let id = item["object"] as? String, let to = item["to"] as? String, GridArea(to) != nil else { return nil }
            return (id, to.uppercased())
        }
    }

    /// Rewrites the `at:` of each moved object on the line that declares it (`id: name`).
    static func apply(_ moves: [(object: String, to: String)], to text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        for move in moves {
            guard let i = lines.firstIndex(where: { $0.range(of: "id: \(move.object)[,} ]", options: .regularExpression) != nil
                || $0.hasSuffix("id: \(move.object)") }) else { continue }
            let pattern = #"at: *("[^"]*"|'[^']*'|\[[^\]]*\]|[A-Za-z0-9:.]+)"#
            if let range = lines[i].range(of: pattern, options: .regularExpression) {
                lines[i].replaceSubrange(range, with: "at: \"\(move.to)\"")
            }
        }
        return lines.joined(separator: "\n")
    }

    static let replyFile = "<coder reply>"

    func parse(_ text: String, _ request: CodeRequest) throws -> Scene {
        try SceneParser.parse(text: text, file: Self.replyFile, title: request.sectionTitle,
                              lectureLines: request.storyboard.lectureLines, durationHint: request.durationHint)
    }

    enum Check {
        case good(Scene)
        /// Messages, and the 0-based lines they are about.
        case problems([String], [Int])
    }

    /// The parsed scene, or its parse errors, else the Critic's errors.
    func check(_ text: String, _ request: CodeRequest) -> Check {
        do {
            let scene = try parse(text, request)
            var errors = try critic?(scene).filter { $0.severity == .error } ?? []
            guard !errors.isEmpty else { return .good(scene) }
            // Each finding points at its object in the reply, as a parse error would.
            let locations = SceneParser.objectLocations(text: text, file: Self.replyFile)
            for i in errors.indices where errors[i].location == nil {
                let id = errors[i].object
                errors[i].location = locations[id] ?? id.firstIndex(of: "[").flatMap { locations[String(id[..<$0])] }
            }
            let lines = errors.compactMap { $0.location.map { $0.line - 1 } }
            return .problems(errors.map(\.description), lines.isEmpty ? [0] : lines)
        } catch let error as C2VError {
            return .problems([error.description], [max(0, (error.location?.line ?? 1) - 1)])
        } catch let errors as C2VErrors {
            return .problems(errors.errors.map(\.description), errors.errors.map { max(0, ($0.location?.line ?? 1) - 1) })
        } catch {
            return .problems(["\(error)"], [0])
        }
    }

    /// The lines around every problem, ±3, as one region.
    static func region(of text: String, around lines: [Int]) -> (String, Int, Int) {
        let all = text.components(separatedBy: "\n")
        let start = max(0, (lines.min() ?? 0) - 3), end = min(all.count - 1, (lines.max() ?? 0) + 3)
        return (all[start...end].joined(separator: "\n"), start, end)
    }
}

/// Runs blocking work (a curl transfer) off the cooperative pool.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try work() })
        }
    }
}
