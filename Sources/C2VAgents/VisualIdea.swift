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
    /// The tangent to a curve sliding along it, its slope read off live.
    case tangent
    /// Riemann rectangles under a curve, growing in number.
    case areaUnder
    /// e^{iθ} turning on the unit circle of the complex plane, θ read off live.
    case complexRotation
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
        case .tangent: return "Slide a tangent line along a curve"
        case .areaUnder: return "Fill the area under a curve with rectangles"
        case .complexRotation: return "Turn a point around the unit circle of the complex plane"
        case .formula(let text): return "Show the formula \(text) in a box"
        case .card(let text): return "Show the key phrase \"\(text)\" on a card"
        case .plot(let y): return "Plot y = \(y) on axes"
        case .shape(let name): return "Draw a \(name)"
        case .morph(let a, let b): return "Transform a \(a) into a \(b)"
        case .list(let items): return "List " + items.joined(separator: ", ")
        case .highlight(let text): return "Highlight \"\(text)\""
        }
    }

    /// Picks a visual for a line of text; when nothing fits, a card of the line's key phrase,
    /// which is better than a plot of the wrong topic.
    static func choose(for text: String) -> VisualIdea {
        match(text) ?? .card(KeyPhrase.of(text))
    }

    /// The visual a text spells out or talks about, or nil when nothing fits: first a command
    /// (`plot y = x^2`, `list ...`, the Planner's own descriptions), then the first keyword rule
    /// whose context fits, then a named shape to draw, then a formula the text contains.
    static func match(_ text: String) -> VisualIdea? {
        let words = LineWords(text)
        if let idea = command(text, words) { return idea }
        if let rule = rules.first(where: { $0.applies(to: words) }) { return rule.topic.idea(words) }
        if let shape = drawnShape(words) { return .shape(shape) }
        if let formula = formulaText(in: text) { return .formula(formula) }
        return nil
    }

    // MARK: Keyword rules

    /// What a keyword rule is about; each topic makes its idea from the line's words.
    enum Topic: Equatable {
        case squareWave, rotatingCircle, harmonicSum, sine, tangent, areaUnder, complexRotation

        func idea(_ words: LineWords) -> VisualIdea {
            switch self {
            case .squareWave: return .squareWave(terms: min(VisualIdea.squareWaveTerms(words), 25))
            case .rotatingCircle: return .rotatingCircle
            case .harmonicSum: return .harmonicSum
            case .sine: return .sine
            case .tangent: return .tangent
            case .areaUnder: return .areaUnder
            case .complexRotation: return .complexRotation
            }
        }
    }

    /// One keyword rule: its topic applies when the line has one of `when`, one of `context` too
    /// (unless `context` is empty), and none of `unless`. Entries are words or phrases (`circle
    /// back`: those words in a row), matched as whole words (see `LineWords.contains`).
    struct KeywordRule {
        let topic: Topic
        let when: [String]
        let context: [String]
        let unless: [String]

        init(_ topic: Topic, _ when: [String], context: [String] = [], unless: [String] = []) {
            self.topic = topic
            self.when = when
            self.context = context
            self.unless = unless
        }

        func applies(to words: LineWords) -> Bool {
            words.containsAny(when) && (context.isEmpty || words.containsAny(context)) && !words.containsAny(unless)
        }
    }

    /// Words about waves, that make "square" a square wave and "jump" a discontinuity.
    static let waveTalk = ["wave", "fourier", "harmonic", "signal", "pulse", "partial sum", "series", "periodic", "sharpen"]
    /// Words about shapes and arithmetic, that make "square" anything but a square wave.
    static let squareShapeTalk = [
        "inscribed", "inscribe", "area", "shape", "root", "number", "side", "perimeter", "diagonal", "triangle", "rectangle",
        "polygon", "grid", "board", "matrix", "completing", "square of", "squared", "perfect square", "magic square",
        "square one", "unit square", "metre", "meter", "feet", "foot", "mile", "kilometre",
    ]
    /// Words of turning, that make a circle a rotating one.
    static let turning = ["rotate", "rotation", "turn", "spin", "orbit", "revolve", "revolution", "radius", "radii", "tip", "chain",
                          "epicycle", "phasor", "angle"]

    /// The keyword rules in order; the first that applies wins.
    static let rules: [KeywordRule] = [
        // The vocabulary's own pictures: a tangent, an area under a curve, the complex plane.
        KeywordRule(.tangent, ["tangent", "derivative", "slope"], context: ["curve", "graph", "line", "point", "function", "derivative", "tangent", "slope"],
                    unless: ["slippery slope", "go off on a tangent", "off on a tangent", "ski", "hill"]),
        KeywordRule(.areaUnder, ["area under", "integral", "integrate", "riemann", "rectangles under"]),
        KeywordRule(.complexRotation, ["complex", "euler", "imaginary"], context: ["plane", "circle", "number", "rotate", "turn", "unit", "formula", "angle"],
                    unless: ["complex problem", "complex system", "complex task", "complex idea"]),
        // A square wave named outright, "square" among words about waves but none about shapes or
        // arithmetic ("inscribed square", "square root"), or the Gibbs overshoot at its jumps.
        KeywordRule(.squareWave, ["square wave"]),
        KeywordRule(.squareWave, ["square"], context: waveTalk, unless: squareShapeTalk),
        KeywordRule(.squareWave, ["gibbs"], unless: ["energy", "entropy", "enthalpy", "free"]),
        KeywordRule(.squareWave, ["overshoot", "jump", "corner", "discontinuity"], context: waveTalk + ["term"]),
        // A circle that turns ("circle back" and "full circle" do not), or turning of something round.
        KeywordRule(.rotatingCircle, ["epicycle", "phasor"]),
        KeywordRule(.rotatingCircle, ["circle", "wheel"], context: turning,
                    unless: ["circle back", "full circle", "inner circle", "vicious circle", "circle of friends"]),
        KeywordRule(.rotatingCircle, ["rotate", "rotation", "spin", "turn", "orbit"], context: ["point", "arrow", "radius", "clock", "hand", "arm"],
                    unless: ["turn into", "turn out", "in turn", "your turn", "turn around"]),
        // Harmonics, and sums or stacks of waves.
        KeywordRule(.harmonicSum, ["harmonic", "overtone", "superposition", "superpose"],
                    unless: ["harmonic mean", "harmonic number"]),
        KeywordRule(.harmonicSum, ["sum", "add", "combine", "build", "built", "stack", "mix"],
                    context: ["sine", "sin", "cosine", "cos", "wave", "frequency", "signal", "fourier", "sinusoid"]),
        // One wave: sines, oscillations, periodic signals; sound or repetition only with talk of time or hearing.
        KeywordRule(.sine, ["sine", "sin", "cosine", "cos", "sinusoid", "sinusoidal", "oscillate", "oscillation", "oscillator",
                            "vibrate", "vibration"]),
        KeywordRule(.sine, ["wave"], unless: ["wave hello", "wave goodbye", "heat wave", "crime wave", "new wave", "wave of",
                                              "waved", "waving"]),
        KeywordRule(.sine, ["periodic", "frequency", "signal"],
                    unless: ["periodic table", "frequency table", "word frequency", "turn signal", "traffic signal"]),
        KeywordRule(.sine, ["sound", "repeat", "cycle", "rhythm", "heartbeat", "pitch", "tone"],
                    context: ["time", "period", "vibration", "hear", "ear", "air", "string", "music", "note", "heartbeat", "beat",
                              "light", "shape", "pattern", "second"],
                    unless: ["loop", "until", "pass", "step", "list", "algorithm", "code", "sounds like", "sounds good", "cycle through"]),
    ]

    /// Number words a line may spell out.
    static let numberWords = ["one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                              "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
                              "twenty": 20, "fifty": 50, "hundred": 100]

    /// A whole number written in digits or as a word.
    static func number(_ word: String) -> Int? { Int(word) ?? numberWords[word] }

    /// The leading number of a token: `9x` (from `sin(9x)`) is 9.
    static func leadingNumber(_ word: String) -> Int? {
        Int(String(word.prefix { $0.isNumber }))
    }

    /// Square wave terms, from numbers only where they count harmonics: "(first) N (odd)
    /// harmonics/terms" is N; "harmonic N" or `sin(Nx)` names the highest odd harmonic (`sin(5x)`
    /// -> 3 terms); "more", "sharpen" or Gibbs talk asks for many; otherwise three. Other numbers
    /// ("jumps between +1 and -1", "in 1822") are not about terms.
    static func squareWaveTerms(_ line: LineWords) -> Int {
        let w = line.words
        let counted = ["harmonic", "term", "sine", "sinusoid", "sin"]
        for (i, word) in w.enumerated() {
            guard let n = number(word), n > 0 else { continue }
            var next = i + 1
            if next < w.count, w[next] == "odd" { next += 1 }
            if next < w.count, counted.contains(where: { LineWords.matches(w[next], $0) }) { return n }
        }
        var highest: [Int] = []
        for (i, word) in w.enumerated().dropLast() {
            if LineWords.matches(word, "harmonic"), let n = number(w[i + 1]) { highest.append(n) }
            if word == "sin", let n = leadingNumber(w[i + 1]) { highest.append(n) }
        }
        if line.containsAny(["more", "many", "sharpen", "gibbs", "overshoot"]) { return 12 }
        if let top = highest.filter({ $0 > 1 && $0 <= 99 }).max() { return max(2, (top + 1) / 2) }
        return 3
    }

    // MARK: Commands

    /// A visual that a text spells out: the Planner's descriptions (which read back as the idea
    /// they describe) and author-written commands.
    static func command(_ text: String, _ w: LineWords) -> VisualIdea? {
        let lower = text.lowercased()
        if let plotted = plotExpression(in: text) { return .plot(plotted) }
        if let (a, b) = morphShapes(w) { return .morph(a, b) }
        if lower.hasPrefix("show the key phrase "), let phrase = quoted(text, limit: 80) {
            return .card(KeyPhrase.sentenceCase(phrase))
        }
        if lower.hasPrefix("show the formula "), lower.hasSuffix(" in a box") {
            let formula = text.dropFirst("show the formula ".count).dropLast(" in a box".count)
            if !formula.isEmpty, formula.contains("=") { return .formula(String(formula.prefix(28))) }
        }
        if w.words.first == "list" {
            let items = lower.dropFirst(4).replacingOccurrences(of: " and ", with: ", ")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)) }
                .filter { !$0.isEmpty }.prefix(5).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            if !items.isEmpty { return .list(Array(items)) }
        }
        if ["highlight", "emphasize", "emphasise"].contains(w.words.first ?? "") {
            if let quoted = quoted(text, limit: 28) { return .highlight(quoted) }
            return .highlight(KeyPhrase.of(String(text.drop { !$0.isWhitespace })))
        }
        return nil
    }

    static let shapeNames: Set<String> = ["circle", "square", "triangle", "rectangle", "pentagon", "hexagon", "star", "arrow", "ellipse"]

    /// `draw/show/sketch a triangle`: checked after the keyword rules, so that "show a square
    /// wave" is a wave and "draw a circle with a rotating radius" turns.
    static func drawnShape(_ w: LineWords) -> String? {
        guard ["draw", "show", "sketch"].contains(w.words.first ?? "") else { return nil }
        return w.words.first { shapeNames.contains($0) }
    }

    /// `turn/transform/morph a circle into a square`.
    static func morphShapes(_ w: LineWords) -> (String, String)? {
        guard w.containsAny(["transform", "morph", "turn", "become", "change"]), let into = w.words.firstIndex(of: "into") else { return nil }
        guard let a = w.words[..<into].last(where: { shapeNames.contains($0) }), let b = w.words[into...].first(where: { shapeNames.contains($0) }),
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

    /// A formula-looking token run (`a_n = ...`, `f(x)`), if the text has one.
    static func formulaText(in text: String) -> String? {
        let tokens = text.split(separator: " ").map(String.init)
        guard let eq = tokens.firstIndex(where: { $0.contains("=") }) else { return nil }
        // Grow the formula from `=` over tokens that look like maths.
        var start = eq, end = eq + 1
        while start > 0, KeyPhrase.mathy(tokens[start - 1]) { start -= 1 }
        while end < tokens.count, KeyPhrase.mathy(tokens[end]) { end += 1 }
        let formula = tokens[start..<end].joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ",.;:"))
        return formula.count <= 28 ? formula : String(formula.prefix(28))
    }

    /// The first double-quoted run of `text`, if any, at most `limit` characters.
    static func quoted(_ text: String, limit: Int) -> String? {
        let parts = text.split(separator: "\"", omittingEmptySubsequences: false)
        guard parts.count >= 3, !parts[1].isEmpty else { return nil }
        return String(parts[1].prefix(limit))
    }
}

/// A line's words, lowercased, for matching rules by whole words and phrases rather than by
/// substrings: "sign" is not "sine", "since" not "sin", "cost" not "cos".
struct LineWords {
    let words: [String]

    init(_ text: String) {
        words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// Whether a word or phrase occurs, its words in a row.
    func contains(_ phrase: String) -> Bool {
        let parts = phrase.split(separator: " ").map(String.init)
        guard !parts.isEmpty, parts.count <= words.count else { return false }
        return (0...(words.count - parts.count)).contains { start in
            parts.indices.allSatisfy { LineWords.matches(words[start + $0], parts[$0]) }
        }
    }

    func containsAny(_ phrases: [String]) -> Bool { phrases.contains(where: contains) }

    /// Whether `token` is `pattern` or one of its regular plural and verb forms: `wave` matches
    /// waves and waved, `turn` turning, `spin` spinning, `frequency` frequencies; `rotat*`
    /// matches any word starting with `rotat`.
    static func matches(_ token: String, _ pattern: String) -> Bool {
        if pattern.hasSuffix("*") { return token.hasPrefix(pattern.dropLast()) }
        if token == pattern { return true }
        guard token.count > pattern.count else { return false }
        var forms = [pattern + "s", pattern + "es", pattern + "ed", pattern + "ing"]
        let stem = String(pattern.dropLast())
        if pattern.hasSuffix("e") { forms += [pattern + "d", stem + "ing"] }
        if pattern.hasSuffix("y") { forms += [stem + "ies", stem + "ied"] }
        if let last = pattern.last, !"aeiouwxy".contains(last), pattern.dropLast().last.map({ "aeiou".contains($0) }) == true {
            forms += [pattern + String(last) + "ing", pattern + String(last) + "ed"]
        }
        return forms.contains(token)
    }
}

/// The key phrase of a line, for a card: the line without its lead-in ("Now", "Let's", "We
/// will", "Notice that", an article), the clause after a colon, cut at a clause boundary to about
/// seven words, formulas kept whole, in sentence case.
enum KeyPhrase {
    static let maximumWords = 8

    /// Openings that say nothing of the topic, longest first where one begins another.
    static let leadIns: [[String]] = [
        "take a look at", "have a look at", "as you can see", "it turns out that", "it turns out", "first of all",
        "in other words", "we are going to", "we're going to", "we need to", "you can see that", "we can see that",
        "here is", "here are", "there is", "there are", "this means that", "this means", "that is", "in fact", "of course",
        "let's", "lets", "let us", "we will", "we'll", "we can", "we could", "we should", "we shall", "we must", "we now",
        "you will", "you'll", "you can", "you could", "you should",
        "look at", "think about", "talk about", "learn about", "see that", "note that", "notice that",
        "remember that", "recall that", "observe that", "notice", "note", "remember", "recall", "observe", "imagine",
        "consider", "explore", "discuss", "see",
        "now", "so", "okay", "ok", "well", "next", "then", "finally", "also", "and", "but", "basically", "here",
    ].map { $0.split(separator: " ").map(String.init) }

    /// Words before which a long phrase may be cut.
    static let connectives: Set<String> = [
        "at", "in", "on", "with", "by", "for", "from", "into", "to", "until", "while", "when", "where", "which", "because",
        "and", "but", "so", "like", "than", "as", "after", "before", "without", "whose", "who",
    ]
    static let articles: Set<String> = ["a", "an", "the"]
    /// Words that open a clause leading up to the main one ("In terms of cost, ...").
    static let subordinators: Set<String> = [
        "in", "for", "when", "whenever", "if", "after", "before", "because", "since", "while", "as", "once", "with", "without",
        "by", "at", "on", "although", "though", "unless", "until",
    ]
    /// Words a phrase must not end on.
    static let dangling: Set<String> = connectives.union(articles).union(["of", "or", "that", "its", "their", "our", "each", "every"])
    /// Words that alone make no key phrase.
    static let stopWords: Set<String> = connectives.union(articles).union([
        "of", "or", "is", "are", "be", "it", "its", "that", "this", "we", "you", "can", "how", "what", "why", "each", "every",
        "any", "all", "our", "their", "then", "just", "only", "more", "most", "do", "does", "there", "here", "not",
    ])

    /// Whether a token looks like maths: operators, digits, subscripts, brackets, a single
    /// letter, or a function or constant name.
    static func mathy(_ token: String) -> Bool {
        let mathNames: Set<String> = ["pi", "sin", "cos", "tan", "exp", "log", "sqrt", "dx", "dt"]
        let bare = token.trimmingCharacters(in: .punctuationCharacters)
        return bare.count == 1 || mathNames.contains(bare.lowercased())
            || token.contains(where: { "=_^/()+-*0123456789<>[]{}|".contains($0) })
    }

    /// Whether a token is part of a formula rather than a word: `2^n`, `sin(x)`, `-`, `a_n`.
    static func formulaPart(_ token: String) -> Bool {
        token.contains(where: { "=_^/()+*<>[]{}|".contains($0) }) || token.allSatisfy { "-+*/=<>".contains($0) }
            || (token.contains(where: \.isNumber) && token.contains(where: \.isLetter))
    }

    static func of(_ text: String) -> String {
        var source = text.replacingOccurrences(of: "\u{2019}", with: "'").replacingOccurrences(of: "\"", with: "")
        // The clause after a colon says what the line is about ("Key idea: ...").
        if let colon = source.firstIndex(of: ":") {
            let after = source[source.index(after: colon)...]
            if after.contains(where: \.isLetter) { source = String(after) }
        }
        var units = self.units(source)
        // An aside between dashes ("Fourier — a French mathematician — studied heat") goes.
        let dashes = units.indices.filter { ["—", "–"].contains(units[$0]) }
        if dashes.count >= 2, units.count - (dashes[1] - dashes[0] + 1) >= 2 { units.removeSubrange(dashes[0]...dashes[1]) }
        stripLeadIn(&units)
        // "When a pass makes no swaps, the list is sorted": the main clause says it.
        if let first = units.first, subordinators.contains(bare(first).lowercased()),
           let comma = units.firstIndex(where: { $0.hasSuffix(",") }), units.count - comma > 2 {
            units.removeFirst(comma + 1)
            stripLeadIn(&units)
        }
        if units.count > maximumWords - 1 { units = cut(units) }
        while let last = units.last, dangling.contains(bare(last).lowercased()) { units.removeLast() }
        var phrase = units.joined(separator: " ")
        while let last = phrase.last, ".,;:!—–".contains(last) { phrase.removeLast() }
        guard units.contains(where: { !stopWords.contains(bare($0).lowercased()) && $0.contains(where: { $0.isLetter || $0.isNumber }) })
        else { return "…" }
        return sentenceCase(phrase)
    }

    /// The words of a text, with a formula's operators and operands joined into one unit
    /// (`2^n - 1`), and so is a list of numbers (`5, 2, 8`), so neither is ever cut through.
    static func units(_ text: String) -> [String] {
        func number(_ s: String) -> Bool { Double(s.trimmingCharacters(in: CharacterSet(charactersIn: ",."))) != nil }
        var out: [String] = []
        var joining = false
        for token in text.split(whereSeparator: \.isWhitespace).map(String.init) {
            let isOperator = token.allSatisfy { "-+*/=<>".contains($0) } && token != "—"
            let listed = number(token) && out.last.map { $0.hasSuffix(",") && number(String($0.split(separator: " ").last ?? "")) } == true
            if let last = out.last, (isOperator && (formulaPart(last) || mathy(last))) || joining || listed {
                out[out.count - 1] = last + " " + token
                joining = isOperator
            } else {
                out.append(token)
                joining = false
            }
        }
        return out
    }

    static func bare(_ unit: String) -> String { unit.trimmingCharacters(in: .punctuationCharacters) }

    /// Drops openings (and then a leading article) while the rest still has words.
    static func stripLeadIn(_ units: inout [String]) {
        func lower(_ i: Int) -> String { bare(units[i]).lowercased() }
        var stripped = true
        while stripped, units.count > 1 {
            stripped = false
            // "First, ..." and the like: one word and a comma.
            if units[0].hasSuffix(","), ["first", "second", "third", "next", "then", "finally", "now", "so", "well", "okay", "ok",
                                         "also", "here", "again", "remember", "lastly"].contains(lower(0)) {
                units.removeFirst(); stripped = true; continue
            }
            for leadIn in leadIns where leadIn.count < units.count
                && leadIn.indices.allSatisfy({ lower($0) == leadIn[$0] && ($0 == leadIn.count - 1 || !units[$0].hasSuffix(",")) }) {
                units.removeFirst(leadIn.count)
                if units.count > 1, lower(0) == "that" { units.removeFirst() }
                stripped = true
                break
            }
        }
        if units.count > 1, articles.contains(lower(0)) { units.removeFirst() }
    }

    /// At most `maximumWords` units: the first clause if a comma or dash ends one of three or
    /// more words in reach, else up to the first connective after four words, else the first
    /// words; a formula cut off is kept alone instead.
    static func cut(_ units: [String]) -> [String] {
        let reach = min(units.count, maximumWords)
        if let end = (3...reach).first(where: { units[$0 - 1].hasSuffix(",") || units[$0 - 1].hasSuffix(";")
                                                || ($0 < units.count && ["—", "–", "-"].contains(units[$0])) }) {
            return Array(units[..<end])
        }
        var kept = Array(units[..<reach])
        if reach >= 5, let end = (4..<min(units.count, maximumWords + 1)).first(where: { connectives.contains(bare(units[$0]).lowercased()) }) {
            kept = Array(units[..<end])
        }
        if let formula = units[kept.count...].first(where: formulaPart), !kept.contains(where: formulaPart) { return [formula] }
        return kept
    }

    /// The first letter capitalised, unless the phrase starts with a formula (`sin(x) ...`).
    static func sentenceCase(_ phrase: String) -> String {
        let trimmed = phrase.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.split(separator: " ").first, !formulaPart(String(first)), let letter = trimmed.first else { return trimmed }
        return letter.uppercased() + trimmed.dropFirst()
    }
}
