import C2VLesson
import C2VUtil

/// Reads a hand-written `scene:` block (scene language, first version) into a `Scene`,
/// collecting every error with its file:line:column.
/// "; did you mean `x`?" when a name is close, else the list of valid names.
func suggestion(_ word: String, _ valid: [String]) -> String {
    let hint = didYouMean(word, valid)
    return hint.isEmpty ? "; expected one of: \(valid.joined(separator: ", "))" : hint
}

public enum SceneParser {
    /// Bumped when the same text parses to a different scene; part of the keys of author scenes.
    public static let version = 1
    public static let sceneKeys = ["duration", "objects"]
    public static let objectKeys = ["id", "kind", "at", "from", "to", "text", "color", "line", "until", "entrance",
                                    "harmonics", "periods", "y", "x"]
    public static let kinds = ["text", "circle", "rectangle", "dot", "line", "arrow", "axes", "wave", "graph"]
    /// Points at which a graph's expression is checked for being defined (and later drawn).
    public static let graphSamples = 240

    /// Where an offset into a scalar's text lies in the file.
    static func location(_ base: SourceLocation, offset: Int) -> SourceLocation {
        SourceLocation(file: base.file, line: base.line, column: base.column + offset)
    }

    public static func parse(_ value: YAMLValue, title: String, lectureLines: [String], durationHint: Double?) throws -> Scene {
        var errors: [C2VError] = []
        func fail(_ message: String, _ at: SourceLocation) { errors.append(C2VError(.invalidInput, message, at: at)) }

        guard case .mapping(let entries, _) = value else {
            throw C2VError(.invalidInput, "scene must be a mapping with `objects`; found \(value.kindName)", at: value.location)
        }
        var duration = durationHint
        var objectValues: [YAMLValue] = []
        for entry in entries {
            switch entry.key {
            case "duration":
                if case .scalar(let s, _) = entry.value, let d = Double(s), d > 0, d <= 600 { duration = d } else {
                    fail("scene.duration must be seconds in (0, 600]", entry.value.location)
                }
            case "objects":
                if case .sequence(let items, _) = entry.value { objectValues = items } else {
                    fail("scene.objects must be a list; found \(entry.value.kindName)", entry.value.location)
                }
            default:
                fail("unknown key `\(entry.key)` in scene" + suggestion(entry.key, sceneKeys), entry.keyLocation)
            }
        }
        let lines = SceneTiming.lines(lectureLines, durationHint: duration)
        let total = lines.last?.end ?? duration ?? 4
        func lineStart(_ i: Int) -> Double { lines.isEmpty ? 0 : lines[min(i, lines.count - 1)].start }
        func lineEnd(_ i: Int) -> Double { lines.isEmpty ? total : lines[min(i, lines.count - 1)].end }

        var objects: [SceneObject] = []
        var ids = Set<String>()
        for (index, item) in objectValues.enumerated() {
            guard case .mapping(let fields, let location) = item else {
                fail("scene.objects[\(index)] must be a mapping; found \(item.kindName)", item.location)
                continue
            }
            var map: [String: YAMLValue] = [:]
            for f in fields {
                if objectKeys.contains(f.key) { map[f.key] = f.value } else {
                    fail("unknown key `\(f.key)` in scene object" + suggestion(f.key, objectKeys), f.keyLocation)
                }
            }
            func text(_ key: String) -> String? {
                guard let v = map[key] else { return nil }
                guard case .scalar(let s, _) = v else { fail("`\(key)` must be text; found \(v.kindName)", v.location); return nil }
                return s
            }
            func area(_ key: String) -> GridArea? {
                guard let v = map[key], let s = text(key) else { return nil }
                guard let a = GridArea(s) else {
                    fail("invalid anchor `\(s)`; expected a cell A1..F6 or an area like A1:C3", v.location)
                    return nil
                }
                return a
            }
            func lineIndex(_ key: String) -> Int? {
                guard let v = map[key], let s = text(key) else { return nil }
                guard let n = Int(s), n >= 0, lines.isEmpty ? n == 0 : n < lines.count else {
                    fail("`\(key)` must be a lecture line index from 0 to \(max(0, lines.count - 1))", v.location)
                    return nil
                }
                return n
            }
            let id = text("id") ?? "object\(index + 1)"
            if !ids.insert(id).inserted, let v = map["id"] { fail("duplicate object id `\(id)`", v.location) }
            guard let kind = text("kind") else {
                if map["kind"] == nil { fail("scene object `\(id)` has no `kind`; expected one of: \(kinds.joined(separator: ", "))", location) }
                continue
            }
            var shape: Shape?
            var at = area("at")
            switch kind {
            case "text":
                if let s = text("text") { shape = .text(s) } else if map["text"] == nil { fail("text object `\(id)` needs `text`", location) }
            case "circle": shape = .circle
            case "rectangle": shape = .rectangle
            case "dot": shape = .dot
            case "axes": shape = .axes
            case "line", "arrow":
                if let from = area("from"), let to = area("to") {
                    shape = kind == "line" ? .line(from: from, to: to) : .arrow(from: from, to: to)
                    at = at ?? GridArea(column0: from.column0, row0: from.row0, column1: to.column1, row1: to.row1)
                } else if map["from"] == nil || map["to"] == nil {
                    fail("\(kind) `\(id)` needs `from` and `to` anchors", location)
                }
            case "wave":
                var harmonics: [Harmonic] = []
                if let v = map["harmonics"] {
                    if case .sequence(let items, _) = v {
                        for h in items {
                            if case .sequence(let pair, _) = h, (2...3).contains(pair.count),
                               let numbers = Optional(pair.compactMap({ if case .scalar(let s, _) = $0 { return Double(s) } else { return nil } })),
                               numbers.count == pair.count {
                                harmonics.append(Harmonic(k: numbers[0], amplitude: numbers[1], phase: numbers.count > 2 ? numbers[2] : 0))
                            } else {
                                fail("a harmonic must be [k, amplitude] or [k, amplitude, phase] with numbers", h.location)
                            }
                        }
                    } else { fail("`harmonics` must be a list of [k, amplitude] pairs", v.location) }
                } else {
                    harmonics = [Harmonic(k: 1, amplitude: 1)]
                }
                var periods = 1.0
                if let v = map["periods"], let s = text("periods") {
                    if let p = Double(s), p > 0, p <= 20 { periods = p } else { fail("`periods` must be a number in (0, 20]", v.location) }
                }
                shape = .wave(harmonics: harmonics, periods: periods)
            case "graph":
                var range = (-Double.pi, Double.pi)
                if let v = map["x"] {
                    if case .sequence(let bounds, _) = v, bounds.count == 2 {
                        let values: [Double?] = bounds.map { (bound: YAMLValue) -> Double? in
                            guard case .scalar(let text, let at) = bound else { fail("a bound of `x` must be a number", bound.location); return nil }
                            do {
                                let value = try MathExpression(text, variables: []).evaluate()
                                if value.isFinite { return value }
                                fail("bound `\(text)` of `x` is not a finite number", at)
                            } catch let error as MathExpression.ParseError { fail(error.message, SceneParser.location(at, offset: error.offset)) } catch { fail("\(error)", at) }
                            return nil
                        }
                        if let from = values[0], let to = values[1] {
                            if from < to { range = (from, to) } else { fail("`x` must go from a smaller to a larger number, like [-pi, pi]", v.location) }
                        }
                    } else { fail("`x` must be [from, to], like [-pi, pi]", v.location) }
                }
                guard let v = map["y"], case .scalar(let text, let at) = v else {
                    if map["y"] == nil { fail("graph `\(id)` needs `y`, an expression in x like \"sin(x) + sin(3*x)/3\"", location) }
                    else if let v = map["y"] { fail("`y` must be an expression; found \(v.kindName)", v.location) }
                    break
                }
                do {
                    let y = try MathExpression(text, variables: ["x"])
                    var slots = [0.0]
                    for i in 0...graphSamples {
                        slots[0] = range.0 + (range.1 - range.0) * Double(i) / Double(graphSamples)
                        if !y.evaluate(slots: &slots).isFinite {
                            fail("`y` is undefined at x = \((slots[0] * 1000).rounded() / 1000) (division by zero, or a root or log of a negative number?)", at)
                            break
                        }
                    }
                    shape = .graph(y: text, xFrom: range.0, xTo: range.1)
                } catch {
                    fail(error.message, SceneParser.location(at, offset: error.offset))
                }
            default:
                if let v = map["kind"] { fail("unknown object kind `\(kind)`" + suggestion(kind, kinds), v.location) }
            }
            var color = ColorRef.accent(index % 4)
            if let v = map["color"], let s = text("color") {
                if s == "text" { color = .text } else if let n = Int(s), (0...15).contains(n) { color = .accent(n) } else if let rgb = RGBColor(hex: s) { color = .rgb(rgb) } else {
                    fail("invalid colour `\(s)`; expected an accent index 0-15, `text`, or #RRGGBB", v.location)
                }
            }
            var entrance = Entrance.fade
            if let v = map["entrance"], let s = text("entrance") {
                if let e = Entrance(rawValue: s) { entrance = e } else {
                    fail("unknown entrance `\(s)`" + suggestion(s, Entrance.allCases.map(\.rawValue)), v.location)
                }
            }
            let first = lineIndex("line") ?? 0
            let until = lineIndex("until")
            if let until, until < first, let v = map["until"] { fail("`until` (\(until)) is before `line` (\(first))", v.location) }
            guard let shape else { continue }
            guard let at else {
                if map["at"] == nil {
                    fail("scene object `\(id)` needs `at`, an anchor like B2 or A1:C3", location)
                }
                continue
            }
            objects.append(SceneObject(
                id: id, shape: shape, area: at, color: color, appear: lineStart(first),
                disappear: until.map { max(lineStart(first), lineEnd($0) - SceneObject.exitSeconds) }, entrance: entrance))
        }
        try C2VErrors.throwIfAny(errors)
        return Scene(title: title, lines: lines, objects: objects, duration: total)
    }
}
