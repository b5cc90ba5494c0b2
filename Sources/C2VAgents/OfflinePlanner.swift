/// The embedded Planner: deterministic, no network. Splits a brief into short lecture
/// lines and picks an animation for each from what the line talks about.
public struct OfflinePlanner: Planner {
    /// 2: writes the spoken sentence of each line. 3: animations from keyword rules that need
    /// context, and key-phrase cards for lines that fit none.
    public static let version = 3
    public static let maximumLines = 5
    public static let maximumWords = 10

    public init() {}

    public var identity: String { "offline-planner/\(Self.version)" }

    public func plan(_ request: PlanRequest, usage: UsageSink?) async throws -> Storyboard {
        let plan = Self.plan(from: request.brief)
        let lines = plan.map(\.line)
        return Storyboard(lectureLines: lines, animations: lines.map { VisualIdea.choose(for: $0).description },
                          spoken: plan.map(\.spoken))
    }

    /// Sentences, then clauses, then word chunks, until every line has at most ten words.
    static func lectureLines(from brief: String) -> [String] { plan(from: brief).map(\.line) }

    /// Each line, and what the narrator says with it: the clause as part of its sentence, so a
    /// sentence split over two bullets is spoken as one ("Fourier asked whether ..." / "is a sum
    /// of simple waves."), with the full stop at its end.
    static func plan(from brief: String) -> [(line: String, spoken: String)] {
        var sentences: [String] = []
        var current = ""
        for ch in brief {
            if ".!?;\n".contains(ch) {
                sentences.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        sentences.append(current)
        var lines: [(String, String)] = []
        for sentence in sentences.map(tidy) where !sentence.isEmpty {
            let clauses = split(sentence)
            for (j, clause) in clauses.enumerated() {
                let line = j == 0 ? capitalized(clause) : clause
                lines.append((line, j == clauses.count - 1 ? spokenSentence(line) : line))
            }
        }
        if lines.isEmpty { lines = [("(no brief given)", "")] }
        return Array(lines.prefix(maximumLines))
    }

    /// A bullet as the narrator says it: a whole sentence, ending in a full stop.
    static func spokenSentence(_ line: String) -> String {
        let text = capitalized(tidy(line))
        guard let last = text.last else { return text }
        return ".!?".contains(last) ? text : text + "."
    }

    /// Words a clause may start with: a line break before one of these reads naturally.
    static let breakWords: Set<String> = [
        "and", "but", "or", "so", "because", "while", "when", "where", "which", "that", "how", "for", "with",
        "by", "over", "into", "until", "then", "yet", "without", "from", "to",
    ]

    static func split(_ sentence: String) -> [String] {
        let words = sentence.split(separator: " ").map(String.init)
        if words.count <= maximumWords { return [sentence] }
        // Break after a comma or dash, or before a conjunction or preposition, nearest the middle,
        // keeping at least two words on each side.
        let candidates = (2..<(words.count - 1)).filter { i in
            words[i - 1].hasSuffix(",") || words[i] == "—" || words[i] == "-"
                || breakWords.contains(words[i].lowercased())
        }
        let middle = words.count / 2
        if let cut = candidates.min(by: { abs($0 - middle) < abs($1 - middle) }) {
            let head = words[..<cut].joined(separator: " ")
            let tail = words[cut...].filter { $0 != "—" && $0 != "-" }.joined(separator: " ")
            return split(tidy(head)) + split(tidy(tail))
        }
        let chunks = (words.count + maximumWords - 1) / maximumWords
        let size = (words.count + chunks - 1) / chunks
        return stride(from: 0, to: words.count, by: size).map {
            words[$0..<min($0 + size, words.count)].joined(separator: " ")
        }
    }

    static func tidy(_ s: String) -> String {
        s.split(whereSeparator: \.isWhitespace).joined(separator: " ").trimming(" ,:")
    }

    static func capitalized(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }
}

extension String {
    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
