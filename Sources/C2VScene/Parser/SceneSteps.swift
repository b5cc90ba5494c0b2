import C2VLesson
import C2VMath
import C2VUtil
import Foundation

/// One step as written: a single animation, or a `together`/`sequence` group of steps.
indirect enum StepNode {
    case action(StepAction)
    case together([StepNode], line: Int)
    case sequence([StepNode], line: Int)

    var line: Int {
        switch self {
        case .action(let a): return a.line
        case .together(_, let line), .sequence(_, let line): return line
        }
    }

    /// Seconds from its start until its last animation ends.
    var seconds: Double {
        switch self {
        case .action(let a): return a.delay + a.duration + a.lag * Double(max(0, a.targets.count - 1))
        case .together(let steps, _): return steps.map(\.seconds).max() ?? 0
        case .sequence(let steps, _): return steps.map(\.seconds).reduce(0, +)
        }
    }
}

struct StepAction {
    var template: SceneAnimation
    var targets: [String?]
    var delay: Double
    var lag: Double
    var line: Int
    var duration: Double
    var location: SourceLocation
}

/// Reading `steps:` and laying them out in time.
extension SceneReader {
    static let stepKeys = ["arc", "do", "target", "line", "duration", "easing", "delay", "lag", "mark", "to", "by", "factor", "angle",
                           "color", "into", "style", "param", "from", "path", "part"]
    /// Keys each animation kind takes besides do/target/line/duration/easing/delay/lag.
    static let animationKeys: [AnimationKind: [String]] = [
        .move: ["to", "arc"], .shift: ["by", "arc"], .scale: ["factor"], .rotate: ["angle"], .color: ["color"],
        .transform: ["into"], .indicate: ["style", "color", "part"], .animate: ["param", "to", "from"], .follow: ["path"],
        .zoom: ["to", "factor"], .pan: ["to", "by"],
    ]
    static let defaultSeconds: [AnimationKind: Double] = [.create: 1.2, .write: 1.2, .wait: 1, .fadeOut: 0.6, .fadeIn: 0.8]

    mutating func readSteps(_ items: [YAMLValue], listLocation: SourceLocation) -> [StepNode] {
        var line = 0
        var nodes: [StepNode] = []
        for (i, item) in items.enumerated() {
            if let node = readStep(item, path: "steps[\(i)]", inheritedLine: &line, topLevel: true) { nodes.append(node) }
        }
        return nodes
    }

    mutating func readStep(_ item: YAMLValue, path: String, inheritedLine: inout Int, topLevel: Bool) -> StepNode? {
        guard case .mapping(let entries, let location) = item else {
            fail("\(path) must be a mapping like {do: create, target: circle}; found \(item.kindName)", item.location)
            return nil
        }
        var fields: [String: YAMLValue] = [:]
        for e in entries { fields[e.key] = e.value }
        if let v = fields["line"] {
            if topLevel { if let n = lineIndex(v, what: "`line`") { inheritedLine = n } }
            else { fail("`line` belongs on the outer step; steps inside `together`/`sequence` share its line", entries.first { $0.key == "line" }!.keyLocation) }
        }
        for group in ["together", "sequence"] {
            guard let list = fields[group] else { continue }
            for e in entries where e.key != group && e.key != "line" {
                fail("unknown key `\(e.key)` next to `\(group)`; a group takes only `\(group)` and `line`", e.keyLocation)
            }
            guard case .sequence(let items, _) = list, !items.isEmpty else {
                fail("`\(group)` must be a non-empty list of steps", list.location)
                return nil
            }
            var line = inheritedLine
            let children = items.enumerated().compactMap { readStep($1, path: "\(path).\(group)[\($0)]", inheritedLine: &line, topLevel: false) }
            return group == "together" ? .together(children, line: inheritedLine) : .sequence(children, line: inheritedLine)
        }
        guard let doValue = fields["do"] else {
            fail("\(path) needs `do` (one of: \(AnimationKind.allCases.map(\.rawValue).joined(separator: ", "))), or `together`/`sequence`", location)
            return nil
        }
        guard let doName = text(doValue, what: "`do`") else { return nil }
        guard let kind = AnimationKind(rawValue: doName) else {
            fail("unknown animation `\(doName)`" + suggestion(doName, AnimationKind.allCases.map(\.rawValue)), doValue.location)
            return nil
        }
        let allowed = ["do", "target", "line", "duration", "easing", "delay", "lag", "mark"] + (Self.animationKeys[kind] ?? [])
        for e in entries where !allowed.contains(e.key) {
            if Self.stepKeys.contains(e.key) {
                fail("`\(e.key)` does not apply to `\(kind.rawValue)`; it takes: \(allowed.dropFirst().joined(separator: ", "))", e.keyLocation)
            } else {
                fail("unknown key `\(e.key)` in a step" + suggestion(e.key, allowed), e.keyLocation)
            }
        }
        var animation = SceneAnimation(kind: kind, target: nil, start: 0, duration: Self.defaultSeconds[kind] ?? 1,
                                       easing: kind == .animate || kind == .follow ? .linear : .smooth, line: inheritedLine)
        if kind == .indicate { animation.easing = .thereAndBack }
        var duration = animation.duration, delay = 0.0, lag = 0.0
        if let v = fields["duration"], let d = constant(v, what: "`duration`") {
            if d >= 0, d <= 120 { duration = d } else { fail("`duration` must be seconds from 0 to 120", v.location) }
        }
        if let v = fields["delay"], let d = constant(v, what: "`delay`") {
            if d >= 0, d <= 120 { delay = d } else { fail("`delay` must be seconds from 0 to 120", v.location) }
        }
        if let v = fields["lag"], let d = constant(v, what: "`lag`") {
            if d >= 0, d <= 10 { lag = d } else { fail("`lag` must be seconds from 0 to 10", v.location) }
        }
        if let v = fields["mark"], let s = text(v, what: "`mark`") {
            if !s.isEmpty, s.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) { animation.mark = s } else {
                fail("`mark` must name a bookmark of the line's spoken text, like h3 for [[h3]]", v.location)
            }
        }
        if let v = fields["easing"], let s = text(v, what: "`easing`") {
            if let e = Easing(rawValue: s) { animation.easing = e } else {
                fail("unknown easing `\(s)`" + suggestion(s, Easing.allCases.map(\.rawValue)), v.location)
            }
        }
        var targets: [String?] = [nil]
        let needsTarget = kind != .animate && kind != .wait && !kind.isCamera
        if needsTarget {
            if let v = fields["target"], let name = text(v, what: "`target`") {
                if let expanded = expandTarget(name), !expanded.isEmpty { targets = expanded } else {
                    if let open = name.firstIndex(of: "["), let family = families[String(name[..<open])], !family.isEmpty {
                        // `p[5]` of a family p[0], p[1], p[2]: say which members there are.
                        fail("`target` names `\(name)`, but family `\(name[..<open])` has members \(family.first!) to \(family.last!)", v.location)
                    } else {
                        fail("`target` names `\(name)`, which is not an object, family or group" + didYouMean(name, allNames), v.location)
                    }
                    return nil
                }
            } else if fields["target"] == nil {
                fail("`\(kind.rawValue)` needs `target`, the object it animates", location)
                return nil
            }
        } else if let v = fields["target"] {
            fail("`\(kind.rawValue)` takes no `target`", v.location)
        }
        func required(_ key: String, _ example: String) -> YAMLValue? {
            if let v = fields[key] { return v }
            fail("`\(kind.rawValue)` needs `\(key)`, \(example)", location)
            return nil
        }
        switch kind {
        case .move:
            if let v = required("to", "an anchor like D3 or a point [x, y]") { animation.place = place(v, what: "`to`", bindings: [:]) }
        case .shift:
            if let v = required("by", "[dx, dy] in scene units") {
                if case .sequence(let items, _) = v, items.count == 2,
                   let dx = constant(items[0], what: "`by` x"), let dy = constant(items[1], what: "`by` y") {
                    animation.by = [dx, dy]
                } else if case .sequence(let items, _) = v, items.count == 2 {
                    _ = items
                } else { fail("`by` must be [dx, dy] in scene units", v.location) }
            }
        case .scale:
            if let v = required("factor", "like 1.5"), let f = constant(v, what: "`factor`", range: 0...100) {
                if f >= 0, f <= 100 { animation.value = f } else { fail("`factor` must be from 0 to 100", v.location) }
            }
        case .rotate:
            if let v = required("angle", "degrees counter-clockwise, like 90"), let a = constant(v, what: "`angle`", range: SceneLimits.angle) { animation.value = a }
        case .color:
            if let v = required("color", "an accent index, `text`, or \"#RRGGBB\"") { animation.color = color(v, what: "`color`") }
        case .indicate:
            animation.style = .pulse
            if let v = fields["style"], let s = text(v, what: "`style`") {
                if let st = IndicateStyle(rawValue: s) { animation.style = st } else {
                    fail("unknown style `\(s)`" + suggestion(s, IndicateStyle.allCases.map(\.rawValue)), v.location)
                }
            }
            if let v = fields["color"] { animation.color = color(v, what: "`color`") }
            if let v = fields["part"], let name = text(v, what: "`part`") {
                // A named part of one target: what its kind names (a network's node or edge), or a
                // formula's `\mathid` part.
                let draft = targets.count == 1 ? drafts.first { $0.object.id == targets[0] } : nil
                if let draft, let names = SceneKinds.of(draft.object.kind).partNames(draft.object) {
                    if names.contains(name) { animation.part = name } else {
                        fail(SceneKinds.of(draft.object.kind).noPart(name, of: draft.object), v.location)
                    }
                } else if let draft, draft.object.kind == .math, let tex = draft.object.text, let formula = try? MathFormula(tex) {
                    if formula.partNames.contains(name) { animation.part = name } else {
                        fail("formula `\(draft.object.id)` has no part `\(name)`" + suggestion(name, formula.partNames)
                             + "; name parts with \\mathid{name}{...}", v.location)
                    }
                } else {
                    fail("`part` needs a single `math` target whose formula names parts with \\mathid{name}{...}, "
                         + "or a `network` (its nodes and `from-to` edges)", v.location)
                }
            }
        case .transform:
            if let v = required("into", "the id of the object it becomes"), let other = text(v, what: "`into`") {
                if drafts.contains(where: { $0.object.id == other && $0.object.kind != .group }) {
                    if targets.count != 1 { fail("`transform` needs a single target object", v.location) }
                    else if targets[0] == other { fail("`transform` into itself", v.location) }
                    else { animation.other = other }
                } else { fail("`into` names `\(other)`, which is not an object" + didYouMean(other, allNames), v.location) }
            }
        case .follow:
            if let v = required("path", "the id of a curve, circle or polygon to move along"), let other = text(v, what: "`path`") {
                if let d = drafts.first(where: { $0.object.id == other }), ![.text, .math, .table, .image, .group].contains(d.object.kind) {
                    animation.other = other
                } else { fail("`path` must name a shape to move along" + didYouMean(other, allNames), v.location) }
            }
        case .zoom, .pan:
            readCamera(&animation, fields: fields, location: location)
        case .animate:
            if let v = required("param", "the name of a scene parameter"), let name = text(v, what: "`param`") {
                if params.contains(where: { $0.name == name }) { animation.param = name } else {
                    fail("`\(name)` is not a parameter of this scene" + suggestion(name, params.map(\.name)), v.location)
                }
            }
            if let v = required("to", "the value it ends at") { animation.value = constant(v, what: "`to`") }
            if let v = fields["from"] { animation.fromValue = constant(v, what: "`from`") }
        default:
            break
        }
        if kind == .move || kind == .shift, let v = fields["arc"] {
            animation.arc = constant(v, what: "`arc`", range: -360...360)
        }
        animation.duration = duration
        return .action(StepAction(template: animation, targets: targets, delay: delay, lag: lag, line: inheritedLine,
                                  duration: duration, location: fields["do"]!.location))
    }

    /// `zoom` to an area, an object or `all` (the whole visual area), or by a `factor`; `pan` to a
    /// place or an object's centre, or `by` [dx, dy] scene units.
    mutating func readCamera(_ animation: inout SceneAnimation, fields: [String: YAMLValue], location: SourceLocation) {
        let kind = animation.kind
        if let v = fields["to"] {
            if case .scalar(let s, _) = v, s == "all" {
                if kind == .pan { animation.place = .grid(GridArea(column0: 0, row0: 0, column1: GridArea.size - 1, row1: GridArea.size - 1)) }
            } else if case .scalar(let s, _) = v, GridArea(s.split(separator: ".").first.map(String.init) ?? s) == nil {
                if drafts.contains(where: { $0.object.id == s }) || families[s] != nil { animation.other = s } else {
                    fail("`to` names `\(s)`, which is not an area or an object" + didYouMean(s, allNames)
                         + "; give an area like C2:E4, an object id, or `all`", v.location)
                }
            } else if case .sequence(let items, _) = v {
                // A point of the scene, fixed when the scene is read.
                guard items.count == 2, let x = constant(items[0], what: "`to` x"), let y = constant(items[1], what: "`to` y") else {
                    if items.count != 2 { fail("`to` must be an area like C2:E4, an object id, `all`, or a point [x, y]", v.location) }
                    return
                }
                animation.place = .point(Expr(x), Expr(y))
            } else {
                animation.place = place(v, what: "`to`", bindings: [:])
            }
        }
        if kind == .zoom, let v = fields["factor"] {
            animation.value = constant(v, what: "`factor`", range: 0.05...50)
        }
        if kind == .pan, let v = fields["by"] {
            if case .sequence(let items, _) = v, items.count == 2,
               let dx = constant(items[0], what: "`by` x"), let dy = constant(items[1], what: "`by` y") {
                animation.by = [dx, dy]
            } else { fail("`by` must be [dx, dy] in scene units", v.location) }
        }
        if kind == .zoom, fields["to"] == nil, fields["factor"] == nil {
            fail("`zoom` needs `to` (an area like C2:E4, an object id, or `all`) or `factor` (like 2)", location)
        }
        if kind == .pan, fields["to"] == nil, fields["by"] == nil {
            fail("`pan` needs `to` (a place or an object id) or `by` ([dx, dy] in scene units)", location)
        }
        if kind == .pan, fields["to"] != nil, fields["by"] != nil, let v = fields["by"] {
            fail("`pan` takes `to` or `by`, not both", v.location)
        }
    }

    var allNames: [String] {
        (drafts.map(\.object.id) + families.keys).sorted()
    }

    /// Seconds each lecture line's steps need, plus a short pause to read the result.
    func secondsNeeded(_ steps: [StepNode]) -> [Int: Double] {
        var needed: [Int: Double] = [:]
        for step in steps { needed[step.line, default: 0.4] += step.seconds }
        return needed
    }

    /// Gives each step its absolute time: steps of one line follow each other from the line's start.
    /// When a line is shorter than its steps need (the author fixed the duration), they are sped up to fit.
    mutating func schedule(_ steps: [StepNode], lines: [SceneLine], total: Double, needed: [Int: Double]) -> [SceneAnimation] {
        var cursor: [Int: Double] = [:]
        var animations: [SceneAnimation] = []
        animationLocations = []
        func speed(_ line: Int) -> Double {
            let length = lines.isEmpty ? total : lines[min(line, lines.count - 1)].end - lines[min(line, lines.count - 1)].start
            guard let need = needed[line], need > length + 1e-9 else { return 1 }
            return max(0.01, (length - min(0.4, length * 0.1)) / (need - 0.4))
        }
        func place(_ node: StepNode, at start: Double, _ k: Double) {
            switch node {
            case .action(let a):
                for (n, target) in a.targets.enumerated() {
                    var animation = a.template
                    animation.target = target
                    animation.start = start + (a.delay + a.lag * Double(n)) * k
                    animation.duration = a.duration * k
                    animation.line = a.line
                    animations.append(animation)
                    animationLocations.append(a.location)
                }
            case .together(let children, _):
                for child in children { place(child, at: start, k) }
            case .sequence(let children, _):
                var t = start
                for child in children { place(child, at: t, k); t += child.seconds * k }
            }
        }
        for step in steps {
            let lineStart = lines.isEmpty ? 0 : lines[min(step.line, lines.count - 1)].start
            let start = cursor[step.line] ?? lineStart
            let k = speed(step.line)
            place(step, at: start, k)
            cursor[step.line] = start + step.seconds * k
        }
        // Stable order by start time, so later steps on the same property win.
        let order = animations.indices.sorted { (animations[$0].start, $0) < (animations[$1].start, $1) }
        animationLocations = order.map { animationLocations[$0] }
        return order.map { animations[$0] }
    }
}
