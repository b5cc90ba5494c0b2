import C2VLesson
import C2VUtil
import Foundation

/// "; did you mean `x`?" when a name is close, else the list of valid names.
func suggestion(_ word: String, _ valid: [String]) -> String {
    let hint = didYouMean(word, valid)
    return hint.isEmpty ? "; expected one of: \(valid.joined(separator: ", "))" : hint
}

/// Where a scene's files live, for `image` objects (paths are confined to this folder).
public struct SceneContext: Sendable {
    public var directory: String?

    public init(directory: String?) { self.directory = directory }
}

/// Reads a scene program (`scene:` of a section, or a `*.scene.yaml` file) into a `Scene`,
/// collecting every error with its file:line:column. Nothing is executed: expressions are
/// compiled and checked, references resolved, and times laid out.
public enum SceneParser {
    /// Bumped when the same text parses to a different scene; part of the keys of author scenes.
    /// 3: numbers are range-checked where they are read, and sums bounded by their cost, so
    /// scenes cached under 2 are read again.
    /// 4: `on` for every kind, live values in text, `z`, `next_to`, object places, `pinned`,
    /// camera steps. 5: `arc` on moves, `code` blocks, math inside text, SVG images.
    /// 6: `network` objects (every scene object gains an optional `network`).
    public static let version = 6
    public static let sceneKeys = ["duration", "params", "define", "objects", "steps"]
    public static let commonKeys = ["id", "kind", "at", "offset", "color", "fill", "fill_opacity", "stroke", "dashed",
                                    "line", "until", "entrance", "rotation", "repeat", "on", "z", "next_to", "pinned"]
    /// Points at which a graph's expression is checked for being defined (and later drawn).
    public static let graphSamples = 240
    public static let maximumObjects = 2000
    /// The largest magnitude of any number a scene gives (a coordinate, a range, a radius):
    /// far past anything drawn, and far from where doubles stop holding whole numbers.
    public static let numberLimit = 1e9
    public static let maximumImageBytes = 8 << 20
    /// Pixels an image may declare, checked before it is decoded.
    public static let maximumImagePixels = 4096 * 4096
    public static let maximumImageSide = 8192

    /// Where an offset into a scalar's text lies in the file.
    static func location(_ base: SourceLocation, offset: Int) -> SourceLocation {
        SourceLocation(file: base.file, line: base.line, column: base.column + offset)
    }

    public static func parse(_ value: YAMLValue, title: String, lectureLines: [String], durationHint: Double?,
                             context: SceneContext = SceneContext(directory: nil)) throws -> Scene {
        var reader = SceneReader(title: title, lectureLines: lectureLines, durationHint: durationHint, context: context)
        let scene = reader.read(value)
        try C2VErrors.throwIfAny(reader.errors)
        guard let scene else { throw C2VError(.invalidInput, "invalid scene", at: value.location) }
        return scene
    }

    /// Where each object of a scene mapping (or a `scene:` document) is written, by id: what
    /// the Critic's findings point at. Not part of the scene, so moving a section's text in its
    /// file changes no key.
    public static func objectLocations(_ value: YAMLValue) -> [String: SourceLocation] {
        var value = value
        if case .mapping(let entries, _) = value, entries.count == 1, entries[0].key == "scene" { value = entries[0].value }
        guard case .mapping(let entries, _) = value,
              let objects = entries.first(where: { $0.key == "objects" })?.value, case .sequence(let items, _) = objects else { return [:] }
        var result: [String: SourceLocation] = [:]
        for (index, item) in items.enumerated() {
            guard case .mapping(let fields, let at) = item else { continue }
            var id = "object\(index + 1)"
            if let v = fields.first(where: { $0.key == "id" })?.value, case .scalar(let s, _) = v { id = s }
            if result[id] == nil { result[id] = at }
        }
        return result
    }

    /// Where each object of scene text is written.
    public static func objectLocations(text: String, file: String) -> [String: SourceLocation] {
        (try? YAMLReader.read(text, file: file)).map(objectLocations) ?? [:]
    }

    /// Parses scene text (what a Coder returns) with `file` as the name errors carry.
    public static func parse(text: String, file: String, title: String, lectureLines: [String], durationHint: Double?,
                             context: SceneContext = SceneContext(directory: nil)) throws -> Scene {
        let value = try YAMLReader.read(text, file: file)
        if case .mapping(let entries, _) = value, entries.count == 1, entries[0].key == "scene" {
            return try parse(entries[0].value, title: title, lectureLines: lectureLines, durationHint: durationHint, context: context)
        }
        return try parse(value, title: title, lectureLines: lectureLines, durationHint: durationHint, context: context)
    }
}

/// One object as written, before times are known.
struct ObjectDraft {
    var object: SceneObject
    var location: SourceLocation
    var fields: [String: YAMLValue]
    var firstLine: Int?
    var untilLine: Int?
}

struct SceneReader {
    let title: String
    let lectureLines: [String]
    let durationHint: Double?
    let context: SceneContext
    var errors: [C2VError] = []
    var params: [SceneParam] = []
    var functions: [SceneFunction] = []
    var drafts: [ObjectDraft] = []
    var ids: [String: SourceLocation] = [:]
    /// Family name -> member ids.
    var families: [String: [String]] = [:]
    /// Expressions compiled so far, by variables and text: members of a family share theirs.
    var compiled: [String: MathExpression] = [:]
    /// Where each scheduled animation was written, by index in the scene's animation list.
    var animationLocations: [SourceLocation] = []

    init(title: String, lectureLines: [String], durationHint: Double?, context: SceneContext) {
        self.title = title
        self.lectureLines = lectureLines
        self.durationHint = durationHint
        self.context = context
    }

    mutating func fail(_ message: String, _ at: SourceLocation) {
        errors.append(C2VError(.invalidInput, message, at: at))
    }

    /// Compiles `text` for `scope`, once per scene (after `define` has been read).
    mutating func compile(_ text: String, _ scope: VariableScope) throws(MathExpression.ParseError) -> MathExpression {
        let key = scope.key(text)
        if let e = compiled[key] { return e }
        let e = try MathExpression(text, variables: scope.names, functions: mathFunctions)
        compiled[key] = e
        return e
    }

    /// The scope of an expression of an object with these `repeat` variables and kind locals.
    func scope(timed: Bool = true, bindings: some Sequence<String>, locals: [String] = []) -> VariableScope {
        VariableScope(timed: timed, params: params.map(\.name), bindings: bindings, locals: locals)
    }

    var mathFunctions: [MathExpression.Function] {
        functions
    }

    mutating func read(_ value: YAMLValue) -> Scene? {
        guard case .mapping(let entries, _) = value else {
            fail("scene must be a mapping with `objects`; found \(value.kindName)", value.location)
            return nil
        }
        var duration = durationHint
        var objectValues: [YAMLValue] = []
        var stepValues: [YAMLValue] = []
        var stepsLocation = value.location
        var fields: [String: YAMLValue] = [:]
        for entry in entries {
            guard SceneParser.sceneKeys.contains(entry.key) else {
                fail("unknown key `\(entry.key)` in scene" + suggestion(entry.key, SceneParser.sceneKeys), entry.keyLocation)
                continue
            }
            fields[entry.key] = entry.value
        }
        if let v = fields["duration"] {
            if case .scalar(let s, _) = v, let d = Double(s), d > 0, d <= 600 { duration = d } else {
                fail("scene.duration must be seconds in (0, 600]", v.location)
            }
        }
        // Math in the title and lecture lines (`$e^{i\pi}$`) must parse as well.
        checkInlineMath(title, at: value.location, what: "the section title")
        for (i, line) in lectureLines.enumerated() { checkInlineMath(line, at: value.location, what: "lecture line \(i + 1)") }
        if let v = fields["params"] { readParams(v) }
        if let v = fields["define"] { readFunctions(v) }
        if let v = fields["objects"] {
            if case .sequence(let items, _) = v { objectValues = items } else {
                fail("scene.objects must be a list; found \(v.kindName)", v.location)
            }
        }
        if let v = fields["steps"] {
            stepsLocation = v.location
            if case .sequence(let items, _) = v { stepValues = items } else {
                fail("scene.steps must be a list; found \(v.kindName)", v.location)
            }
        }
        for (index, item) in objectValues.enumerated() { readObject(item, index: index) }
        if drafts.count > SceneParser.maximumObjects {
            fail("scene has \(drafts.count) objects after `repeat`; at most \(SceneParser.maximumObjects) are allowed", value.location)
            return nil
        }
        resolveGroupsAndAxes()

        // Steps first (their lengths stretch the lines they belong to), then the clock.
        let steps = readSteps(stepValues, listLocation: stepsLocation)
        // A duration the author gave is kept: steps that do not fit their line are sped up. Without
        // one, a line lasts as long as its steps need.
        let needed = secondsNeeded(steps)
        let lines = SceneTiming.lines(lectureLines, durationHint: duration, minimumSeconds: duration == nil ? needed : [:])
        let total = lines.last?.end ?? max(duration ?? 4, needed.values.max() ?? 0)
        let animations = schedule(steps, lines: lines, total: total, needed: needed)
        var objects = finishObjects(lines: lines, total: total, animations: animations)
        checkLifetimes(&objects, animations: animations)
        let seconds = max(total, animations.map(\.end).max() ?? 0)
        if seconds > LessonLimits.sectionSeconds {
            fail("this section would last \(Checked.display(seconds.rounded())) s with its lines and steps; at most \(Checked.display(LessonLimits.sectionSeconds)) s: split it or shorten its lines", value.location)
            return nil
        }
        return Scene(title: title, lines: lines, params: params, functions: functions, objects: objects,
                     animations: animations, duration: seconds)
    }

    // MARK: params and functions

    static let reserved: Set<String> = Set(VariableScope.clock + ["x", "y", "s", "sum", "pick"])
        .union(MathExpression.constants.keys).union(MathExpression.unary.keys).union(MathExpression.binary.keys)

    func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && s.count <= 40
    }

    /// Object ids may also contain `-` (they are never read inside expressions).
    func isObjectID(_ s: String) -> Bool {
        isIdentifier(s.replacingOccurrences(of: "-", with: "_"))
    }

    mutating func readParams(_ value: YAMLValue) {
        guard case .mapping(let entries, _) = value else {
            fail("scene.params must be a mapping of names to numbers, like {n: 1}", value.location)
            return
        }
        for entry in entries {
            guard isIdentifier(entry.key), !Self.reserved.contains(entry.key) else {
                fail("`\(entry.key)` cannot be a parameter name; use a new name of letters, digits and _", entry.keyLocation)
                continue
            }
            if let initial = constant(entry.value, what: "parameter `\(entry.key)`") {
                params.append(SceneParam(name: entry.key, initial: initial))
            }
        }
    }

    mutating func readFunctions(_ value: YAMLValue) {
        guard case .mapping(let entries, _) = value else {
            fail("scene.define must be a mapping like {\"tipx(m)\": \"sum(j, 0, m - 1, cos(t))\"}", value.location)
            return
        }
        for entry in entries {
            let head = entry.key.replacingOccurrences(of: " ", with: "")
            var name = head, parameters: [String] = []
            if let open = head.firstIndex(of: "("), head.hasSuffix(")") {
                name = String(head[..<open])
                let inside = head[head.index(after: open)..<head.index(before: head.endIndex)]
                parameters = inside.isEmpty ? [] : inside.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            guard isIdentifier(name), !Self.reserved.contains(name), parameters.allSatisfy(isIdentifier),
                  Set(parameters).count == parameters.count else {
                fail("`\(entry.key)` is not a function head; expected a new name and parameters, like `tipx(m)`", entry.keyLocation)
                continue
            }
            if functions.contains(where: { $0.name == name }) || params.contains(where: { $0.name == name }) {
                fail("`\(name)` is defined twice", entry.keyLocation)
                continue
            }
            guard case .scalar(let body, let at) = entry.value else {
                fail("the body of `\(name)` must be an expression", entry.value.location)
                continue
            }
            // A body may read what any expression may, and the locals of any kind that calls it.
            let scope = scope(bindings: [], locals: ["x", "y", "s"] + parameters)
            do {
                _ = try MathExpression(body, variables: scope.names, functions: mathFunctions)
                functions.append(SceneFunction(name: name, parameters: parameters, body: body))
            } catch {
                fail(error.message, SceneParser.location(at, offset: error.offset))
            }
        }
    }

    // MARK: values

    /// A number that must not change over time: any expression of constants and `params`' initial values.
    mutating func constant(_ value: YAMLValue, what: String, bindings: [String: Double] = [:],
                           range: ClosedRange<Double> = SceneLimits.number) -> Double? {
        guard case .scalar(let text, let at) = value else {
            fail("\(what) must be a number or expression; found \(value.kindName)", value.location)
            return nil
        }
        do {
            let scope = scope(timed: false, bindings: bindings.keys)
            let e = try compile(text, scope)
            var slots = scope.slots(params: params.map(\.initial), bindings: bindings)
            let v = e.evaluate(slots: &slots)
            guard v.isFinite else { fail("\(what) `\(text)` is not a finite number", at); return nil }
            guard range.contains(v) else { fail("\(what) is \(Checked.display(v)); expected \(Checked.describe(range))", at); return nil }
            return v
        } catch {
            if let clock = VariableScope.clock.first(where: { error.message.hasPrefix("unknown name `\($0)`") }) {
                fail("`\(clock)` is not available in \(what): it is fixed when the scene is read, before any time passes; to change a "
                     + "value over time, give the object a param in its expression and move it with `do: animate`",
                     SceneParser.location(at, offset: error.offset))
                return nil
            }
            fail(error.message, SceneParser.location(at, offset: error.offset))
            return nil
        }
    }

    /// An expression that may read the clock, params, the object's `repeat` variables and `locals`.
    /// `range` bounds its value where it does not change over time; values that change are
    /// bounded where they are drawn (`DrawLimits`).
    mutating func expression(_ value: YAMLValue, what: String, bindings: [String: Double], locals: [String] = [],
                             range: ClosedRange<Double> = SceneLimits.number) -> Expr? {
        guard case .scalar(let text, let at) = value else {
            fail("\(what) must be a number or expression; found \(value.kindName)", value.location)
            return nil
        }
        let scope = scope(bindings: bindings.keys, locals: locals)
        do {
            let e = try compile(text, scope)
            // Check it at the start with the object's bindings, where locals are 0.
            if e.reads.isDisjoint(with: Set(locals)) && e.reads.isDisjoint(with: VariableScope.clock) {
                var slots = scope.slots(params: params.map(\.initial), bindings: bindings)
                let v = e.evaluate(slots: &slots)
                if !v.isFinite {
                    fail("\(what) `\(text)` is undefined (division by zero, or a root or log of a negative number?)", at)
                    return nil
                }
                if !range.contains(v) {
                    fail("\(what) is \(Checked.display(v)); expected \(Checked.describe(range))", at)
                    return nil
                }
            }
            return Expr(text)
        } catch {
            fail(error.message, SceneParser.location(at, offset: error.offset))
            return nil
        }
    }

    /// A fixed-length list of expressions, like `[x, y]`.
    mutating func expressions(_ value: YAMLValue, count: Int, what: String, bindings: [String: Double],
                              locals: [String] = [], range: ClosedRange<Double> = SceneLimits.number) -> [Expr]? {
        guard case .sequence(let items, _) = value, items.count == count else {
            fail("\(what) must be a list of \(count) numbers or expressions", value.location)
            return nil
        }
        let parsed = items.map { expression($0, what: what, bindings: bindings, locals: locals, range: range) }
        return parsed.contains(where: { $0 == nil }) ? nil : parsed.map { $0! }
    }

    mutating func text(_ value: YAMLValue, what: String) -> String? {
        guard case .scalar(let s, _) = value else {
            fail("\(what) must be text; found \(value.kindName)", value.location)
            return nil
        }
        return s
    }

    mutating func bool(_ value: YAMLValue, what: String) -> Bool? {
        guard case .scalar(let s, _) = value, ["true", "false", "yes", "no"].contains(s.lowercased()) else {
            fail("\(what) must be true or false", value.location)
            return nil
        }
        return ["true", "yes"].contains(s.lowercased())
    }

    /// `B2`, `A1:C3`, `B2.top`, or `[x, y]` in scene units (axis units when drawn `on` axes).
    mutating func place(_ value: YAMLValue, what: String, bindings: [String: Double]) -> Place? {
        switch value {
        case .sequence:
            guard let xy = expressions(value, count: 2, what: what, bindings: bindings) else { return nil }
            return .point(xy[0], xy[1])
        case .scalar(let s, let at):
            var anchor = Substring(s), edge = Edge.center
            if let dot = s.firstIndex(of: ".") {
                anchor = s[..<dot]
                let name = String(s[s.index(after: dot)...])
                guard let e = Edge(rawValue: name) else {
                    fail("unknown edge `\(name)` in `\(s)`" + suggestion(name, Edge.allCases.map(\.rawValue)),
                         SceneParser.location(at, offset: s.distance(from: s.startIndex, to: dot) + 1))
                    return nil
                }
                edge = e
            }
            guard let area = GridArea(String(anchor)) else {
                // `box.top`: a point of another object, checked once every id is known.
                if isObjectID(String(anchor)), !anchor.contains(":"), s.contains(".") || !anchor.isEmpty && anchor.first!.isLowercase {
                    return Place(.object(String(anchor)), edge: edge)
                }
                fail("invalid anchor `\(s)` for \(what); expected a cell A1..F6, an area like A1:C3, an edge like B2.top, an object's point like box.top, or [x, y]", at)
                return nil
            }
            return .grid(area, edge)
        case .mapping:
            fail("\(what) must be an anchor like B2 or a point [x, y]; found a mapping", value.location)
            return nil
        }
    }

    mutating func color(_ value: YAMLValue, what: String) -> ColorRef? {
        guard let s = text(value, what: what) else { return nil }
        if s == "text" { return .text }
        if s == "background" { return .background }
        if let n = Int(s), (0...15).contains(n) { return .accent(n) }
        if let rgb = RGBColor(hex: s) { return .rgb(rgb) }
        fail("invalid colour `\(s)`; expected an accent index 0-15, `text`, `background`, or \"#RRGGBB\"", value.location)
        return nil
    }

    mutating func lineIndex(_ value: YAMLValue, what: String) -> Int? {
        let count = lectureLines.count
        guard case .scalar(let s, _) = value, let n = Int(s), n >= 0, count == 0 ? n == 0 : n < count else {
            fail("\(what) must be a lecture line index from 0 to \(max(0, count - 1))", value.location)
            return nil
        }
        return n
    }
}

extension SceneComponents {
    /// Scene files and mappings -> the scene model (defaults, expansion of families).
    public static let parser = ComponentVersion("scene.parser", SceneParser.version)
}
