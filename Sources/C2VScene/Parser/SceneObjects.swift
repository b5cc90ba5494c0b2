import C2VLesson
import C2VMath
import C2VUtil
import Foundation

/// Reading `objects:`: kinds, their keys, `repeat` families, references between objects.
extension SceneReader {
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
        let own = SceneKinds.of(kind).keys
        let allowed = SceneParser.commonKeys + own
        for entry in entries where !allowed.contains(entry.key) {
            let elsewhere = SceneKinds.all.filter { $0.keys.contains(entry.key) }.map { $0.kind.rawValue }.sorted()
            if elsewhere.isEmpty {
                fail("unknown key `\(entry.key)` in \(kindName) object `\(id)`" + suggestion(entry.key, allowed), entry.keyLocation)
            } else {
                fail("`\(entry.key)` does not apply to a \(kindName) (it is for \(elsewhere.joined(separator: ", "))); \(kindName) takes: \(own.joined(separator: ", "))", entry.keyLocation)
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

    /// `{expr}` and `{expr:.2f}` in a text: a value of the scene. One that is fixed (it reads only
    /// `repeat` variables and numbers) is written in now; one that reads the clock or a param is
    /// shown as it changes. `{{` and `}}` are braces.
    mutating func liveText(_ source: String, at: SourceLocation, bindings: [String: Double]) -> (text: String, pieces: [TextPiece]?) {
        guard source.contains("{") || source.contains("}") else { return (source, nil) }
        let scope = scope(bindings: bindings.keys)
        let start = scope.slots(params: params.map(\.initial), bindings: bindings)
        var pieces: [TextPiece] = []
        var literal = "", initial = ""
        let chars = Array(source)
        var i = 0
        func offset(_ k: Int) -> SourceLocation { SceneParser.location(at, offset: k) }
        // Braces inside `$...$` are TeX's.
        var inMath = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count, chars[i + 1] == "$" {
                literal += "\\$"; initial += "\\$"; i += 2; continue
            }
            // A `$` opens a formula only when another closes it ("costs $5" is a price).
            if c == "$", inMath || chars[(i + 1)...].indices.contains(where: { chars[$0] == "$" && chars[$0 - 1] != "\\" }) {
                inMath.toggle()
            } else if c == "$" {
                literal.append(c); initial.append(c); i += 1; continue
            }
            if inMath || c == "$" { literal.append(c); initial.append(c); i += 1; continue }
            if (c == "{" || c == "}"), i + 1 < chars.count, chars[i + 1] == c {
                literal.append(c); initial.append(c); i += 2; continue
            }
            if c == "}" {
                fail("a `}` with no `{` in text; write `}}` for a brace", offset(i))
                return (source, nil)
            }
            guard c == "{" else { literal.append(c); initial.append(c); i += 1; continue }
            guard let close = chars[(i + 1)...].firstIndex(of: "}") else {
                fail("a `{` that is never closed in text; `{name}` shows a value, `{{` writes a brace", offset(i))
                return (source, nil)
            }
            var inner = String(chars[(i + 1)..<close])
            var format: String?
            // `:` starts a format only where what follows looks like one (`{x > 0 ? 1 : 0}` is a
            // conditional); a format-like spec that is not a valid one is an error at it.
            if let colon = inner.lastIndex(of: ":"),
               String(inner[inner.index(after: colon)...]).trimmingCharacters(in: .whitespaces).range(of: #"^(d|\.[0-9]+f|[a-z]|\.[0-9]*[a-z]*)$"#, options: .regularExpression) != nil {
                let spec = String(inner[inner.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                guard spec == "d" || spec.range(of: #"^\.[0-6]f$"#, options: .regularExpression) != nil else {
                    fail("unknown format `\(spec)` for a value in text; expected `.0f` to `.6f` (decimals) or `d` (a whole number)",
                         offset(i + 2 + inner.distance(from: inner.startIndex, to: colon)))
                    return (source, nil)
                }
                format = spec
                inner = String(inner[..<colon])
            }
            guard !inner.trimmingCharacters(in: .whitespaces).isEmpty else {
                fail("`{}` in text names nothing; put a param or an expression inside, like {theta:.2f}, or write `{{}}` for braces", offset(i))
                return (source, nil)
            }
            do {
                let e = try compile(inner, scope)
                var slots = start
                let value = TextPiece.format(e.evaluate(slots: &slots), format)
                initial += value
                if e.reads.isSubset(of: Set(bindings.keys)) {
                    literal += value
                } else {
                    if !literal.isEmpty { pieces.append(TextPiece(literal: literal)); literal = "" }
                    pieces.append(TextPiece(value: Expr(inner), format: format))
                }
            } catch {
                fail("in `{\(inner)}`: " + error.message, SceneParser.location(offset(i + 1), offset: error.offset))
                return (source, nil)
            }
            i = close + 1
        }
        if pieces.isEmpty { return (literal, nil) }
        if !literal.isEmpty { pieces.append(TextPiece(literal: literal)) }
        return (initial, pieces)
    }

    /// Each `$...$` formula of a text parses (errors at its column).
    mutating func checkInlineMath(_ text: String, at: SourceLocation, what: String) {
        for run in InlineMath.runs(text) ?? [] where run.math {
            do { _ = try MathFormula(run.text) } catch {
                fail("in the formula of \(what): \(error.message)", SceneParser.location(at, offset: run.offset + error.offset))
            }
        }
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
        var object = SceneObject(id: id, kind: kind, color: SceneKinds.of(kind).textColored ? .text : .accent(index % 4))
        var ok = true
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
        if let v = fields["next_to"] { object.nextTo = readNextTo(v) }
        if let v = fields["pinned"] { object.pinned = bool(v, what: "`pinned`") }
        if let v = fields["z"] { object.z = constant(v, what: "`z`", bindings: bindings, range: -1000...1000) }
        var input = KindInput(id: id, kind: kind, fields: fields, location: location, bindings: bindings, object: object)
        let spec = SceneKinds.of(kind)
        spec.read(&input, &self)
        object = input.object
        if !input.ok { ok = false }
        // Where it is.
        switch spec.placement {
        case .at where object.at == nil && fields["at"] == nil && fields["next_to"] == nil:
            fail("\(kind.rawValue) `\(id)` needs `at`, an anchor like B2 or A1:C3 (or a point [x, y])", location)
            ok = false
        case .atOrOn where fields["at"] == nil && fields["on"] == nil:
            fail("\(kind.rawValue) `\(id)` needs `on` (axes to draw on) or `at` (an area to fill)", location)
            ok = false
        default:
            break
        }
        return ok ? object : nil
    }

    /// `next_to: [box, right]`, `[box, right, 40]` or `{object: box, side: right, gap: 40}`.
    mutating func readNextTo(_ v: YAMLValue) -> NextTo? {
        var parts: [String: YAMLValue] = [:]
        switch v {
        case .sequence(let items, _) where (2...3).contains(items.count):
            parts["object"] = items[0]; parts["side"] = items[1]
            if items.count == 3 { parts["gap"] = items[2] }
        case .mapping(let entries, _):
            for e in entries {
                guard ["object", "side", "gap"].contains(e.key) else {
                    fail("unknown key `\(e.key)` in next_to" + suggestion(e.key, ["object", "side", "gap"]), e.keyLocation); return nil
                }
                parts[e.key] = e.value
            }
        default:
            fail("`next_to` must be [object, side], like [box, right], or {object: box, side: right, gap: 24}", v.location)
            return nil
        }
        guard let ov = parts["object"], let id = text(ov, what: "`next_to` object") else {
            fail("`next_to` needs the object it sits beside", v.location); return nil
        }
        var side = Edge.right
        if let sv = parts["side"], let name = text(sv, what: "`next_to` side") {
            let sides = Edge.allCases.filter { $0 != .center }.map(\.rawValue)
            guard let e = Edge(rawValue: name), e != .center else {
                fail("unknown side `\(name)`" + suggestion(name, sides), sv.location); return nil
            }
            side = e
        }
        var gap = 24.0
        if let gv = parts["gap"], let g = constant(gv, what: "`next_to` gap", range: -1000...1000) { gap = g }
        return NextTo(object: id, side: side, gap: gap)
    }

    mutating func readFontSize(_ o: inout KindInput) {
        if let v = o["size"] { o.object.fontSize = expression(v, what: "`size`", bindings: o.bindings, range: SceneLimits.textSize) }
    }

    mutating func readRadius(_ o: inout KindInput) {
        if let v = o["radius"] {
            o.object.radius = expression(v, what: "`radius`", bindings: o.bindings, range: SceneLimits.length).map { [$0] }
        }
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

    /// Reads a PNG (or an SVG, see `loadSVG`) from the lesson folder into the scene, so the scene
    /// carries (and its keys cover) the image.
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
            loadSVG(path, [UInt8](data), into: &object, at: at); return
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
                if SceneKinds.hosts.contains(draft.object.kind) {
                    fail("\(draft.object.kind.rawValue) `\(draft.object.id)` is a host itself: give it an area with `at`, not `on`", at)
                    drafts[i].object.on = nil
                } else if byID[on] == nil {
                    fail("`on` names `\(on)`, which is not an object" + didYouMean(on, Array(byID.keys).sorted()), at)
                    drafts[i].object.on = nil
                } else if !SceneKinds.hosts.contains(byID[on]!) {
                    fail("`on` must name axes or a plane; `\(on)` is a \(byID[on]!.rawValue)", at)
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
            checkObjectPlaces(drafts[i], kinds: byID)
            var resolved = drafts[i]
            SceneKinds.of(resolved.object.kind).resolve(&resolved, kinds: byID, &self)
            drafts[i] = resolved
        }
    }

    /// Places on other objects (`box.top`, `next_to`) name objects that exist, and no object
    /// is placed by itself, directly or through others.
    mutating func checkObjectPlaces(_ draft: ObjectDraft, kinds: [String: ObjectKind]) {
        let o = draft.object
        let places = [("at", o.at), ("from", o.from), ("to", o.to)] + (o.points ?? []).map { ("points", Optional($0)) }
        var refs: [(String, String)] = places.compactMap { key, p in
            if let p, case .object(let id) = p.base { return (key, id) }
            return nil
        }
        if let n = o.nextTo {
            if SceneKinds.hosts.contains(o.kind) {
                fail("\(o.kind.rawValue) `\(o.id)` cannot be placed `next_to` another: its units are laid out in an area, so give it one with `at`",
                     draft.fields["next_to"]?.location ?? draft.location)
            } else {
                refs.append(("next_to", n.object))
            }
        }
        for (key, id) in refs {
            guard reference(id, key: key, of: draft, kinds: kinds, allowed: Set(ObjectKind.allCases).subtracting([.group])) else { continue }
            if placementReaches(from: id, to: o.id, seen: []) {
                fail("`\(o.id)` is placed by `\(id)`, which is placed by `\(o.id)`: one of them needs a place of its own", draft.fields[key]?.location ?? draft.location)
            }
        }
    }

    /// Whether object `from` is placed, through object places and `next_to`, by `to`.
    func placementReaches(from: String, to: String, seen: Set<String>) -> Bool {
        if from == to { return true }
        guard !seen.contains(from), let d = drafts.first(where: { $0.object.id == from }) else { return false }
        let o = d.object
        var next = [o.at, o.from, o.to].compactMap { $0 }.compactMap { p -> String? in
            if case .object(let id) = p.base { return id }
            return nil
        }
        if let n = o.nextTo { next.append(n.object) }
        // A guest's places are in its host's units, so it is placed by its host too.
        if let host = o.on { next.append(host) }
        return next.contains { placementReaches(from: $0, to: to, seen: seen.union([from])) }
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
