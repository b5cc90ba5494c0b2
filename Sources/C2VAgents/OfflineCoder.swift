import C2VScene
import Foundation

/// The embedded Coder: deterministic, no network. It writes a scene program as text, just as
/// an LLM Coder does, and parses it with the same parser, so offline scenes exercise exactly
/// the language an LLM is taught. Each lecture line gets visuals of its own in the right-hand
/// area, brought in by steps tied to that line and cleared when the line ends.
public struct OfflineCoder: Coder {
    /// 3: keyword rules need context (an inscribed square is no square wave); a line that
    /// fits no rule gets a card of its key phrase, sized and broken into rows to fit; its scenes
    /// are read by scene.parser 4. 4: tangents, areas under curves and the complex plane, where a
    /// line asks for them.
    public static let version = 4

    public init() {}

    public var identity: String { "offline-coder/\(Self.version)" }

    public func code(_ request: CodeRequest, usage: UsageSink?) async throws -> Scene {
        let text = Self.sceneText(request)
        return try SceneParser.parse(text: text, file: "<offline coder: \(request.sectionTitle)>", title: request.sectionTitle,
                                     lectureLines: request.storyboard.lectureLines, durationHint: request.durationHint)
    }

    /// The scene program for a storyboard.
    public static func sceneText(_ request: CodeRequest) -> String {
        let lines = request.storyboard.lectureLines
        var writer = SceneWriter()
        for i in lines.indices {
            writer.add(idea(for: i, of: request.storyboard), line: i, last: i == lines.count - 1)
        }
        return writer.text
    }

    /// The visual of one line: what its animation description asks for, else what the line
    /// talks about, else a card of the line's key phrase. An idea whose scene would not parse
    /// (a formula that is no TeX) becomes the card too.
    static func idea(for i: Int, of storyboard: Storyboard) -> VisualIdea {
        let lines = storyboard.lectureLines
        let line = lines[i]
        let description = i < storyboard.animations.count ? storyboard.animations[i] : line
        let idea = VisualIdea.match(description) ?? VisualIdea.choose(for: line)
        if case .card = idea { return idea }
        var alone = SceneWriter()
        alone.add(idea, line: i, last: i == lines.count - 1)
        guard (try? SceneParser.parse(text: alone.text, file: "<offline coder>", title: "", lectureLines: lines, durationHint: nil)) != nil
        else { return .card(KeyPhrase.of(line)) }
        return idea
    }
}

/// Builds scene YAML: objects, params and steps for one visual idea per lecture line.
struct SceneWriter {
    var params: [String] = []
    var objects: [String] = []
    var steps: [String] = []

    var text: String {
        var out = "scene:\n"
        if !params.isEmpty { out += "  params:\n" + params.map { "    \($0)\n" }.joined() }
        out += "  objects:\n" + (objects.isEmpty ? "    []\n" : objects.map { "    - \($0)\n" }.joined())
        if !steps.isEmpty { out += "  steps:\n" + steps.map { "    - \($0)\n" }.joined() }
        return out
    }

    /// A YAML double-quoted string.
    static func q(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    mutating func object(_ fields: String, until line: Int, last: Bool) {
        objects.append("{" + fields + (last ? "" : ", until: \(line)") + "}")
    }

    mutating func step(_ fields: String, line: Int) {
        steps.append("{line: \(line), " + fields + "}")
    }

    mutating func add(_ idea: VisualIdea, line i: Int, last: Bool) {
        let p = "l\(i + 1)_"
        func obj(_ s: String) { object(s, until: i, last: last) }
        func step(_ s: String) { self.step(s, line: i) }
        switch idea {
        case .sine:
            obj("id: \(p)axes, kind: axes, at: \"A2:F5\", x: [-tau, tau], y: [-1.5, 1.5], ticks: [pi, 1], labels: false")
            obj("id: \(p)wave, kind: graph, on: \(p)axes, y: \"sin(x)\", color: 0")
            step("do: create, target: \(p)axes, duration: 0.8")
            step("do: create, target: \(p)wave, duration: 1.5")
        case .squareWave(let terms):
            let n = "n\(i + 1)"
            params.append("\(n): 1")
            obj("id: \(p)axes, kind: axes, at: \"A1:F5\", x: [-pi, pi], y: [-1.5, 1.5], ticks: [1, 0.5], labels: false")
            obj("id: \(p)wave, kind: graph, on: \(p)axes, y: \"4/pi * sum(k, 0, \(n) - 1, sin((2*k + 1)*x)/(2*k + 1))\", color: 1")
            obj("id: \(p)label, kind: text, at: \"B6:E6\", text: \(SceneWriter.q("up to \(terms) odd harmonics")), size: 34")
            step("do: create, target: \(p)axes, duration: 0.6")
            step("do: create, target: \(p)wave, duration: 1")
            if terms > 1 {
                step("together: [{do: animate, param: \(n), to: \(terms), duration: \(min(4, 0.5 + 0.25 * Double(terms)))}, {do: write, target: \(p)label}]")
            } else {
                step("do: write, target: \(p)label")
            }
        case .harmonicSum:
            obj("id: \(p)h1, kind: graph, at: \"A1:F2\", y: \"sin(x)\", color: 0")
            obj("id: \(p)h3, kind: graph, at: \"A3:F3\", y: \"sin(3*x)/3\", color: 2")
            obj("id: \(p)sum, kind: graph, at: \"A4:F6\", y: \"sin(x) + sin(3*x)/3\", color: 1")
            step("do: create, target: \(p)h1, duration: 0.8")
            step("do: create, target: \(p)h3, duration: 0.8")
            step("do: create, target: \(p)sum, duration: 1")
        case .rotatingCircle:
            // Centre of B2:E5 and a radius that fits it, in scene units.
            let cx = 1310.0, cy = 600.0, r = 240.0
            obj("id: \(p)circle, kind: circle, at: \"B2:E5\", radius: \(Int(r)), color: 0")
            obj("id: \(p)radius, kind: arrow, from: [\(Int(cx)), \(Int(cy))], to: [\"\(Int(cx)) + \(Int(r))*cos(2*t)\", \"\(Int(cy)) - \(Int(r))*sin(2*t)\"], color: 3")
            obj("id: \(p)centre, kind: dot, at: [\(Int(cx)), \(Int(cy))], color: text")
            step("do: create, target: \(p)circle, duration: 1")
            step("together: [{do: grow, target: \(p)radius, duration: 0.6}, {do: fade_in, target: \(p)centre, duration: 0.6}]")
        case .formula(let text):
            obj("id: \(p)box, kind: rectangle, at: \"A2:F5\", corner: 24, color: 0")
            obj("id: \(p)formula, kind: math, at: \"A3:F4\", tex: \(SceneWriter.q(SceneWriter.tex(text)))")
            step("do: create, target: \(p)box, duration: 0.8")
            step("do: write, target: \(p)formula")
            step("do: indicate, target: \(p)formula")
        case .card(let text), .highlight(let text):
            let card = CardLayout(KeyPhrase.sentenceCase(text))
            obj("id: \(p)card, kind: rectangle, at: \"A2:F5\", size: [\(Int(CardLayout.size.width)), \(Int(CardLayout.size.height))], corner: 24, color: 2")
            let rows = card.rows.indices.map { $0 == 0 ? "\(p)phrase" : "\(p)phrase\($0 + 1)" }
            for (k, row) in card.rows.enumerated() {
                obj("id: \(rows[k]), kind: text, at: \"A3:F4\", offset: [0, \(card.offsets[k])], text: \(SceneWriter.q(SceneWriter.plain(row, bold: true))), "
                    + "size: \(card.fontSize), bold: true")
            }
            step("do: create, target: \(p)card, duration: 0.8")
            if rows.count == 1 {
                step("do: write, target: \(rows[0])")
            } else {
                step("sequence: [" + rows.map { "{do: write, target: \($0), duration: 0.8}" }.joined(separator: ", ") + "]")
            }
            if case .highlight = idea {
                let style = rows.count == 1 ? "box" : "underline"
                step("together: [" + rows.map { "{do: indicate, target: \($0), style: \(style)}" }.joined(separator: ", ") + "]")
            }
        case .tangent:
            let a = "a\(i + 1)"
            params.append("\(a): -1.8")
            obj("id: \(p)axes, kind: axes, at: \"A1:F5\", x: [-2.5, 2.5], y: [-0.5, 3.5], ticks: [1, 1]")
            obj("id: \(p)curve, kind: graph, on: \(p)axes, y: \"x^2 / 2\", color: 0")
            obj("id: \(p)tangent, kind: tangent, of: \(p)curve, x: \(a), length: 360, color: 3")
            obj("id: \(p)point, kind: dot, on: \(p)axes, at: [\"\(a)\", \"\(a)^2 / 2\"], color: 3")
            obj("id: \(p)slope, kind: text, at: \"B6:E6\", text: \"slope = {\(a):.1f}\", size: 36")
            step("do: create, target: \(p)axes, duration: 0.6")
            step("do: create, target: \(p)curve, duration: 1")
            step("together: [{do: fade_in, target: \(p)tangent, duration: 0.5}, {do: fade_in, target: \(p)point, duration: 0.5}, {do: write, target: \(p)slope, duration: 0.5}]")
            step("do: animate, param: \(a), to: 1.8, duration: 3, easing: ease_in_out")
        case .areaUnder:
            let n = "n\(i + 1)"
            params.append("\(n): 2")
            obj("id: \(p)axes, kind: axes, at: \"A1:F5\", x: [0, 4], y: [0, 2.5], ticks: [1, 1]")
            obj("id: \(p)curve, kind: graph, on: \(p)axes, y: \"1 + sin(x) / 2\", color: 0")
            obj("id: \(p)area, kind: area, of: \(p)curve, x: [0.5, 3.5], riemann: \(n), rule: mid, color: 2")
            obj("id: \(p)count, kind: text, at: \"B6:E6\", text: \"rectangles: {\(n):d}\", size: 36")
            step("do: create, target: \(p)axes, duration: 0.6")
            step("do: create, target: \(p)curve, duration: 1")
            step("together: [{do: fade_in, target: \(p)area, duration: 0.6}, {do: write, target: \(p)count, duration: 0.6}]")
            step("do: animate, param: \(n), to: 24, duration: 3, easing: ease_in")
        case .complexRotation:
            let theta = "theta\(i + 1)"
            params.append("\(theta): 0.5")
            obj("id: \(p)plane, kind: plane, at: \"A1:F6\", x: [-1.4, 1.4], y: [-1.25, 1.25], complex: true, grid: 0.5, color: 0")
            obj("id: \(p)circle, kind: circle, on: \(p)plane, at: [0, 0], radius: 1, color: 1")
            obj("id: \(p)ray, kind: arrow, on: \(p)plane, from: [0, 0], to: [\"cos(\(theta))\", \"sin(\(theta))\"], color: 3")
            obj("id: \(p)point, kind: dot, on: \(p)plane, at: [\"cos(\(theta))\", \"sin(\(theta))\"], color: 3")
            obj("id: \(p)angle, kind: text, at: \"A1\", text: '$\\theta$ = {\(theta):.2f}', size: 34")
            step("do: create, target: \(p)plane, duration: 0.8")
            step("do: create, target: \(p)circle, duration: 1")
            step("together: [{do: grow, target: \(p)ray, duration: 0.6}, {do: fade_in, target: \(p)point, duration: 0.6}, {do: write, target: \(p)angle, duration: 0.6}]")
            step("do: animate, param: \(theta), to: 3.1416, duration: 3, easing: ease_in_out")
        case .plot(let y):
            let (low, high) = Self.range(of: y)
            obj("id: \(p)axes, kind: axes, at: \"A1:F6\", x: [-3, 3], y: [\(low), \(high)]")
            obj("id: \(p)graph, kind: graph, on: \(p)axes, y: \(SceneWriter.q(y)), color: 0")
            step("do: create, target: \(p)axes, duration: 0.8")
            step("do: create, target: \(p)graph, duration: 1.5")
        case .shape(let name):
            obj("id: \(p)shape, " + Self.shape(name, at: "B2:E5") + ", color: 0")
            step("do: create, target: \(p)shape, duration: 1.2")
            step("do: indicate, target: \(p)shape")
        case .morph(let a, let b):
            obj("id: \(p)from, " + Self.shape(a, at: "B2:E5") + ", color: 0")
            obj("id: \(p)into, " + Self.shape(b, at: "B2:E5") + ", color: 1")
            step("do: create, target: \(p)from, duration: 1")
            step("do: transform, target: \(p)from, into: \(p)into, duration: 1.5")
        case .list(let items):
            let rows = min(items.count, 5)
            for (k, item) in items.prefix(rows).enumerated() {
                let row = k + 1
                obj("id: \(p)item\(k), kind: text, at: \"A\(row).left\", offset: [30, 0], text: \(SceneWriter.q("• " + SceneWriter.plain(item))), size: 40")
            }
            let targets = (0..<rows).map { "{do: fade_in, target: \(p)item\($0), duration: 0.5}" }.joined(separator: ", ")
            step("sequence: [\(targets)]")
        }
    }

    /// Text shown as written: braces would start live values and `<` markup.
    static func plain(_ s: String, bold: Bool = false) -> String {
        let braces = s.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
        guard braces.contains(where: { "<>&".contains($0) }) else { return braces }
        let escaped = braces.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        return "<span weight=\"\(bold ? "bold" : "normal")\">" + escaped + "</span>"
    }

    /// Plain-text maths as TeX: Greek names and function names become commands, `*` a dot.
    static func tex(_ plain: String) -> String {
        let commands: Set<String> = ["pi", "alpha", "beta", "gamma", "delta", "theta", "lambda", "mu", "sigma", "omega", "phi",
                                     "sin", "cos", "tan", "log", "exp", "infty"]
        var out = ""
        var word = ""
        func flush() {
            if commands.contains(word) { out += "\\" + word + " " } else { out += word }
            word = ""
        }
        for c in plain {
            if c.isLetter { word.append(c); continue }
            flush()
            out += c == "*" ? " \\cdot " : String(c)
        }
        flush()
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// A y range with room around the values of `y` over x in [-3, 3].
    static func range(of y: String) -> (String, String) {
        guard let e = try? MathExpression(y, variables: ["x"]) else { return ("-1", "1") }
        let values = (0...120).map { e.evaluate(-3 + 6 * Double($0) / 120) }.filter(\.isFinite)
        guard var low = values.min(), var high = values.max() else { return ("-1", "1") }
        low = min(low, 0); high = max(high, 0)
        if high - low < 1e-6 { low -= 1; high += 1 }
        let pad = (high - low) * 0.1
        // Keep the range modest: steep curves are clipped at the axes instead of flattening the rest.
        func fmt(_ v: Double) -> String { String(format: "%.3g", max(-50, min(50, v))) }
        return (fmt(low - pad), fmt(high + pad))
    }

    static func shape(_ name: String, at area: String) -> String {
        switch name {
        case "square": return "kind: rectangle, at: \"\(area)\", size: [440, 440]"
        case "rectangle": return "kind: rectangle, at: \"\(area)\", size: [640, 380], corner: 16"
        case "triangle": return "kind: regular_polygon, at: \"\(area)\", sides: 3, radius: 260"
        case "pentagon": return "kind: regular_polygon, at: \"\(area)\", sides: 5, radius: 250"
        case "hexagon": return "kind: regular_polygon, at: \"\(area)\", sides: 6, radius: 250"
        case "star": return "kind: polygon, points: " + starPoints()
        case "ellipse": return "kind: ellipse, at: \"\(area)\", radius: [330, 200]"
        case "arrow": return "kind: arrow, from: B4, to: E3"
        default: return "kind: circle, at: \"\(area)\", radius: 250"
        }
    }

    static func starPoints() -> String {
        let cx = 1310.0, cy = 600.0
        let points = (0..<10).map { k -> String in
            let r = k % 2 == 0 ? 260.0 : 110.0
            let a = Double.pi / 2 + Double(k) * Double.pi / 5
            return "[\(Int((cx + r * cos(a)).rounded())), \(Int((cy - r * sin(a)).rounded()))]"
        }
        return "[" + points.joined(separator: ", ") + "]"
    }
}

/// A key phrase set on a card: the largest size at which it fits the card's inner width in as
/// few rows as read well, broken between words so the rows are even and none ends on "the" or
/// "of". Widths are estimated on the generous side (DejaVu Sans Bold's lowercase averages less),
/// since the Coder has no font at hand; the Critic measures the real text later.
struct CardLayout {
    /// The card, in scene units, centred on A2:F5, and the width its text may take.
    static let size = (width: 880.0, height: 460.0)
    static let textWidth = 800.0
    /// Estimated advance of a bold character, as a fraction of the font size.
    static let advance = 0.66
    /// Sizes and row counts in order of preference: large and on one line first.
    static let candidates: [(size: Int, rows: Int)] = [(64, 1), (56, 1), (56, 2), (48, 2), (42, 2), (42, 3), (36, 3), (30, 4), (24, 4)]

    let fontSize: Int
    let rows: [String]
    /// Each row's vertical offset from the card's centre.
    let offsets: [Int]

    init(_ phrase: String) {
        let words = KeyPhrase.units(phrase)
        var chosen: (Int, [String])?
        for (size, count) in Self.candidates where count <= max(1, words.count) {
            let rows = Self.rows(words, count: count)
            if rows.allSatisfy({ Self.width($0, size: Double(size)) <= Self.textWidth }) { chosen = (size, rows); break }
        }
        // A phrase too long for every candidate (one very long word) is cut to fit the smallest size.
        let smallest = Self.candidates.map(\.size).min() ?? 30
        let (size, rows) = chosen ?? (smallest, [String(phrase.prefix(Int(Self.textWidth / (Self.advance * Double(smallest)))))])
        fontSize = size
        self.rows = rows
        let pitch = Double(size) * 1.35
        offsets = rows.indices.map { Int(((Double($0) - Double(rows.count - 1) / 2) * pitch).rounded()) }
    }

    static func width(_ text: String, size: Double) -> Double { Double(text.count) * size * advance }

    /// `words` in `count` rows, the break chosen so the widest row is narrowest, and a row that
    /// would end on a connective or article costs as if it were a fifth wider.
    static func rows(_ words: [String], count: Int) -> [String] {
        guard count > 1, words.count >= count else { return [words.joined(separator: " ")] }
        var best: (cost: Double, rows: [String]) = (.infinity, [words.joined(separator: " ")])
        for cut in 1...(words.count - count + 1) {
            let head = words[..<cut].joined(separator: " ")
            let tail = rows(Array(words[cut...]), count: count - 1)
            let dangles = KeyPhrase.dangling.contains(KeyPhrase.bare(words[cut - 1]).lowercased())
            let cost = max(width(head, size: 1) * (dangles ? 1.2 : 1), tail.map { width($0, size: 1) }.max() ?? 0)
            if cost < best.cost { best = (cost, [head] + tail) }
        }
        return best.rows
    }
}
