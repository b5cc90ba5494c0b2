import C2VLesson
import C2VMath
import C2VUtil
import Foundation

/// Reading `objects:`: kinds, their keys, `repeat` families, references between objects.
extension SceneReader {
    static let textColored: Set<ObjectKind> = [.text, .math, .table, .axes, .brace]
    static let fonts = ["sans", "serif", "mono"]

    mutating func readObject(_ item: YAMLValue, index: Int) {
        guard case .mapping(let entries, let location) = item else {
            fail("scene.objects[\(index)] must be a mapping; found \(item.kindName)", item.location)
            return
        }
        var fields: [String: YAMLValue] = [:]
        for entry in entries { fields[entry.key] = entry.value }
        let id = fields["id"].flatMap { text($0, what: "`id`") } ?? "object\(index + 1)"
        if let v = fields["id"] {
            if !isObjectID(id) {
                fail("object id `\(id)` must be letters, digits, - and _ (starting with a letter)", v.location)
            } else if ids[id] != nil || families[id] != nil {
                fail("duplicate object id `\(id)`", v.location)
            }
        }
        guard let kindValue = fields["kind"] else {
            fail("scene object `\(id)` has no `kind`; expected one of: \(ObjectKind.allCases.map(\.rawValue).joined(separator: ", "))", location)
            return
        }
        guard let kindName = text(kindValue, what: "`kind`") else { return }
        guard let kind = ObjectKind(rawValue: kindName) else {
            fail("unknown object kind `\(kindName)`" + suggestion(kindName, ObjectKind.allCases.map(\.rawValue)), kindValue.location)
            return
        }
        let allowed = SceneParser.commonKeys + (SceneParser.kindKeys[kind] ?? [])
        for entry in entries where !allowed.contains(entry.key) {
            let elsewhere = SceneParser.kindKeys.filter { $0.value.contains(entry.key) }.map(\.key.rawValue).sorted()
            if elsewhere.isEmpty {
                fail("unknown key `\(entry.key)` in \(kindName) object `\(id)`" + suggestion(entry.key, allowed), entry.keyLocation)
            } else {
                fail("`\(entry.key)` does not apply to a \(kindName) (it is for \(elsewhere.joined(separator: ", "))); \(kindName) takes: \((SceneParser.kindKeys[kind] ?? []).joined(separator: ", "))", entry.keyLocation)
            }
        }

        // `repeat: 20`, or `repeat: {var: i, from: 0, to: 19}`: one object per value, named id[i].
        var instances: [[String: Double]] = [[:]]
        var family: String?
        if let r = fields["repeat"] {
            guard let spec = readRepeat(r) else { return }
            let count = spec.to - spec.from + 1
            if count > SceneParser.maximumObjects {
                fail("`repeat` makes \(count) objects; at most \(SceneParser.maximumObjects) are allowed", r.location)
                return
            }
            instances = stride(from: spec.from, through: spec.to, by: 1).map { [spec.variable: Double($0)] }
            family = id
        }
        var members: [String] = []
        // Members share their text, so most mistakes repeat for each; each is reported once.
        var seen: Set<String> = []
        for bindings in instances {
            let errorsBefore = errors.count
            let instanceID = family.map { "\($0)[\(Checked.display(bindings.values.first!))]" } ?? id
            let read = readFields(id: instanceID, kind: kind, fields: fields, location: location, bindings: bindings, index: index)
            let fresh = errors[errorsBefore...].filter { seen.insert("\($0.location.map { "\($0)" } ?? "")|\($0.message)").inserted }
            errors.removeLast(errors.count - errorsBefore)
            errors += fresh
            guard var object = read else { continue }
            object.family = family
            object.bindings = bindings
            var firstLine: Int?, untilLine: Int?
            if let v = fields["line"] { firstLine = lineIndex(v, what: "`line`") }
            if let v = fields["until"] { untilLine = lineIndex(v, what: "`until`") }
            if let u = untilLine, let f = firstLine, u < f, let v = fields["until"] {
                fail("`until` (\(u)) is before `line` (\(f))", v.location)
            }
            ids[instanceID] = location
            members.append(instanceID)
            drafts.append(ObjectDraft(object: object, location: location, fields: fields, firstLine: firstLine, untilLine: untilLine))
        }
        if let family { families[family] = members }
    }

    mutating func readRepeat(_ value: YAMLValue) -> (variable: String, from: Int, to: Int)? {
        func whole(_ v: YAMLValue, _ what: String) -> Int? {
            guard let d = constant(v, what: what) else { return nil }
            // Bounded well past the object limit, so that a count over it is reported as such.
            do { return try Checked.wholeNumber(d, in: -1_000_000_000...1_000_000_000, what: what, at: v.location) } catch {
                errors.append(error)
                return nil
            }
        }
        switch value {
        case .scalar:
            guard let n = whole(value, "`repeat`") else { return nil }
            guard n >= 1 else { fail("`repeat` must be at least 1", value.location); return nil }
            return ("i", 0, n - 1)
        case .mapping(let entries, _):
            var variable = "i", from: Int?, to: Int?
            for entry in entries {
                switch entry.key {
                case "var":
                    if let name = text(entry.value, what: "`repeat.var`") {
                        if isIdentifier(name) && !Self.reserved.contains(name) && !params.contains(where: { $0.name == name }) {
                            variable = name
                        } else {
                            fail("`\(name)` cannot be a repeat variable; use a new name like i or k", entry.value.location)
                        }
                    }
                case "from": from = whole(entry.value, "`repeat.from`")
                case "to": to = whole(entry.value, "`repeat.to`")
                case "count":
                    if let n = whole(entry.value, "`repeat.count`") { from = 0; to = n - 1 }
                default:
                    fail("unknown key `\(entry.key)` in repeat" + suggestion(entry.key, ["var", "from", "to", "count"]), entry.keyLocation)
                }
            }
            guard let from, let to else {
                fail("`repeat` needs `from` and `to` (or `count`), like {var: i, from: 0, to: 9}", value.location)
                return nil
            }
            guard to >= from else { fail("`repeat` goes from \(from) to \(to); `to` must not be smaller", value.location); return nil }
            return (variable, from, to)
        case .sequence:
            fail("`repeat` must be a count or {var: i, from: 0, to: 9}", value.location)
            return nil
        }
    }

    /// `{expr}` in the text of a family member is replaced by its value (`"a[{i}]"` -> `a[3]`).
    mutating func interpolate(_ source: String, at: SourceLocation, bindings: [String: Double]) -> String {
        guard !bindings.isEmpty, source.contains("{") else { return source }
        var result = "", rest = Substring(source)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let inner = String(rest[rest.index(after: open)..<close])
            let offset = source.distance(from: source.startIndex, to: open) + 1
            if let v = constant(.scalar(inner, SceneParser.location(at, offset: offset)), what: "`{\(inner)}`", bindings: bindings) {
                result += v == v.rounded() && abs(v) < 1e12 ? Checked.display(v) : String(format: "%.3g", v)
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Checks the Pango markup subset: <b> <i> <u> <sub> <sup> <tt> and <span color="...">.
    mutating func checkMarkup(_ s: String, at: SourceLocation) {
        guard s.contains("<") else { return }
        var stack: [String] = []
        var i = s.startIndex
        while let open = s[i...].firstIndex(of: "<") {
            guard let close = s[open...].firstIndex(of: ">") else {
                fail("unclosed `<` in text markup", SceneParser.location(at, offset: s.distance(from: s.startIndex, to: open)))
                return
            }
            let tag = s[s.index(after: open)..<close]
            let offset = s.distance(from: s.startIndex, to: open)
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                guard stack.last == name else {
                    fail("`</\(name)>` does not close the last open tag\(stack.last.map { " `<\($0)>`" } ?? "")", SceneParser.location(at, offset: offset))
                    return
                }
                stack.removeLast()
            } else {
                let name = String(tag.split(separator: " ").first ?? "")
                let allowed = ["b", "i", "u", "sub", "sup", "tt", "span"]
                guard allowed.contains(name) else {
                    fail("unknown markup tag `<\(tag)>`" + suggestion(name, allowed), SceneParser.location(at, offset: offset))
                    return
                }
                if name == "span" {
                    let attributes = tag.dropFirst(4).trimmingCharacters(in: .whitespaces)
                    let ok = attributes.range(of: #"^((color|foreground|weight|style|size)="[#a-zA-Z0-9%.]+"\s*)+$"#, options: .regularExpression) != nil
                    if !ok {
                        fail("`<span>` takes only color, weight, style and size attributes, like <span color=\"#ff0000\">", SceneParser.location(at, offset: offset))
                        return
                    }
                } else if tag != Substring(name) {
                    fail("`<\(name)>` takes no attributes", SceneParser.location(at, offset: offset))
                    return
                }
                stack.append(name)
            }
            i = s.index(after: close)
        }
        if let open = stack.last { fail("`<\(open)>` is never closed", at) }
        if s.range(of: #"&(?!(amp|lt|gt|quot|apos);)"#, options: .regularExpression) != nil {
            fail("a bare `&` in markup text; write &amp;", at)
        }
    }

    mutating func readFields(id: String, kind: ObjectKind, fields: [String: YAMLValue], location: SourceLocation,
                             bindings: [String: Double], index: Int) -> SceneObject? {
        var object = SceneObject(id: id, kind: kind, color: Self.textColored.contains(kind) ? .text : .accent(index % 4))
        var ok = true
        func need(_ key: String, _ example: String) -> YAMLValue? {
            if let v = fields[key] { return v }
            fail("\(kind.rawValue) `\(id)` needs `\(key)`, \(example)", location)
            ok = false
            return nil
        }
        if let v = fields["at"] { object.at = place(v, what: "`at`", bindings: bindings) }
        if let v = fields["offset"] { object.offset = expressions(v, count: 2, what: "`offset`", bindings: bindings) }
        // `color: "{k % 4}"` gives each member of a family its own accent.
        func colorField(_ key: String) -> ColorRef? {
            guard var v = fields[key] else { return nil }
            if case .scalar(let s, let at) = v, s.contains("{") { v = .scalar(interpolate(s, at: at, bindings: bindings), at) }
            return color(v, what: "`\(key)`")
        }
        if let c = colorField("color") { object.color = c }
        if let c = colorField("fill") { object.fill = c }
        if let v = fields["fill_opacity"], let d = constant(v, what: "`fill_opacity`") {
            if (0...1).contains(d) { object.fillOpacity = d } else { fail("`fill_opacity` must be between 0 and 1", v.location) }
        }
        if let v = fields["stroke"] { object.strokeWidth = expression(v, what: "`stroke`", bindings: bindings, range: SceneLimits.stroke) }
        if let v = fields["dashed"] { object.dashed = bool(v, what: "`dashed`") }
        if let v = fields["rotation"] { object.rotation = expression(v, what: "`rotation`", bindings: bindings, range: SceneLimits.angle) }
        if let v = fields["entrance"], let s = text(v, what: "`entrance`") {
            if let e = Entrance(rawValue: s) { object.entrance = e } else {
                fail("unknown entrance `\(s)`" + suggestion(s, Entrance.allCases.map(\.rawValue)), v.location)
            }
        }
        if let v = fields["on"], let s = text(v, what: "`on`") { object.on = s }
        func size() {
            if let v = fields["size"] { object.fontSize = expression(v, what: "`size`", bindings: bindings, range: SceneLimits.textSize) }
        }

        switch kind {
        case .text:
            if let v = need("text", "the words to show"), case .scalar(let s, let at) = v {
                let t = interpolate(s, at: at, bindings: bindings)
                checkMarkup(t, at: at)
                object.text = t
            } else if let v = fields["text"] { _ = text(v, what: "`text`") }
            size()
            if let v = fields["font"], let s = text(v, what: "`font`") {
                if Self.fonts.contains(s) { object.font = s } else { fail("unknown font `\(s)`" + suggestion(s, Self.fonts), v.location) }
            }
            if let v = fields["bold"] { object.bold = bool(v, what: "`bold`") }
        case .math:
            if let v = need("tex", "a formula like \"a^2 + b^2 = c^2\""), let s = text(v, what: "`tex`") {
                if let (index, escape) = Self.escapedControl(in: s) {
                    // "\frac{a}{b}" in double quotes arrives as a form feed and "rac{a}{b}".
                    fail("`tex` holds a control character where \(escape) was read as a YAML escape (so the formula lost a backslash "
                         + "command): write TeX in single quotes, like tex: '\\frac{a}{b} \\theta'",
                         SceneParser.location(v.location, offset: index))
                    return nil
                }
                let tex = interpolate(s, at: v.location, bindings: bindings)
                do {
                    _ = try MathFormula(tex)
                    object.text = tex
                } catch {
                    fail("in formula: \(error.message)", SceneParser.location(v.location, offset: error.offset))
                }
            }
            size()
        case .circle, .dot:
            if let v = fields["radius"] { object.radius = expression(v, what: "`radius`", bindings: bindings, range: SceneLimits.length).map { [$0] } }
        case .arc:
            if let v = fields["radius"] { object.radius = expression(v, what: "`radius`", bindings: bindings, range: SceneLimits.length).map { [$0] } }
            if let v = need("angles", "[start, end] in degrees, like [0, 90]") {
                object.angles = expressions(v, count: 2, what: "`angles`", bindings: bindings, range: SceneLimits.angle)
            }
        case .ellipse:
            if let v = fields["radius"] { object.radius = expressions(v, count: 2, what: "`radius` of an ellipse ([rx, ry])", bindings: bindings, range: SceneLimits.length) }
        case .rectangle:
            if let v = fields["size"] { object.size = expressions(v, count: 2, what: "`size` ([width, height])", bindings: bindings, range: SceneLimits.length) }
            if let v = fields["corner"] { object.corner = expression(v, what: "`corner`", bindings: bindings, range: SceneLimits.length) }
        case .regularPolygon:
            if let v = need("sides", "a whole number from 3 to 64"), let n = constant(v, what: "`sides`", bindings: bindings, range: 3...64) {
                if n == n.rounded(), (3...64).contains(n) { object.sides = Expr(n) } else { fail("`sides` must be a whole number from 3 to 64", v.location) }
            }
            if let v = fields["radius"] { object.radius = expression(v, what: "`radius`", bindings: bindings, range: SceneLimits.length).map { [$0] } }
        case .polygon:
            if let v = need("points", "a list of at least 3 anchors or [x, y] points") {
                if case .sequence(let items, _) = v, items.count >= 3 {
                    let places = items.map { place($0, what: "a point of `points`", bindings: bindings) }
                    if !places.contains(where: { $0 == nil }) { object.points = places.map { $0! } }
                } else { fail("`points` must be a list of at least 3 anchors or [x, y] points", v.location) }
            }
        case .line, .arrow, .brace:
            if let v = need("from", "an anchor like B2 or a point [x, y]") { object.from = place(v, what: "`from`", bindings: bindings) }
            if let v = need("to", "an anchor like D4 or a point [x, y]") { object.to = place(v, what: "`to`", bindings: bindings) }
            if let v = fields["tips"], let s = text(v, what: "`tips`") {
                if let t = ArrowTips(rawValue: s) { object.tips = t } else { fail("unknown `tips` `\(s)`" + suggestion(s, ArrowTips.allCases.map(\.rawValue)), v.location) }
            }
            if let v = fields["text"], case .scalar(let s, let at) = v { object.text = interpolate(s, at: at, bindings: bindings) }
        case .table:
            if let v = need("cells", "rows of cell texts, like [[x, y], [1, 2]]") {
                if case .sequence(let rows, _) = v, !rows.isEmpty {
                    var cells: [[String]] = []
                    for row in rows {
                        guard case .sequence(let items, _) = row, !items.isEmpty else {
                            fail("each row of `cells` must be a non-empty list", row.location); continue
                        }
                        cells.append(items.map { if case .scalar(let s, _) = $0 { return s } else { fail("a cell must be text", $0.location); return "" } })
                    }
                    if Set(cells.map(\.count)).count > 1 { fail("every row of `cells` must have the same number of cells", v.location) }
                    object.cells = cells
                } else { fail("`cells` must be a list of rows", v.location) }
            }
            size()
        case .axes:
            func range(_ key: String) -> [Expr]? {
                guard let v = fields[key] else { return nil }
                guard case .sequence(let items, _) = v, items.count == 2 else {
                    fail("`\(key)` must be [from, to] with numbers, like [-pi, pi]", v.location); return nil
                }
                // Each number reports its own mistake.
                let a = constant(items[0], what: "`\(key)` start", bindings: bindings)
                let b = constant(items[1], what: "`\(key)` end", bindings: bindings)
                guard let a, let b else { return nil }
                guard a < b else { fail("`\(key)` must go from a smaller to a larger number", v.location); return nil }
                return [Expr(a), Expr(b)]
            }
            object.domain = range("x") ?? [-1, 1]
            object.range = range("y") ?? [-1, 1]
            if let v = fields["ticks"] {
                if case .sequence(let items, _) = v, items.count == 2,
                   let a = constant(items[0], what: "x tick spacing"), let b = constant(items[1], what: "y tick spacing"), a >= 0, b >= 0 {
                    object.ticks = [Expr(a), Expr(b)]
                } else { fail("`ticks` must be [x spacing, y spacing], numbers >= 0 (0: no ticks)", v.location) }
            }
            if let v = fields["labels"] { object.labels = bool(v, what: "`labels`") }
            if let v = fields["axis_labels"] {
                if case .sequence(let items, _) = v, items.count == 2, case .scalar(let a, _) = items[0], case .scalar(let b, _) = items[1] {
                    object.axisLabels = [a, b]
                } else { fail("`axis_labels` must be [x label, y label]", v.location) }
            }
        case .graph:
            if let v = need("y", "an expression in x like \"sin(x) + sin(3*x)/3\"") {
                object.expressions = expression(v, what: "`y`", bindings: bindings, locals: ["x"]).map { [$0] }
            }
            if let v = fields["x"] { object.domain = constantRange(v, key: "x", bindings: bindings) }
        case .parametric:
            let x = need("x", "an expression in s like \"cos(s)\"").flatMap { expression($0, what: "`x`", bindings: bindings, locals: ["s"]) }
            let y = need("y", "an expression in s like \"sin(2*s)\"").flatMap { expression($0, what: "`y`", bindings: bindings, locals: ["s"]) }
            if let x, let y { object.expressions = [x, y] }
            object.domain = fields["s"].flatMap { constantRange($0, key: "s", bindings: bindings) } ?? [0, "tau"]
        case .trace:
            if let v = need("point", "[x(t), y(t)], the moving point whose path is drawn") {
                object.expressions = expressions(v, count: 2, what: "`point`", bindings: bindings)
            }
            if let v = fields["since"], let d = constant(v, what: "`since`") { object.traceFrom = max(0, d) }
        case .field:
            let dx = need("dx", "an expression in x and y").flatMap { expression($0, what: "`dx`", bindings: bindings, locals: ["x", "y"]) }
            let dy = need("dy", "an expression in x and y").flatMap { expression($0, what: "`dy`", bindings: bindings, locals: ["x", "y"]) }
            if let dx, let dy { object.expressions = [dx, dy] }
            if fields["on"] == nil { fail("field `\(id)` needs `on`, the axes it is drawn on", location) }
        case .image:
            if let v = need("src", "a PNG file in the lesson folder"), let s = text(v, what: "`src`") { loadImage(s, into: &object, at: v.location) }
        case .group:
            if let v = need("members", "a list of object ids") {
                if case .sequence(let items, _) = v, !items.isEmpty {
                    object.members = items.compactMap { text($0, what: "a member id") }
                } else { fail("`members` must be a non-empty list of object ids", v.location) }
            }
        case .wave:
            var harmonics: [Harmonic] = [Harmonic(k: 1, amplitude: 1)]
            if let v = fields["harmonics"] {
                harmonics = []
                if case .sequence(let items, _) = v {
                    for h in items {
                        if case .sequence(let parts, _) = h, (2...3).contains(parts.count) {
                            let numbers = parts.compactMap { constant($0, what: "a harmonic's number", bindings: bindings) }
                            if numbers.count == parts.count {
                                harmonics.append(Harmonic(k: numbers[0], amplitude: numbers[1], phase: numbers.count > 2 ? numbers[2] : 0))
                            }
                        } else { fail("a harmonic must be [k, amplitude] or [k, amplitude, phase]", h.location) }
                    }
                } else { fail("`harmonics` must be a list of [k, amplitude] pairs", v.location) }
            }
            object.harmonics = harmonics
            if let v = fields["periods"], let p = constant(v, what: "`periods`") {
                if p > 0, p <= 20 { object.periods = p } else { fail("`periods` must be a number in (0, 20]", v.location) }
            }
        }
        // Where it is: every kind but these needs `at`.
        let placedOtherwise: Set<ObjectKind> = [.line, .arrow, .brace, .polygon, .group, .graph, .parametric, .trace, .field]
        if object.at == nil, fields["at"] == nil, !placedOtherwise.contains(kind) {
            fail("\(kind.rawValue) `\(id)` needs `at`, an anchor like B2 or A1:C3 (or a point [x, y])", location)
            ok = false
        }
        if kind == .graph, fields["at"] == nil, fields["on"] == nil {
            fail("\(kind.rawValue) `\(id)` needs `on` (axes to draw on) or `at` (an area to fill)", location)
            ok = false
        }
        if kind == .graph, let e = object.expressions?.first { checkGraphDefined(e, object: object, bindings: bindings, at: fields["y"]!.location) }
        return ok ? object : nil
    }

    mutating func constantRange(_ v: YAMLValue, key: String, bindings: [String: Double]) -> [Expr]? {
        guard case .sequence(let items, _) = v, items.count == 2 else {
            fail("`\(key)` must be [from, to], like [-pi, pi]", v.location); return nil
        }
        guard let a = constant(items[0], what: "a bound of `\(key)`", bindings: bindings),
              let b = constant(items[1], what: "a bound of `\(key)`", bindings: bindings) else { return nil }
        guard a < b else { fail("`\(key)` must go from a smaller to a larger number, like [-pi, pi]", v.location); return nil }
        return [Expr(a), Expr(b)]
    }

    /// A graph must be defined wherever it is drawn (at the start of the section).
    mutating func checkGraphDefined(_ y: Expr, object: SceneObject, bindings: [String: Double], at: SourceLocation) {
        let variables = SceneVariables.names(params: params.map(\.name), bindings: Array(bindings.keys), locals: ["x"])
        guard let e = try? compile(y.source, variables) else { return }
        let domain = object.domain.map { $0.map { Double($0.source) ?? 0 } } ?? [-.pi, .pi]
        var slots = [0, 0] + params.map(\.initial) + bindings.keys.sorted().map { bindings[$0]! } + [0]
        let n = SceneParser.graphSamples
        for i in 0...n {
            slots[slots.count - 1] = domain[0] + (domain[1] - domain[0]) * Double(i) / Double(n)
            if !e.evaluate(slots: &slots).isFinite {
                fail("`y` is undefined at x = \((slots[slots.count - 1] * 1000).rounded() / 1000) (division by zero, or a root or log of a negative number?)", at)
                return
            }
        }
    }

    /// The first control character in a formula, and the double-quoted escape that made it.
    static func escapedControl(in tex: String) -> (Int, String)? {
        let escapes: [Character: String] = ["\u{0C}": "`\\f` (as in \\frac)", "\u{08}": "`\\b` (as in \\beta)", "\t": "`\\t` (as in \\theta)",
                                            "\n": "`\\n` (as in \\nabla)", "\r": "`\\r` (as in \\rho)", "\u{07}": "`\\a` (as in \\alpha)",
                                            "\u{0B}": "`\\v` (as in \\vec)", "\u{1B}": "`\\e` (as in \\epsilon)", "\u{0}": "`\\0`"]
        for (i, ch) in tex.enumerated() where ch.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .control }) {
            return (i, escapes[ch] ?? "a backslash escape")
        }
        return nil
    }

    /// Reads a PNG from the lesson folder into the scene, so the scene carries (and its keys cover) the image.
    mutating func loadImage(_ path: String, into object: inout SceneObject, at: SourceLocation) {
        guard let directory = context.directory else {
            fail("images need a lesson folder; this scene has none", at); return
        }
        let parts = path.split(separator: "/")
        guard !path.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
            fail("image path `\(path)` must stay inside the lesson folder (no absolute paths or `..`)", at); return
        }
        let data: Data
        do {
            data = try InputFile.read("\(directory)/\(path)", limit: SceneParser.maximumImageBytes, inside: directory)
        } catch .missing {
            fail("cannot read image `\(path)` (looked in the lesson folder)", at); return
        } catch {
            fail("image `\(path)` \(error)", at); return
        }
        guard data.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            fail("image `\(path)` is not a PNG file", at); return
        }
        // The size the PNG declares (its IHDR chunk), checked before it is ever decoded: a few
        // kilobytes can declare a picture of gigabytes.
        guard data.count >= 24, data[12..<16].elementsEqual(Array("IHDR".utf8)) else {
            fail("image `\(path)` is not a valid PNG file (no IHDR header)", at); return
        }
        func be32(_ i: Int) -> Int { data[i..<(i + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let (w, h) = (be32(16), be32(20))
        guard w > 0, h > 0, w <= SceneParser.maximumImageSide, h <= SceneParser.maximumImageSide,
              w * h <= SceneParser.maximumImagePixels else {
            fail("image `\(path)` is \(w)x\(h) pixels; at most \(SceneParser.maximumImageSide) on a side and \(SceneParser.maximumImagePixels) in all", at); return
        }
        object.imagePath = path
        object.imageData = [UInt8](data)
    }

    /// Checks `on:` and `members:` now that every id is known.
    mutating func resolveGroupsAndAxes() {
        let byID = Dictionary(drafts.map { ($0.object.id, $0.object.kind) }, uniquingKeysWith: { a, _ in a })
        for i in drafts.indices {
            let draft = drafts[i]
            if let on = draft.object.on {
                let at = draft.fields["on"]?.location ?? draft.location
                if byID[on] == nil {
                    fail("`on` names `\(on)`, which is not an object" + didYouMean(on, Array(byID.keys).sorted()), at)
                    drafts[i].object.on = nil
                } else if byID[on] != .axes {
                    fail("`on` must name axes; `\(on)` is a \(byID[on]!.rawValue)", at)
                    drafts[i].object.on = nil
                }
            }
            if let members = draft.object.members {
                var expanded: [String] = []
                for m in members {
                    if let family = families[m] { expanded += family }
                    else if byID[m] != nil, m != draft.object.id { expanded.append(m) }
                    else {
                        fail("group `\(draft.object.id)` lists `\(m)`, which is not an object" + didYouMean(m, Array(byID.keys).sorted()),
                             draft.fields["members"]?.location ?? draft.location)
                    }
                }
                drafts[i].object.members = expanded
            }
        }
    }

    /// The objects a step's `target` means: one object, a whole `repeat` family, or a group's members.
    func expandTarget(_ name: String) -> [String]? {
        if let family = families[name] { return family }
        // `arm[2..5]`: a slice of a family, by its variable's values.
        if name.hasSuffix("]"), let open = name.firstIndex(of: "["), let family = families[String(name[..<open])] {
            let inside = name[name.index(after: open)..<name.index(before: name.endIndex)]
            let bounds = inside.components(separatedBy: "..")
            if bounds.count == 2, let a = Int(bounds[0]), let b = Int(bounds[1]), a <= b {
                let wanted = family.filter { id in
                    guard let v = drafts.first(where: { $0.object.id == id })?.object.bindings.values.first else { return false }
                    return v >= Double(a) && v <= Double(b)
                }
                return wanted.isEmpty ? nil : wanted
            }
        }
        guard let draft = drafts.first(where: { $0.object.id == name }) else { return nil }
        if draft.object.kind == .group {
            var seen: Set<String> = [name]
            var result: [String] = []
            var queue = draft.object.members ?? []
            while !queue.isEmpty {
                let m = queue.removeFirst()
                guard seen.insert(m).inserted, let d = drafts.first(where: { $0.object.id == m }) else { continue }
                if d.object.kind == .group { queue += d.object.members ?? [] } else { result.append(m) }
            }
            return result
        }
        return [name]
    }

    /// Appearance and exit times from lines and steps.
    mutating func finishObjects(lines: [SceneLine], total: Double, animations: [SceneAnimation]) -> [SceneObject] {
        func lineStart(_ i: Int) -> Double { lines.isEmpty ? 0 : lines[min(i, lines.count - 1)].start }
        func lineEnd(_ i: Int) -> Double { lines.isEmpty ? total : lines[min(i, lines.count - 1)].end }
        var objects: [SceneObject] = []
        for draft in drafts {
            var object = draft.object
            let id = object.id
            let entering = animations.enumerated().first { _, a in
                (a.target == id && a.kind.isEntrance) || (a.kind == .transform && a.other == id)
            }
            if let (n, a) = entering {
                object.entersByAnimation = true
                object.appear = a.kind == .transform ? a.end : a.start
                object.entrance = .none
                if draft.firstLine != nil || draft.fields["entrance"] != nil {
                    let key = draft.firstLine != nil ? "line" : "entrance"
                    fail("`\(id)` enters by a step (`\(a.kind.rawValue)` at \(animationLocations[n])); remove its `\(key)`",
                         draft.fields[key]!.location)
                }
            } else {
                object.appear = lineStart(draft.firstLine ?? 0)
            }
            if let until = draft.untilLine {
                object.disappear = max(object.appear, lineEnd(until) - SceneObject.exitSeconds)
            }
            objects.append(object)
        }
        return objects
    }

    /// No object is animated before it appears or after it is gone, or enters twice.
    mutating func checkLifetimes(_ objects: inout [SceneObject], animations: [SceneAnimation]) {
        let byID = Dictionary(objects.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var gone: [String: Double] = [:]
        for o in objects { if let d = o.disappear { gone[o.id] = d + SceneObject.exitSeconds } }
        for a in animations {
            guard let target = a.target else { continue }
            if a.kind.isExit || a.kind == .transform { gone[target] = min(gone[target] ?? .infinity, a.end) }
        }
        var entered: Set<String> = []
        let epsilon = 1e-6
        for (n, a) in animations.enumerated() {
            guard let target = a.target, let index = byID[target] else { continue }
            let object = objects[index]
            let at = animationLocations[n]
            let what = "`\(a.kind.rawValue)` of `\(target)` at \(String(format: "%.2f", a.start)) s"
            if a.kind.isEntrance {
                if !entered.insert(target).inserted { fail("\(what): `\(target)` has already entered", at) }
                continue
            }
            if a.start < object.appear - epsilon {
                fail("\(what) comes before `\(target)` appears (\(String(format: "%.2f", object.appear)) s); move the step later or bring the object in earlier", at)
            } else if let g = gone[target], a.start >= g - epsilon {
                fail("\(what) comes after `\(target)` is gone (\(String(format: "%.2f", g)) s)", at)
            }
        }
    }
}
