import C2VScene
import Foundation

/// The offline agents' small vocabulary of visuals, chosen from the words of a line or an
/// animation description. The Planner writes one as text; the Coder reads text back into one,
/// so author-written animation descriptions work the same way.
enum VisualIdea: Equatable {
    case sine
    case squareWave(terms: Int)
    case harmonicSum
    case rotatingCircle
    case formula(String)
    case card(String)
    /// `plot y = x^2`: a graph of an expression in x.
    case plot(String)
    /// `draw a triangle`: one named shape.
    case shape(String)
    /// `turn a circle into a square`.
    case morph(String, String)
    /// `list sines, cosines and phases`.
    case list([String])
    /// `highlight the key term`.
    case highlight(String)

    var description: String {
        switch self {
        case .sine: return "Plot a sine wave on axes"
        case .squareWave(let n): return "Plot a square wave from its first \(n) odd harmonics"
        case .harmonicSum: return "Stack two harmonics and show their sum"
        case .rotatingCircle: return "Draw a circle with a rotating radius arrow"
        case .formula(let text): return "Show the formula \(text) in a box"
        case .card(let text): return "Show the key phrase \"\(text)\" on a card"
        case .plot(let y): return "Plot y = \(y) on axes"
        case .shape(let name): return "Draw a \(name)"
        case .morph(let a, let b): return "Transform a \(a) into a \(b)"
        case .list(let items): return "List " + items.joined(separator: ", ")
        case .highlight(let text): return "Highlight \"\(text)\""
        }
    }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// Short function names that must match whole words ("since" is not a sine).
    static let wholeWords: Set<String> = ["sin", "cos", "sum", "add", "jump"]

    static func has(_ words: [String], _ stems: [String]) -> Bool {
        words.contains { word in
            stems.contains { wholeWords.contains($0) ? word == $0 || word == $0 + "s" || word == $0 + "ed" || word == $0 + "ing" : word.hasPrefix($0) }
        }
    }

    /// The leading number of a token: `9x` (from `sin(9x)`) is 9.
    static func leadingNumber(_ word: String) -> Int? {
        Int(String(word.prefix { $0.isNumber }))
    }

    /// Picks a visual for a line of text; the first matching rule wins.
    static func choose(for text: String) -> VisualIdea {
        let w = words(text)
        let lower = text.lowercased()
        if let plotted = plotExpression(in: text) { return .plot(plotted) }
        if let (a, b) = morphShapes(w) { return .morph(a, b) }
        if w.first == "list" || lower.hasPrefix("list ") {
            let items = lower.dropFirst(4).replacingOccurrences(of: " and ", with: ", ")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)) }
                .filter { !$0.isEmpty }.prefix(5).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            if !items.isEmpty { return .list(Array(items)) }
        }
        if w.first == "highlight" || w.first == "emphasize" || w.first == "emphasise" {
            if let quoted = quoted(text) { return .highlight(quoted) }
            return .highlight(keyPhrase(String(text.drop { !$0.isWhitespace })))
        }
        if ["draw", "show", "sketch"].contains(w.first ?? ""), let shape = w.first(where: { shapeNames.contains($0) }), shape != "circle" {
            return .shape(shape)
        }
        if has(w, ["square", "corner", "gibbs", "overshoot", "jump"]) {
            return .squareWave(terms: min(squareWaveTerms(w), 25))
        }
        if has(w, ["circle", "rotat", "epicycle", "spin", "turn", "phasor"]) { return .rotatingCircle }
        if has(w, ["sum", "add", "combin", "harmonic", "build", "superpos", "term"]) { return .harmonicSum }
        if has(w, ["sine", "sin", "cos", "wave", "signal", "oscillat", "periodic", "frequenc", "vibrat", "sound", "repeat"]) { return .sine }
        if let formula = formulaText(in: text) { return .formula(formula) }
        return .card(keyPhrase(text))
    }

    /// "first N (odd) harmonics/terms" means N terms; another number is the highest harmonic named
    /// (`sin(5x)` -> 3 odd terms); "more", "sharpen" or Gibbs talk asks for many.
    static func squareWaveTerms(_ w: [String]) -> Int {
        if let first = w.firstIndex(of: "first"), first + 1 < w.count, let n = Int(w[first + 1]), n > 0 { return n }
        if has(w, ["more", "sharpen", "many", "gibbs", "overshoot"]) { return 12 }
        if let highest = w.compactMap(leadingNumber).filter({ $0 > 1 && $0 <= 99 }).max() { return max(2, (highest + 1) / 2) }
        return 3
    }

    /// A formula-looking token run (`a_n = ...`, `f(x)`), if the text has one.
    static func formulaText(in text: String) -> String? {
        let tokens = text.split(separator: " ").map(String.init)
        guard let eq = tokens.firstIndex(where: { $0.contains("=") }) else { return nil }
        // Grow the formula from `=` over tokens that look like maths: operators, digits,
        // subscripts, brackets, single letters, and a few function and constant names.
        let mathNames: Set<String> = ["pi", "sin", "cos", "tan", "exp", "log", "sqrt", "dx", "dt"]
        func mathy(_ t: String) -> Bool {
            let bare = t.trimmingCharacters(in: .punctuationCharacters)
            return bare.count == 1 || mathNames.contains(bare.lowercased())
                || t.contains(where: { "=_^/()+-*0123456789<>[]{}|".contains($0) })
        }
        var start = eq, end = eq + 1
        while start > 0, mathy(tokens[start - 1]) { start -= 1 }
        while end < tokens.count, mathy(tokens[end]) { end += 1 }
        let formula = tokens[start..<end].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ",.;:"))
        return formula.count <= 28 ? formula : String(formula.prefix(28))
    }

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "is", "are", "be", "as", "by", "for", "with", "it", "its",
        "that", "this", "we", "you", "can", "how", "what", "why", "from", "into", "at", "each", "every", "any", "all",
        "show", "draw", "plot", "animate", "our", "their", "then", "so", "just", "only", "more", "most", "do", "does",
    ]

    /// Up to three content words, for a title card.
    static func keyPhrase(_ text: String) -> String {
        let content = text.split { !$0.isLetter && !$0.isNumber && $0 != "-" }.map(String.init)
            .filter { !stopWords.contains($0.lowercased()) }
        let picked = content.prefix(3).joined(separator: " ")
        return picked.isEmpty ? "…" : picked.prefix(1).uppercased() + picked.dropFirst()
    }

    static let shapeNames: Set<String> = ["circle", "square", "triangle", "rectangle", "pentagon", "hexagon", "star", "arrow", "ellipse"]

    /// `turn/transform/morph a circle into a square`.
    static func morphShapes(_ w: [String]) -> (String, String)? {
        guard has(w, ["transform", "morph", "turn", "becom", "change"]), let into = w.firstIndex(of: "into") else { return nil }
        guard let a = w[..<into].last(where: { shapeNames.contains($0) }), let b = w[into...].first(where: { shapeNames.contains($0) }),
              a != b, a != "arrow", b != "arrow" else { return nil }
        return (a, b)
    }

    /// The expression after "plot"/"graph of" when it compiles as a function of x (`plot y = x^2 - 1`).
    static func plotExpression(in text: String) -> String? {
        let lower = text.lowercased()
        guard let range = lower.range(of: "plot ") ?? lower.range(of: "graph of ") ?? lower.range(of: "graph ") else { return nil }
        var rest = String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        if let eq = rest.firstIndex(of: "="), rest[..<eq].trimmingCharacters(in: .whitespaces).count <= 4 {
            rest = String(rest[rest.index(after: eq)...])
        }
        for suffix in [" on axes", " from ", " over ", " for ", " and ", " with ", " on "] {
            if let r = rest.range(of: suffix) { rest = String(rest[..<r.lowerBound]) }
        }
        rest = rest.trimmingCharacters(in: CharacterSet(charactersIn: " .,;:"))
        guard !rest.isEmpty, rest.count <= 60, rest.contains("x"),
              (try? C2VScene.MathExpression(rest, variables: ["x"])) != nil else { return nil }
        return rest
    }

    static func quoted(_ text: String) -> String? {
        let parts = text.split(separator: "\"", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[1].isEmpty else { return nil }
        return String(parts[1].prefix(28))
    }
}
