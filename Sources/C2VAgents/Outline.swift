import C2VUtil
import Foundation

/// A lesson's outline: what `c2v new` writes as a new lesson file for the author to edit
/// (Code2Video's outline stage).
public struct Outline: Sendable, Equatable {
    public struct Section: Sendable, Equatable {
        public var id: String
        public var title: String
        public var brief: String
    }
    public var title: String
    public var sections: [Section]

    /// The lesson file: format version, title, audience, video, agents and one `brief` section each.
    public func yaml(audience: String, provider: String) -> String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var out = """
            c2v: 1
            title: \(q(title))
            audience: \(q(audience))
            video: {size: 1280x720, fps: 30, quality: standard}
            agents: {provider: \(provider)}
            sections:

            """
        for s in sections {
            out += "  - id: \(s.id)\n    title: \(q(s.title))\n    brief: \(q(s.brief))\n\n"
        }
        return out
    }

    /// A section id from a title: lower-case ASCII words joined by `-`, accents transliterated
    /// (`L'Hôpital` -> `lhopital`) so the id is always one the lesson parser accepts.
    public static func id(_ title: String, taken: Set<String>) -> String {
        let folded = title.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "\u{2019}", with: "")
            .folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        let words = folded.split { !($0.isASCII && ($0.isLetter || $0.isNumber)) }.prefix(4)
        var base = words.joined(separator: "-")
        if base.isEmpty || !(base.first!.isLetter) { base = "section-" + base }
        var id = base, n = 2
        while taken.contains(id) { id = "\(base)-\(n)"; n += 1 }
        return id
    }
}

/// The offline outline: a fixed teaching arc around the topic, for an author to fill in.
public enum OfflineOutliner {
    public static func outline(topic: String, sections count: Int) -> Outline {
        let t = topic.trimmingCharacters(in: .whitespacesAndNewlines)
        var titles = ["Why \(t)?", "The key idea of \(t)", "A worked example", "Common mistakes", "Going further"]
        titles = Array(titles.prefix(max(1, count - 1))) + ["Summary"]
        let briefs = [
            "Where \(t) shows up and the question it answers.",
            "The central idea of \(t), with one picture that makes it click.",
            "One example of \(t) worked step by step.",
            "What learners often get wrong about \(t), and why.",
            "Where to go next after \(t).",
        ]
        var taken: Set<String> = []
        var sections: [Outline.Section] = []
        for (i, title) in titles.enumerated() {
            let id = Outline.id(title, taken: taken)
            taken.insert(id)
            let brief = title == "Summary" ? "The three things to remember about \(t)." : briefs[min(i, briefs.count - 1)]
            sections.append(Outline.Section(id: id, title: title, brief: brief))
        }
        return Outline(title: t.prefix(1).uppercased() + t.dropFirst(), sections: sections)
    }
}

extension LLMPlanner {
    static let outlinePrompt = """
        You outline an explainer video lesson. Reply with JSON only:
        {"title": "...", "sections": [{"title": "...", "brief": "..."}]}
        Sections build on each other, from motivation to a summary. Each brief is 1-3 sentences a
        teacher would write: what the section explains and what it shows. Titles are at most 8 words.
        """

    /// Asks for a whole lesson outline (`c2v new`).
    public func outline(topic: String, audience: String, sections count: Int) async throws -> (Outline, LLMUsage) {
        let client = self.client
        let user = "Topic: \(topic)\nAudience: \(audience)\nSections: \(count)"
        let (text, usage) = try await runBlocking {
            try client.chat(role: .planner, messages: [ChatMessage(role: "system", content: Self.outlinePrompt),
                                                        ChatMessage(role: "user", content: user)], json: true)
        }
        let payload = ReplyPayload.extract(text, json: true)
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any],
              let items = object["sections"] as? [[String: Any]], !items.isEmpty
        else { throw C2VError(.buildFailed, "the planner's outline is not JSON with `sections`: \(payload.prefix(200))") }
        var taken: Set<String> = []
        var sections: [Outline.Section] = []
        for item in items.prefix(12) {
            guard let title = item["title"] as? String, !title.isEmpty else { continue }
            let id = Outline.id(title, taken: taken)
            taken.insert(id)
            sections.append(Outline.Section(id: id, title: title, brief: (item["brief"] as? String) ?? title))
        }
        guard !sections.isEmpty else { throw C2VError(.buildFailed, "the planner's outline has no titled sections") }
        return (Outline(title: (object["title"] as? String) ?? topic, sections: sections), usage)
    }
}
