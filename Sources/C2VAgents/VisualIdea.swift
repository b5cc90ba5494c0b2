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

    var description: String {
        switch self {
        case .sine: return "Plot a sine wave on axes"
        case .squareWave(let n): return "Plot a square wave from its first \(n) odd harmonics"
        case .harmonicSum: return "Stack two harmonics and show their sum"
        case .rotatingCircle: return "Draw a circle with a rotating radius arrow"
        case .formula(let text): return "Show the formula \(text) in a box"
        case .card(let text): return "Show the key phrase \"\(text)\" on a card"
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
}
